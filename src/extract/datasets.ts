/**
 * Two clean-ups of the linked inventory before lineage:
 * - values that cannot name a model (an empty string, an option word such as `auto`, `cpu`, `once`, `hf`, a class
 *   built with no argument such as `DataProto()`) are not references: they are kept with skip reason `not-a-model`
 *   (the lineage skips them, the JSON keeps them);
 * - datasets (`repo_type="dataset"` downloads, `load_dataset(...)`, `huggingface.co/datasets/...` URLs) leave the
 *   model references and become {@link DatasetReference} entries, one per dataset with every place it is named.
 */
import type { DatasetReference, ModelReference, SourceLocation } from "../model/types.js";

/**
 * Words that are settings, not model names: devices, dtypes, modes and switches that reach a model slot through a
 * shared variable or a union type (`device_map="auto"`, `cache="once"`, `source="hf"`). Whisper size aliases
 * (`tiny`, `base`, `small`, ...) and model families are not here: those do name models.
 */
export const OPTION_WORDS: ReadonlySet<string> = new Set([
  "auto",
  "cpu",
  "cuda",
  "gpu",
  "mps",
  "xpu",
  "tpu",
  "npu",
  "meta",
  "cuda:0",
  "fp16",
  "bf16",
  "fp32",
  "float16",
  "bfloat16",
  "float32",
  "int8",
  "int4",
  "half",
  "float",
  "once",
  "always",
  "never",
  "none",
  "null",
  "nil",
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "default",
  "defaults",
  "hf",
  "ms",
  "local",
  "remote",
  "online",
  "offline",
  "all",
  "any",
  "both",
  "fast",
  "slow",
  "eager",
  "sdpa",
  "main",
  "master",
  "latest",
  "dev",
  "test",
  "train",
  "eval",
  "debug",
  "info",
  "warning",
  "error",
  "pt",
  "np",
  "tf",
  "jax",
  "torch",
  "text",
  "image",
  "audio",
  "video",
  "json",
  "yaml",
  "str",
]);

/** A class built with no argument (`DataProto()`, `pkg.Config()`): an object, not a model name. */
const BARE_CONSTRUCTION = /^(?:[A-Za-z_][\w]*\.)*[A-Z][\w]*\(\s*\)$/;

/** Why a reference's value cannot name a model, or undefined when it may. Only unresolved references are judged. */
export function notAModelReason(r: ModelReference): string | undefined {
  if (!r.skipReason || r.skipReason === "not-a-model" || r.usage === "write") return undefined;
  // A lineage slot a manifest declares but leaves empty (an adapter's `base_model_name_or_path: null`) is missing
  // lineage data, never a value that names no model.
  if (r.skipReason === "missing-value" && r.relation !== undefined) return undefined;
  const raw = r.raw.trim().replace(/^["']|["']$/g, "");
  if (raw === "") return "empty-value";
  if (OPTION_WORDS.has(raw.toLowerCase())) return "option-word";
  if (BARE_CONSTRUCTION.test(raw)) return "object-construction";
  if (r.skipReason !== "dynamic-value") return undefined;
  // Run-time values whose shape says they are no name: a list or object literal, a function, a comparison.
  if (/^[[{]/.test(raw)) return "literal";
  if (/^(?:async\s+)?(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*=>|^lambda\b|^function\b/.test(raw)) return "function";
  // A comparison yields a boolean; a conditional or a short-circuit around one may still yield a name.
  const picksAValue = /[?:]|\|\||&&|\b(?:if|else|or|and)\b/.test(raw.replace(/\?\./g, ""));
  if (/\s(?:===?|!==?|<=?|>=?|in|not in|is|is not|instanceof)\s/.test(raw) && !picksAValue) return "comparison";
  return undefined;
}

/**
 * A path the user is meant to replace (`/path/to/checkpoint`, `path/to/your/model`, `<model_path>`,
 * `YOUR_MODEL_PATH`): a slot for a model chosen when the program runs, naming none itself. A bracketed sentence
 * (`<a.py not read: binary>`, how an unread file is named) is no placeholder.
 */
export function isPlaceholderPath(raw: string): boolean {
  const v = raw.trim().replace(/^["']|["']$/g, "");
  return (
    /^(?:~|\.{1,2})?\/?path\/to(?:\/|$)/i.test(v) ||
    /^<[\w./-]+>$/.test(v) ||
    /^\/?your[_-]/i.test(v) ||
    /\/your[_-][\w-]*$/i.test(v)
  );
}

const HUB_DATASET_URL =
  /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co|hf-mirror\.com)\/datasets\/([\w.-]+(?:\/[\w.-]+)?)/i;

/** The dataset a reference names, or undefined when it names no dataset. */
export function datasetName(r: ModelReference): string | undefined {
  const url = HUB_DATASET_URL.exec(r.raw) ?? (r.target ? HUB_DATASET_URL.exec(r.target) : null);
  if (url) return url[1]!;
  if (r.facts?.repoType === "dataset") return (r.target ?? r.raw).replace(/^datasets\//, "");
  if (r.kind === "hub-id" && r.target?.startsWith("datasets/")) return r.target.slice("datasets/".length);
  return undefined;
}

/**
 * Splits datasets out of the references and marks values that cannot name a model. Pure; order is kept.
 * @returns the model references (non-models marked `not-a-model` with `facts.notAModel`) and the datasets, sorted
 *   by name, each with every location that names it.
 */
export function separateDatasets(references: readonly ModelReference[]): {
  references: ModelReference[];
  datasets: DatasetReference[];
} {
  const out: ModelReference[] = [];
  const byName = new Map<string, DatasetReference>();
  for (const r of references) {
    const ds = r.usage === "write" ? undefined : datasetName(r);
    if (ds !== undefined && ds !== "") {
      const key = ds.toLowerCase();
      const entry = byName.get(key) ?? {
        name: ds,
        ...(r.skipReason && r.skipReason !== "unknown-alias" ? { unresolved: r.skipReason } : {}),
        locations: [] as SourceLocation[],
        loaders: [] as string[],
      };
      entry.locations.push(r.location);
      const loader = typeof r.facts?.loader === "string" ? r.facts.loader : r.extractor;
      if (!entry.loaders.includes(loader)) entry.loaders.push(loader);
      byName.set(key, entry);
      continue;
    }
    const why = notAModelReason(r);
    out.push(
      why
        ? {
            ...r,
            skipReason: "not-a-model",
            facts: { ...(r.facts ?? {}), notAModel: why, ...(r.skipReason ? { wasSkipReason: r.skipReason } : {}) },
          }
        : r,
    );
  }
  return { references: out, datasets: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}
