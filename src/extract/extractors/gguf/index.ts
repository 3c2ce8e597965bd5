/**
 * GGUF files (llama.cpp; keys from ggml `docs/gguf.md`, "General metadata"): parsed with `@huggingface/gguf` on the
 * local file (`allowLocalFile`), after the bounded structural check of `src/formats/gguf.ts` (the library trusts
 * lengths and reads zeros past the end of a file). Yields the file as a component (`general.type`: `model`,
 * `adapter` -> adapter, `mmproj` -> the vision tower and projector of a multimodal model) with architecture,
 * tokenizer model (`tokenizer.ggml.model`, `.pre`), file type and licence; references for `general.source.*` (the
 * checkpoint it was converted from: relation `quantized`) and `general.base_model.N.*` (the bases of that model).
 *
 * `general.base_model.N.organization` is a display name and often a re-packager (an uploader of the converted
 * weights), not the origin: without a `repo_url` the base is kept as an unresolved alias, never turned into an id.
 */
import { posix } from "node:path";
import { gguf } from "@huggingface/gguf";
import { checkGgufHeader, GgufError } from "../../../formats/gguf.js";
import type { ComponentRole, LocalComponent, ModelReference } from "../../../model/types.js";
import { dirOf } from "../../helpers.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "gguf";

/** Bytes read for the structural check: first try, then the cap (tokenizer arrays of 256k tokens take ~10 MB). */
const HEAD_FIRST = 8 * 1024 * 1024;
const HEAD_MAX = 64 * 1024 * 1024;

type Scalar = string | number | boolean;

/** A metadata value as a JSON-safe scalar (bigints become numbers when safe, else strings); arrays are dropped. */
function scalar(v: unknown): Scalar | undefined {
  if (typeof v === "bigint")
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  return undefined;
}

const ROLE_BY_TYPE: Record<string, ComponentRole> = {
  model: "model",
  adapter: "adapter",
  mmproj: "vision-encoder",
  imatrix: "other",
  vocab: "tokenizer",
};

export const ggufExtractor: Extractor = {
  id: ID,
  description: "GGUF files: general.type, base_model and source metadata, licence, tokenizer model",
  matches(_path, base) {
    return base.toLowerCase().endsWith(".gguf");
  },
  async extract(file): Promise<ExtractOutput> {
    const diag = (message: string) => ({
      diagnostics: [
        { code: "invalid-gguf" as const, severity: "error" as const, message, location: { file: file.path } },
      ],
    });
    const head = await file.head(Math.min(file.size, HEAD_FIRST));
    if (Buffer.from(head.subarray(0, 60)).toString("latin1").startsWith("version https://git-lfs.github.com/spec/v1")) {
      return {
        diagnostics: [
          {
            code: "git-lfs-pointer",
            severity: "warning",
            message: "GGUF file is a Git LFS pointer; the weights were not checked out",
            location: { file: file.path },
          },
        ],
      };
    }
    try {
      try {
        checkGgufHeader(head, file.size);
      } catch (err) {
        if (!(err as { needMore?: boolean }).needMore || file.size <= HEAD_FIRST) throw err;
        checkGgufHeader(await file.head(Math.min(file.size, HEAD_MAX)), file.size);
      }
    } catch (err) {
      if (err instanceof GgufError)
        return diag(
          `invalid GGUF file: ${err.message}${(err as { needMore?: boolean }).needMore ? ` (header larger than the ${HEAD_MAX}-byte read limit)` : ""}`,
        );
      throw err;
    }
    let metadata: Record<string, unknown>;
    try {
      metadata = (await gguf(file.absolutePath, { allowLocalFile: true })).metadata as Record<string, unknown>;
    } catch (err) {
      return diag(`invalid GGUF file: ${(err as Error).message}`);
    }
    const get = (k: string): Scalar | undefined => scalar(metadata[k]);
    const type = String(get("general.type") ?? "model");
    const key = `${file.path}#`;
    const facts: NonNullable<LocalComponent["facts"]> = { format: "gguf", generalType: type };
    for (const [k, f] of [
      ["general.architecture", "architecture"],
      ["general.basename", "basename"],
      ["general.finetune", "finetune"],
      ["general.size_label", "sizeLabel"],
      ["general.file_type", "fileType"],
      ["general.quantized_by", "quantizedBy"],
      ["general.organization", "organization"],
      ["tokenizer.ggml.model", "tokenizerModel"],
      ["tokenizer.ggml.pre", "tokenizerPre"],
      ["adapter.type", "adapterType"],
      ["clip.projector_type", "projectorType"],
      ["general.quantization_version", "quantizationVersion"],
    ] as const) {
      const v = get(k);
      if (v !== undefined) facts[f] = v;
    }
    const tensorCount = scalar(metadata.tensor_count);
    if (tensorCount !== undefined) facts.tensorCount = tensorCount as number;
    const license = get("general.license");
    const component: LocalComponent = {
      key,
      role: ROLE_BY_TYPE[type] ?? "model",
      name: String(get("general.name") ?? posix.basename(file.path)),
      location: { file: file.path, pointer: "" },
      facts,
      ...(typeof license === "string"
        ? {
            license:
              license === "other" && typeof get("general.license.name") === "string"
                ? `other:${String(get("general.license.name"))}`
                : license,
          }
        : {}),
    };
    const references: ModelReference[] = [];
    const loc = (k: string) => ({ file: file.path, pointer: `/${k}` });
    const ref = (k: string, raw: string, relation: ModelReference["relation"], extra: Record<string, Scalar>) =>
      makeReference({
        extractor: ID,
        raw,
        location: loc(k),
        ...(relation ? { relation } : {}),
        subject: key,
        baseDir: dirOf(file.path),
        facts: extra,
      });
    // The checkpoint this file was converted from.
    for (const k of ["general.source.huggingface.repository", "general.source.repo_url", "general.source.url"]) {
      const v = get(k);
      if (typeof v !== "string") continue;
      const r = ref(k, v, type === "adapter" ? "adapter" : "quantized", { metadataKey: k });
      references.push(r);
      if (r.kind === "hub-id") break;
    }
    // The bases of that checkpoint.
    const count = Number(get("general.base_model.count") ?? 0);
    for (let i = 0; i < Math.min(count, 64); i++) {
      const p = `general.base_model.${i}`;
      const url = get(`${p}.repo_url`);
      const name = get(`${p}.name`);
      const org = get(`${p}.organization`);
      const extra: Record<string, Scalar> = {
        metadataKey: `${p}.*`,
        ...(typeof name === "string" ? { name } : {}),
        ...(typeof org === "string" ? { organization: org, organizationMayBeRepackager: true } : {}),
      };
      const relation = type === "adapter" ? "adapter" : "finetune";
      if (typeof url === "string") references.push(ref(`${p}.repo_url`, url, relation, extra));
      else if (typeof name === "string") {
        const r = ref(`${p}.name`, name, relation, extra);
        // A display name is not an id: keep it, unresolved.
        references.push(
          r.kind === "hub-id" ? r : { ...r, kind: "known-component", target: name, skipReason: "unknown-alias" },
        );
      }
    }
    return { components: [component], references };
  },
};
