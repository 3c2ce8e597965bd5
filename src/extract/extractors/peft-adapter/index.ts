/**
 * PEFT adapters: `adapter_config.json` (https://huggingface.co/docs/peft/main/en/package_reference/config).
 * The adapter is a component of its own; `base_model_name_or_path` names its base (a Hub id, a local path, or null:
 * then the base is undetermined), `revision` pins it.
 */
import { posix } from "node:path";
import type { LocalComponent } from "../../../model/types.js";
import { parseJsonDocument, toPointer } from "../../document.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";
import { manifestStub } from "../../manifest-stub.js";

const ID = "peft-adapter";

export const peftAdapterExtractor: Extractor = {
  id: ID,
  description: "PEFT adapter_config.json: the adapter and its base model",
  matches(_path, base) {
    return base === "adapter_config.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const dir = posix.dirname(file.path) === "." ? "" : posix.dirname(file.path);
    const key = `${file.path}#`;
    const name = dir === "" ? "adapter" : posix.basename(dir);
    let doc;
    try {
      doc = parseJsonDocument(await file.text(ctx.maxTextBytes));
    } catch (err) {
      return {
        components: [manifestStub(file.path, { line: 1 })],
        diagnostics: [
          {
            code: "parse-error",
            severity: "error",
            message: (err as Error).message,
            location: {
              file: file.path,
              ...((err as { line?: number }).line ? { line: (err as { line: number }).line } : {}),
            },
          },
        ],
      };
    }
    const data = doc.data as Record<string, unknown>;
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return {
        components: [manifestStub(file.path, { line: 1 })],
        diagnostics: [
          {
            code: "not-an-object",
            severity: "error",
            message: "adapter_config.json is not a JSON object",
            location: { file: file.path, line: 1 },
          },
        ],
      };
    }
    const component: LocalComponent = {
      key,
      role: "adapter",
      name,
      location: { file: file.path, line: 1, column: 1, pointer: "" },
      config: {
        ...(typeof data.peft_type === "string" ? { peft_type: data.peft_type } : {}),
        ...(typeof data.r === "number" ? { r: data.r } : {}),
        ...(typeof data.task_type === "string" ? { task_type: data.task_type } : {}),
      },
    };
    const pointer = toPointer(["base_model_name_or_path"]);
    const raw = data.base_model_name_or_path;
    const ref = makeReference({
      extractor: ID,
      raw: typeof raw === "string" ? raw : "null",
      location: { file: file.path, pointer, ...(doc.locate(pointer) ?? { line: 1 }) },
      relation: "adapter",
      role: "model",
      subject: key,
      baseDir: dir,
    });
    if (typeof data.revision === "string" && data.revision) ref.revision = data.revision;
    const diagnostics =
      raw !== undefined && raw !== null && typeof raw !== "string"
        ? [
            {
              code: "unsupported-value" as const,
              severity: "error" as const,
              message: `base_model_name_or_path should be a Hub id or a path, found ${JSON.stringify(raw)}; the adapter's base is undetermined`,
              location: ref.location,
            },
          ]
        : [];
    return { components: [component], references: [ref], diagnostics };
  },
};
