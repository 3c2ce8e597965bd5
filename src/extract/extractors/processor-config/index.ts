/**
 * `preprocessor_config.json` and `processor_config.json` (transformers `ProcessorMixin` / image processors,
 * https://huggingface.co/docs/transformers/main_classes/processors): the processor class and the image processor or
 * feature extractor class. Yields a `processor` component of the folder's model with these facts (a
 * `Qwen2VLImageProcessor` in a product that claims its own vision encoder is worth a look), plus references for
 * `_name_or_path` and remote-code `auto_map` entries that name another repo.
 */
import { posix } from "node:path";
import type { LocalComponent, ModelReference } from "../../../model/types.js";
import { dirOf, folderSubject, isDiagnostic, readMapDocument, str } from "../../helpers.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "processor-config";

const CLASS_KEYS: Record<string, string> = {
  processor_class: "processorClass",
  image_processor_type: "imageProcessorType",
  feature_extractor_type: "featureExtractorType",
  video_processor_type: "videoProcessorType",
  model_type: "modelType",
};

export const processorConfigExtractor: Extractor = {
  id: ID,
  description:
    "preprocessor_config.json / processor_config.json: processor, image-processor and feature-extractor classes",
  matches(_path, base) {
    return (
      base === "preprocessor_config.json" ||
      base === "processor_config.json" ||
      base === "video_preprocessor_config.json"
    );
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, posix.basename(file.path));
    if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
    const { data, loc } = parsed;
    const key = `${file.path}#`;
    const dir = dirOf(file.path);
    const facts: NonNullable<LocalComponent["facts"]> = {};
    for (const [k, f] of Object.entries(CLASS_KEYS)) if (str(data[k])) facts[f] = data[k] as string;
    const nested = data.image_processor;
    if (typeof nested === "object" && nested !== null && str((nested as Record<string, unknown>).image_processor_type))
      facts.imageProcessorType = (nested as Record<string, string>).image_processor_type!;
    const references: ModelReference[] = [];
    for (const k of ["_name_or_path", "name_or_path", "processor_name_or_path"]) {
      const v = str(data[k]);
      if (!v) continue;
      const ref = makeReference({
        extractor: ID,
        raw: v,
        location: loc([k]),
        relation: "initialised-from",
        role: "processor",
        subject: key,
        baseDir: dir,
      });
      // `./` names the folder itself (InfiMM's processor): not a reference to anything else.
      if (
        ref.kind !== "known-component" &&
        !(ref.kind === "local-path" && (ref.target === dir || ref.target === "" || ref.target === "."))
      )
        references.push(ref);
    }
    if (typeof data.auto_map === "object" && data.auto_map !== null) {
      for (const [cls, target] of Object.entries(data.auto_map as Record<string, unknown>)) {
        if (typeof target === "string" && !target.includes("--")) facts[`autoMap.${cls}`] = target;
        (Array.isArray(target) ? target : [target]).forEach((t, i) => {
          if (typeof t !== "string" || !t.includes("--")) return;
          references.push(
            makeReference({
              extractor: ID,
              raw: t.split("--")[0]!,
              location: loc(Array.isArray(target) ? ["auto_map", cls, i] : ["auto_map", cls]),
              relation: "same-architecture",
              role: "processor",
              subject: key,
              facts: { remoteCode: true, autoMapClass: cls, autoMapValue: t },
            }),
          );
        });
      }
    }
    return {
      components: [
        {
          key,
          role: "processor",
          name: dir === "" ? "processor" : `${posix.basename(dir)}/processor`,
          location: { file: file.path, line: 1, column: 1, pointer: "" },
          parent: folderSubject(file.path),
          facts,
        },
      ],
      references,
    };
  },
};
