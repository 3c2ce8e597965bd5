/**
 * Hugging Face model configs: `config.json`, and JSON / YAML configs of the same shape (a serving stack's
 * `*_config.yaml` that is a dumped `PretrainedConfig`). Yields one component per config level (the model and each
 * nested component config) with its identity facts, and a reference for every key that names an upstream model.
 *
 * Keys follow transformers' configuration classes (https://huggingface.co/docs/transformers/main_classes/configuration)
 * and the families listed in shared/research/manifests-and-apis.md §A1.
 */
import { posix } from "node:path";
import type {
  ComponentRole,
  ConfigFacts,
  Diagnostic,
  LocalComponent,
  ModelReference,
  Relation,
} from "../../../model/types.js";
import { parseJsonDocument, parseYamlDocument, toPointer, type ParsedDocument } from "../../document.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";
import { manifestStub, roleFromPath } from "../../manifest-stub.js";

const ID = "hf-config";

/** Files of other formats that share the `*config*` name (handled by their own extractors or not model configs). */
const OTHER_CONFIGS = new Set([
  "adapter_config.json",
  "tokenizer_config.json",
  "preprocessor_config.json",
  "processor_config.json",
  "generation_config.json",
  "special_tokens_map.json",
  "quantize_config.json",
  "scheduler_config.json",
  "feature_extractor_config.json",
  "config_sentence_transformers.json",
  "sentence_bert_config.json",
  "mergekit_config.yml",
  "tsconfig.json",
  "jsconfig.json",
  "training_config.yml",
]);

/** Nested keys holding a component's config, and the role of that component. */
const NESTED_ROLES: Record<string, ComponentRole> = {
  vision_config: "vision-encoder",
  vision_tower_config: "vision-encoder",
  visual: "vision-encoder",
  vision_encoder: "vision-encoder",
  img_processor: "vision-encoder",
  audio_config: "audio-encoder",
  speech_config: "audio-encoder",
  audio_encoder: "audio-encoder",
  text_config: "backbone",
  llm_config: "backbone",
  language_config: "backbone",
  language: "backbone",
  thinker_config: "model",
  talker_config: "other",
  projector_config: "projector",
  vision_tower: "vision-encoder",
  mm_vision_tower: "vision-encoder",
  qformer_config: "projector",
  // open_clip / timm model configs (model_configs/*.json).
  vision_cfg: "vision-encoder",
  text_cfg: "text-encoder",
};

/** Keys whose string value names the checkpoint a component was initialised from. */
const NAME_KEYS: Record<string, { role?: ComponentRole; relation: Relation }> = {
  _name_or_path: { relation: "initialised-from" },
  name_or_path: { relation: "initialised-from" },
  model_name_or_path: { relation: "initialised-from" },
  pretrained_model_name_or_path: { relation: "initialised-from" },
  base_model_name_or_path: { relation: "initialised-from" },
  mm_vision_tower: { role: "vision-encoder", relation: "initialised-from" },
  vision_tower: { role: "vision-encoder", relation: "initialised-from" },
  vision_tower_name: { role: "vision-encoder", relation: "initialised-from" },
  image_encoder: { role: "vision-encoder", relation: "initialised-from" },
  model_name: { relation: "initialised-from" },
  eva_model_name: { role: "vision-encoder", relation: "initialised-from" },
  text_model_id: { role: "backbone", relation: "initialised-from" },
  audio_model_id: { role: "audio-encoder", relation: "initialised-from" },
  vision_model_id: { role: "vision-encoder", relation: "initialised-from" },
  llm_model_id: { role: "backbone", relation: "initialised-from" },
  speech_encoder: { role: "audio-encoder", relation: "initialised-from" },
  // TinyLLaVA-Factory and LLaVA-style configs name each part's checkpoint separately.
  llm_model_name_or_path: { role: "backbone", relation: "initialised-from" },
  vision_model_name_or_path: { role: "vision-encoder", relation: "initialised-from" },
  vision_tower_name_or_path: { role: "vision-encoder", relation: "initialised-from" },
  audio_model_name_or_path: { role: "audio-encoder", relation: "initialised-from" },
  speech_encoder_name_or_path: { role: "audio-encoder", relation: "initialised-from" },
  tokenizer_name_or_path: { role: "tokenizer", relation: "initialised-from" },
};

/** Keys never copied into identity facts (noise or huge). */
const FACT_SKIP = new Set([
  "id2label",
  "label2id",
  "task_specific_params",
  "transformers_version",
  "_commit_hash",
  "auto_map",
  "quantization_config",
]);

function looksLikeHfConfig(data: Record<string, unknown>): boolean {
  return (
    typeof data.model_type === "string" ||
    Array.isArray(data.architectures) ||
    Object.keys(data).some((k) => k in NESTED_ROLES && typeof data[k] === "object" && data[k] !== null) ||
    (data._name_or_path !== undefined && data._name_or_path !== null)
  );
}

/** Keys that give a network's width (one of them must be written in a bare config). */
const WIDTH_KEYS = new Set(["hidden_size", "d_model", "embed_dim", "n_embd", "dim", "width", "vision_width"]);
/** Keys that give a network's depth. */
const DEPTH_KEYS = new Set([
  "num_hidden_layers",
  "encoder_layers",
  "depth",
  "n_layer",
  "n_layers",
  "num_layers",
  "layers",
  "vision_layers",
]);
/** Other shape keys of model configs. */
const SHAPE_KEYS = new Set([
  ...WIDTH_KEYS,
  ...DEPTH_KEYS,
  "num_attention_heads",
  "num_heads",
  "n_head",
  "n_heads",
  "heads",
  "encoder_attention_heads",
  "num_key_value_heads",
  "intermediate_size",
  "encoder_ffn_dim",
  "d_ff",
  "d_kv",
  "inter_dim",
  "mlp_ratio",
  "patch_size",
  "num_mel_bins",
  "vocab_size",
  "head_dim",
  "spatial_merge_size",
  "temporal_patch_size",
  "moe_intermediate_size",
  "n_routed_experts",
  "num_experts",
  "image_size",
]);

/**
 * A model configuration without any type marker (no model_type, architectures or nested component config): a copied
 * encoder config stripped of its names. It is one when it writes a width, a depth and at least `min` shape keys in all,
 * as numbers.
 */
export function looksLikeBareModelConfig(data: Record<string, unknown>, min = 4): boolean {
  const numeric = Object.keys(data).filter((k) => SHAPE_KEYS.has(k) && typeof data[k] === "number");
  return numeric.length >= min && numeric.some((k) => WIDTH_KEYS.has(k)) && numeric.some((k) => DEPTH_KEYS.has(k));
}

/** Role of a top-level config from its architecture classes. */
export function roleFromArchitectures(archs: readonly string[], modelType: string | undefined): ComponentRole {
  const a = archs.join(" ");
  if (/Vision(?:Transformer|Model|Encoder|Tower)|ViT|VisionPretrained|SiglipVision|CLIPVision/i.test(a))
    return "vision-encoder";
  if (/Audio(?:Encoder|Tower)|WhisperEncoder|SpeechEncoder/i.test(a)) return "audio-encoder";
  if (/CLIPTextModel|T5EncoderModel/.test(a)) return "text-encoder";
  if (/Projector|Resampler/i.test(a)) return "projector";
  if (/ForSequenceClassification/.test(a) && /rerank/i.test(modelType ?? "")) return "reranker";
  if (modelType && /_vision(?:_model)?$|^siglip_vision|^clip_vision/.test(modelType)) return "vision-encoder";
  if (modelType && /audio_encoder$/.test(modelType)) return "audio-encoder";
  return "model";
}

function collectFacts(obj: Record<string, unknown>): ConfigFacts {
  const facts: ConfigFacts = {};
  for (const [k, v] of Object.entries(obj)) {
    if (FACT_SKIP.has(k)) continue;
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") facts[k] = v;
    else if (
      Array.isArray(v) &&
      v.length <= 64 &&
      v.every((x) => x === null || ["string", "number", "boolean"].includes(typeof x))
    )
      facts[k] = v as ConfigFacts[string];
  }
  return facts;
}

/** Parses JSON or YAML by extension; YAML files are only HF configs when they look like one. */
export function parseConfigText(path: string, text: string): ParsedDocument {
  return /\.ya?ml$/i.test(path) ? parseYamlDocument(text) : parseJsonDocument(text);
}

export const hfConfigExtractor: Extractor = {
  id: ID,
  declaresModels: true,
  description:
    "Hugging Face config.json and configs of the same shape: components, nested component configs, _name_or_path, auto_map",
  matches(path, base) {
    if (OTHER_CONFIGS.has(base)) return false;
    if (base === "config.json") return true;
    return /config[^/]*\.(?:json|ya?ml)$/i.test(base) && !/^(?:docker-compose|compose|\.?pre-commit)/.test(base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const text = await file.text(ctx.maxTextBytes);
    if (/^version https:\/\/git-lfs\.github\.com\/spec\/v1/.test(text)) {
      return {
        diagnostics: [
          {
            code: "git-lfs-pointer",
            severity: "warning",
            message: "file is a Git LFS pointer; the real config was not checked out",
            location: { file: file.path, line: 1 },
          },
        ],
      };
    }
    const isYaml = /\.ya?ml$/i.test(file.path);
    let doc: ParsedDocument;
    try {
      doc = parseConfigText(file.path, text);
    } catch (err) {
      // A malformed config.json is a model manifest we could not read: its component is undetermined. So is any
      // other *config* file whose text carries model-config keys; one without them may be anything: a diagnostic.
      const diag = {
        code: "parse-error" as const,
        severity: "error" as const,
        message: `${(err as Error).message}`,
        location: {
          file: file.path,
          ...((err as { line?: number }).line ? { line: (err as { line: number }).line } : {}),
        },
      };
      if (posix.basename(file.path) === "config.json" || MODEL_CONFIG_KEYS.test(text)) {
        return { components: [manifestStub(file.path, { line: 1 })], diagnostics: [diag] };
      }
      return { diagnostics: [diag] };
    }
    const data = doc.data;
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      if (posix.basename(file.path) === "config.json") {
        return {
          components: [manifestStub(file.path, { line: 1 })],
          diagnostics: [
            {
              code: "not-an-object",
              severity: "error",
              message: "config.json is not a JSON object",
              location: { file: file.path, line: 1 },
            },
          ],
        };
      }
      return {};
    }
    const root = data as Record<string, unknown>;
    // A bare encoder or LLM config (no type marker at all) is still a component: identified by its numbers.
    const bare = !looksLikeHfConfig(root) && looksLikeBareModelConfig(root, isYaml ? 5 : 4);
    if (!looksLikeHfConfig(root) && !bare)
      return isYaml || posix.basename(file.path) !== "config.json" ? {} : extractNonHfConfig(file.path, root, doc);
    const out: { components: LocalComponent[]; references: ModelReference[] } = { components: [], references: [] };
    walkConfig(file.path, doc, root, [], undefined, out, bare ? roleFromPath(file.path) : undefined);
    const wrongTyped = out.references
      .filter((r) => r.facts?.wrongType !== undefined)
      .map((r) => ({
        code: "wrong-typed-reference" as const,
        severity: "warning" as const,
        message: `${r.location.pointer ?? ""} holds a ${String(r.facts!.wrongType)}, not a model id or path; the reference is unresolved`,
        location: r.location,
      }));
    return { ...out, diagnostics: [...duplicateKeys(file.path, doc, out), ...wrongTyped] };
  },
};

/** Keys whose presence in a file's text marks it as a model configuration even when it does not parse. */
const MODEL_CONFIG_KEYS =
  /^[ \t]*["']?(?:architectures|model_type|_name_or_path|hidden_size|d_model|num_hidden_layers|encoder_layers|depth|vision_config|audio_config|text_config)["']?[ \t]*:/m;

/**
 * Reports keys written twice in one object. For keys that name a model, the earlier values are kept as references
 * too: a parser keeps only the last one, and the hidden one may be the true origin.
 */
function duplicateKeys(
  path: string,
  doc: ParsedDocument,
  out: { components: LocalComponent[]; references: ModelReference[] },
) {
  const diagnostics: Diagnostic[] = [];
  for (const d of doc.duplicates ?? []) {
    // At most ten lines are listed: a key written 100,000 times must not make a 600 KB message.
    const lines =
      d.lines.length > 10 ? `${d.lines.slice(0, 10).join(", ")}, +${d.lines.length - 10} more` : d.lines.join(", ");
    diagnostics.push({
      code: "duplicate-key",
      severity: "warning" as const,
      message: `key '${d.key}' is written ${d.values.length} times (lines ${lines}); parsers keep only the last value`,
      location: { file: path, line: d.lines[0]!, pointer: `${d.pointer}/${d.key}` },
    });
    const spec = NAME_KEYS[d.key];
    const subject = `${path}#${d.pointer}`;
    if (!spec || !out.components.some((c) => c.key === subject)) continue;
    // Each hidden value once (at its first line), and not the value parsers keep.
    const seen = new Set<string>([String(d.values.at(-1))]);
    d.values.slice(0, -1).forEach((v, i) => {
      if (typeof v !== "string" || seen.has(v)) return;
      seen.add(v);
      const ref = makeReference({
        extractor: ID,
        raw: v,
        location: { file: path, pointer: `${d.pointer}/${d.key}`, line: d.lines[i]! },
        relation: spec.relation,
        subject,
        baseDir: posix.dirname(path),
        facts: { duplicateKey: true },
      });
      if (ref.kind !== "known-component") out.references.push(ref);
    });
  }
  return diagnostics;
}

/** Keys of a serving config that hold a model part's folder or weights file. */
const PART_PATH_KEY = /^(?:[a-z]+_)?(?:processor|encoder|tokenizer|projector|vocoder|model|tower)_(?:path|dir|folder)$/;

// A config.json that is not a transformers config (an app's settings) may still name models by key.
function extractNonHfConfig(path: string, root: Record<string, unknown>, doc: ParsedDocument): ExtractOutput {
  const references: ModelReference[] = [];
  for (const [k, v] of Object.entries(root)) {
    if (typeof v !== "string") continue;
    // A part's folder or weights named by a path key (`audio_processor_path`, `vision_encoder_dir`) in a serving config.
    const pathKey = PART_PATH_KEY.test(k);
    const spec =
      NAME_KEYS[k] ?? (pathKey ? { relation: "initialised-from" as const, role: roleFromPath(k) } : undefined);
    if (!spec) continue;
    const pointer = toPointer([k]);
    const ref = makeReference({
      extractor: ID,
      raw: v,
      location: { file: path, pointer, ...doc.locate(pointer) },
      relation: spec.relation,
      baseDir: posix.dirname(path),
      ...(spec.role ? { role: spec.role } : {}),
    });
    if ((ref.kind === "hub-id" && ref.target) || (pathKey && ref.kind === "local-path")) references.push(ref);
  }
  return { references };
}

/** A config object's parent component, as its nested towers see it. */
type ParentComponent = { key: string; name: string; modelType?: string };

/** Where one config object sits: its file, parsed document and JSON pointer tokens. */
interface ConfigPlace {
  path: string;
  doc: ParsedDocument;
  tokens: (string | number)[];
}

/** The local component a config object describes (the root config, or a nested tower such as `vision_config`). */
function componentOf(
  at: ConfigPlace,
  obj: Record<string, unknown>,
  parent: ParentComponent | undefined,
  nestedRole?: ComponentRole,
): LocalComponent {
  const { path, doc, tokens } = at;
  const pointer = toPointer(tokens);
  const archs = Array.isArray(obj.architectures)
    ? obj.architectures.filter((a): a is string => typeof a === "string")
    : [];
  const ownModelType = typeof obj.model_type === "string" ? obj.model_type : undefined;
  const dir = posix.dirname(path);
  // A dumped config in a generic folder (`configs/32b_cont_config.yaml`) is better named by its file.
  const folder =
    posix.basename(path) === "config.json" && dir !== "."
      ? posix.basename(dir)
      : posix.basename(path).replace(/\.(?:json|ya?ml)$/i, "");
  const name = parent ? `${parent.name}/${String(tokens[tokens.length - 1])}` : folder;
  const loc = doc.locate(pointer) ?? { line: 1, column: 1 };
  // A nested tower without its own model_type inherits the parent's (Qwen2.5-VL's vision_config has none).
  const modelType = ownModelType ?? parent?.modelType;
  const component: LocalComponent = {
    key: `${path}#${pointer}`,
    role: nestedRole ?? roleFromArchitectures(archs, ownModelType),
    name: name || posix.basename(path),
    location: { file: path, pointer, line: loc.line, column: loc.column },
    ...(parent ? { parent: parent.key } : {}),
    ...(modelType ? { modelType } : {}),
    ...(archs.length ? { architectures: archs } : {}),
    config: collectFacts(obj),
  };
  const lines: Record<string, number> = {};
  for (const k of Object.keys(component.config ?? {})) {
    const l = doc.locate(toPointer([...tokens, k]))?.line;
    if (l !== undefined) lines[k] = l;
  }
  component.configLines = lines;
  return component;
}

/**
 * The reference a name key (`_name_or_path`, `text_model_name`, ...) holds, or undefined when it names nothing else:
 * a bare word that is not a model id, or `./` (the config's own folder). A root `*name_or_path` of a quantized
 * checkpoint (`quantization_config` / MLX `quantization`) names the model it quantized.
 */
function nameKeyReference(
  at: ConfigPlace,
  obj: Record<string, unknown>,
  component: LocalComponent,
  k: string,
  v: string,
): ModelReference | undefined {
  const spec = NAME_KEYS[k]!;
  const pointer = toPointer([...at.tokens, k]);
  const quantized =
    at.tokens.length === 0 &&
    /name_or_path$/.test(k) &&
    [obj.quantization_config, obj.quantization].some((q) => typeof q === "object" && q !== null);
  const role = spec.role ?? (k.startsWith("_") || k.includes("name_or_path") ? component.role : undefined);
  const ref = makeReference({
    extractor: ID,
    raw: v,
    location: { file: at.path, pointer, ...(at.doc.locate(pointer) ?? {}) },
    relation: quantized ? "quantized" : spec.relation,
    subject: component.key,
    baseDir: posix.dirname(at.path),
    ...(role ? { role } : {}),
  });
  // A bare word (`default`, `llava`) under a name key is not a model reference; keep only ids and paths.
  // `./` (InfiMM's `_name_or_path`) names the config's own folder: not a reference to anything else.
  const self = ref.kind === "local-path" && (ref.target === posix.dirname(at.path) || ref.target === ".");
  // A value shaped like an id that is none (`Qwen/Qwen2.5 7B`, `Qwen//Qwen2.5-7B`) is an unresolved reference, not
  // silence: only a bare word is dropped.
  const idShaped = ref.kind === "known-component" && ref.raw.includes("/");
  return !self && (ref.kind !== "known-component" || idShaped || k === "eva_model_name" || k === "model_name")
    ? ref
    : undefined;
}

/** A model id of the wrong type (`"_name_or_path": 5`) is not "no reference": it is one that cannot be resolved. */
function wrongTypeReference(at: ConfigPlace, component: LocalComponent, k: string, v: unknown): ModelReference {
  const pointer = toPointer([...at.tokens, k]);
  const { target: _t, ...ref } = makeReference({
    extractor: ID,
    raw: JSON.stringify(v).slice(0, 200),
    location: { file: at.path, pointer, ...(at.doc.locate(pointer) ?? {}) },
    relation: NAME_KEYS[k]!.relation,
    subject: component.key,
    baseDir: posix.dirname(at.path),
  });
  return {
    ...ref,
    kind: "hub-id",
    skipReason: "unsupported-syntax",
    facts: { wrongType: Array.isArray(v) ? "array" : typeof v },
  };
}

/** `auto_map` values `org/repo--module.Class` name the repo whose remote code defines the architecture. */
function autoMapReferences(
  at: ConfigPlace,
  component: LocalComponent,
  autoMap: Record<string, unknown>,
): ModelReference[] {
  const out: ModelReference[] = [];
  for (const [cls, target] of Object.entries(autoMap)) {
    const values = Array.isArray(target) ? target : [target];
    for (const [i, t] of values.entries()) {
      if (typeof t !== "string" || !t.includes("--")) continue;
      const p = toPointer(Array.isArray(target) ? [...at.tokens, "auto_map", cls, i] : [...at.tokens, "auto_map", cls]);
      out.push(
        makeReference({
          extractor: ID,
          raw: t.split("--")[0]!,
          location: { file: at.path, pointer: p, ...(at.doc.locate(p) ?? {}) },
          relation: "same-architecture",
          subject: component.key,
          facts: { remoteCode: true, autoMapClass: cls, autoMapValue: t },
        }),
      );
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Walks one config object: its component, then its keys: nested towers (recursively, as child components), name keys
 * (references), name keys of the wrong type (unresolvable references) and `auto_map` (remote code).
 */
function walkConfig(
  path: string,
  doc: ParsedDocument,
  obj: Record<string, unknown>,
  tokens: (string | number)[],
  parent: ParentComponent | undefined,
  out: { components: LocalComponent[]; references: ModelReference[] },
  nestedRole?: ComponentRole,
): void {
  const at: ConfigPlace = { path, doc, tokens };
  const component = componentOf(at, obj, parent, nestedRole);
  out.components.push(component);
  const asParent: ParentComponent = {
    key: component.key,
    name: component.name,
    ...(component.modelType ? { modelType: component.modelType } : {}),
  };
  for (const [k, v] of Object.entries(obj)) {
    const nested = NESTED_ROLES[k];
    const spec = NAME_KEYS[k];
    if (nested && isObject(v)) walkConfig(path, doc, v, [...tokens, k], asParent, out, nested);
    else if (spec && typeof v === "string" && v.trim() !== "") {
      const ref = nameKeyReference(at, obj, component, k, v);
      if (ref) out.references.push(ref);
    } else if (
      spec &&
      /name_or_path$/.test(k) &&
      (typeof v === "number" || typeof v === "boolean" || Array.isArray(v) || isObject(v))
    ) {
      out.references.push(wrongTypeReference(at, component, k, v));
    } else if (k === "auto_map" && typeof v === "object" && v !== null)
      out.references.push(...autoMapReferences(at, component, v as Record<string, unknown>));
  }
}
