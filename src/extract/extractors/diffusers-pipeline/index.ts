/**
 * diffusers pipelines: `model_index.json` (https://huggingface.co/docs/diffusers/api/diffusion_pipeline,
 * `DiffusionPipeline.save_pretrained`): `_class_name` names the pipeline, and each other key names a part as
 * `[library, class]` stored in the sub-folder of the same name. Yields the pipeline (role `diffusion`) and one
 * component per part with its library and class; the linking pass hangs the model found in the part's sub-folder
 * under it, so a text encoder keeps its own lineage (EasyAnimate's `text_encoder` is a whole Qwen2-VL).
 * `_name_or_path` names the repo the pipeline was saved from.
 */
import { posix } from "node:path";
import type { ComponentRole, LocalComponent, ModelReference } from "../../../model/types.js";
import { dirOf, isDiagnostic, readMapDocument, str } from "../../helpers.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "diffusers-pipeline";

/** Role of a pipeline part from its key (`text_encoder_2`) and class. */
export function partRole(key: string, cls: string): ComponentRole {
  if (/^text_encoder/.test(key)) return "text-encoder";
  if (/^tokenizer/.test(key)) return "tokenizer";
  if (/^vae|^movq/.test(key) || /^Autoencoder/.test(cls)) return "vae";
  if (/^(?:unet|transformer|prior|decoder)/.test(key)) return "diffusion";
  if (/^image_encoder/.test(key)) return "vision-encoder";
  if (/^(?:feature_extractor|image_processor|processor)/.test(key)) return "processor";
  return "other";
}

export const diffusersPipelineExtractor: Extractor = {
  id: ID,
  description:
    "diffusers model_index.json: the pipeline and each part (text encoders, UNet/transformer, VAE) with library and class",
  matches(_path, base) {
    return base === "model_index.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, "model_index.json");
    if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
    const { data, loc } = parsed;
    const dir = dirOf(file.path);
    const key = `${file.path}#`;
    const pipelineClass = str(data._class_name);
    const pipeline: LocalComponent = {
      key,
      role: "diffusion",
      name: pipelineClass ?? (dir === "" ? "pipeline" : posix.basename(dir)),
      location: { file: file.path, line: 1, column: 1, pointer: "" },
      facts: {
        ...(pipelineClass ? { pipelineClass } : {}),
        ...(str(data._diffusers_version) ? { diffusersVersion: data._diffusers_version as string } : {}),
      },
    };
    const parts: LocalComponent[] = [];
    for (const [k, v] of Object.entries(data)) {
      if (k.startsWith("_") || !Array.isArray(v) || v.length !== 2) continue;
      const [library, cls] = v as [unknown, unknown];
      if (library === null || cls === null) {
        pipeline.facts![`absent.${k}`] = true;
        continue;
      }
      if (typeof library !== "string" || typeof cls !== "string") continue;
      parts.push({
        key: `${file.path}#/${k}`,
        role: partRole(k, cls),
        name: `${pipeline.name}/${k}`,
        location: loc([k]),
        parent: key,
        facts: { library, class: cls, subfolder: k },
      });
    }
    const references: ModelReference[] = [];
    const origin = str(data._name_or_path);
    if (origin) {
      const ref = makeReference({
        extractor: ID,
        raw: origin,
        location: loc(["_name_or_path"]),
        relation: "initialised-from",
        subject: key,
        baseDir: dir,
      });
      if (ref.kind === "hub-id" || (ref.kind === "local-path" && ref.target !== dir)) references.push(ref);
    }
    return { components: [pipeline, ...parts], references };
  },
};
