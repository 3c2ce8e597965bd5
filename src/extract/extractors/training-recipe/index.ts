/**
 * Training recipes that name the checkpoint training starts from:
 * - axolotl (https://axolotl-ai-cloud.github.io/axolotl/docs/config-reference.html): `base_model`,
 *   `base_model_config`, `tokenizer_config`, `tokenizer_type` (a class: kept as a fact), `adapter`, `lora_model_dir`;
 * - LLaMA-Factory (`examples/*.yaml`, `src/llamafactory/hparams/model_args.py`): `model_name_or_path`,
 *   `adapter_name_or_path` (comma-separated), `finetuning_type`, `template`;
 * - TRL / transformers training arguments (`ModelConfig.model_name_or_path`, `TrainingArguments`) and colpali-style
 *   nested configs (`pretrained_model_name_or_path` under `config.model`).
 * A file is read when its name says it is a training config (`train`, `sft`, `dpo`, `lora`, `axolotl`, ...) and is
 * kept only when a recognised key holds a value. The starting checkpoint is `initialised-from` the folder's model
 * (`adapter` when the recipe trains a LoRA); a teacher is `distillation`.
 */
import { isMergekitConfig } from "../mergekit/index.js";
import type { ComponentRole, ModelReference, Relation } from "../../../model/types.js";
import { dirOf, folderSubject, isDiagnostic, locate, readMapDocument } from "../../helpers.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "training-recipe";

/** Keys naming a model, with the role of what they name and how the trained model relates to it. */
const KEYS: Record<string, { relation?: Relation; role?: ComponentRole; list?: boolean }> = {
  base_model: {},
  model_name_or_path: {},
  pretrained_model_name_or_path: {},
  base_model_config: { relation: "same-architecture" },
  adapter_name_or_path: { relation: "adapter", role: "adapter", list: true },
  lora_model_dir: { relation: "adapter", role: "adapter" },
  tokenizer_config: { relation: "initialised-from", role: "tokenizer" },
  tokenizer_name: { relation: "initialised-from", role: "tokenizer" },
  tokenizer_name_or_path: { relation: "initialised-from", role: "tokenizer" },
  teacher_model_name_or_path: { relation: "distillation" },
  teacher_model: { relation: "distillation" },
  vision_tower: { relation: "initialised-from", role: "vision-encoder" },
  mm_vision_tower: { relation: "initialised-from", role: "vision-encoder" },
};

const NAME =
  /(?:train|sft|dpo|orpo|kto|ppo|grpo|finetun|fine_tun|fft|lora|axolotl|llama_?factory|pretrain)[^/]*\.(?:ya?ml|json)$/i;

/** Which tool wrote the recipe, from its top-level keys. */
function flavour(d: Record<string, unknown>): string {
  if ("finetuning_type" in d || "stage" in d || "template" in d) return "llama-factory";
  if ("base_model" in d && ("sequence_len" in d || "micro_batch_size" in d || "datasets" in d || "adapter" in d))
    return "axolotl";
  if ("output_dir" in d || "learning_rate" in d || "per_device_train_batch_size" in d) return "transformers-trainer";
  return "other";
}

export const trainingRecipeExtractor: Extractor = {
  id: ID,
  holdsReferences: true,
  description: "Training recipes (axolotl, LLaMA-Factory, TRL/transformers args): the checkpoint training starts from",
  matches(_path, base) {
    // A name with "merge" may be a mergekit recipe or a LLaMA-Factory export recipe (`*_merge.yaml`): the content
    // decides (below), not the name.
    return NAME.test(base) && !/^(?:package|tsconfig|jsconfig)/.test(base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, "training recipe");
    if (isDiagnostic(parsed)) {
      // A broken file that names none of the recipe keys is someone else's format: no noise.
      if (parsed.code === "not-an-object") return {};
      const text = await file.text(ctx.maxTextBytes);
      return Object.keys(KEYS).some((k) => text.includes(k))
        ? { diagnostics: [{ ...parsed, severity: "warning" }] }
        : {};
    }
    const { doc, data } = parsed;
    // A mergekit recipe is the mergekit extractor's (merge parents, not a training start).
    const content: unknown = data;
    if (isMergekitConfig(content)) return {};
    const tool = flavour(data);
    const lora = /lora/i.test(String(data.finetuning_type ?? data.adapter ?? "")) || data.use_peft === true;
    const subject = folderSubject(file.path);
    const references: ModelReference[] = [];
    const walk = (node: unknown, tokens: (string | number)[], depth: number): void => {
      if (depth > 6 || typeof node !== "object" || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        const spec = KEYS[k];
        if (spec && typeof v === "string" && v.trim() !== "") {
          const values = spec.list
            ? v
                .split(",")
                .map((x) => x.trim())
                .filter(Boolean)
            : [v];
          for (const raw of values) {
            // A key nested under `processor:` / `tokenizer:` (colpali-style configs) names that part's source.
            const parent = String(tokens[tokens.length - 1] ?? "");
            const role =
              spec.role ??
              (/processor/i.test(parent) ? "processor" : /tokenizer/i.test(parent) ? "tokenizer" : undefined);
            const relation = spec.relation ?? (role ? "initialised-from" : lora ? "adapter" : "initialised-from");
            const ref = makeReference({
              extractor: ID,
              raw,
              location: locate(doc, file.path, [...tokens, k]),
              relation,
              ...(role ? { role } : {}),
              subject,
              baseDir: dirOf(file.path),
              facts: { recipe: tool, key: k },
            });
            if (ref.kind !== "known-component") references.push(ref);
          }
        } else if (typeof v === "object") walk(v, [...tokens, k], depth + 1);
      }
    };
    walk(data, [], 0);
    if (tool === "axolotl" && typeof data.tokenizer_type === "string") {
      for (const r of references) r.facts = { ...(r.facts ?? {}), tokenizerType: data.tokenizer_type };
    }
    return { references };
  },
};
