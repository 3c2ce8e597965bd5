/**
 * Turning a model argument found in code (or a command line) into a {@link ModelReference}: a resolved string goes
 * through {@link makeReference} (Hub id, local path, HF cache path, `${VAR}`); a value only known at run time is kept
 * with skip reason `dynamic-value` and its expression; runtime-specific names (Ollama tags, ModelScope ids, Whisper
 * sizes, direct weight URLs) get their own kinds. Facts use the names the policy helpers read:
 * `trustRemoteCode`, `weightFormat` (`pickle` | `safetensors` | `gguf`), and the reference's `revision`.
 */
import type {
  ComponentRole,
  ModelReference,
  ReferenceKind,
  ReferenceUsage,
  Relation,
  SourceLocation,
} from "../../model/types.js";
import { posix } from "node:path";
import { stableId } from "../../util/hash.js";
import { redact } from "../../util/redact.js";
import { parseHubId } from "../../util/hub-id.js";
import { looksLikePath, makeReference } from "../reference.js";
import { weightFormatOf } from "../../formats/weight-format.js";

/** Names of variables, keys and keyword arguments that hold a model (`model`, `model_id`, `EMBEDDING_MODEL`, ...). */
export const MODEL_NAME =
  /^(?:model|models|model_?id|model_?name|model_?path|model_?name_?or_?path|pretrained_?model_?name_?or_?path|repo_?id|checkpoint|ckpt|tokenizer|tokenizer_?name|tokenizer_?path|.*[_-]model|.*[_-]model[_-]?(?:name|id|path|repo|version)|.*[_-]repo[_-]?id|.*Model(?:Name|Id|Path)?|.*_(?:MODEL|MODEL_NAME|MODEL_ID|MODEL_PATH|REPO_ID|CKPT)|MODEL_?(?:NAME|ID|PATH)?|embedding_?model|served_?model)$/i;

/** Names that contain "model" but never hold one. */
export const NOT_MODEL_NAME =
  /(?:type|mode(?!l)|dir|cache|url|endpoint|prompt|template|format|kwargs|config|class|args|max|len|size|dtype|device|temperature|timeout|port|host|api|key|token$|_loaded|list|registry|spec|family)/i;

/** Input of {@link codeReference}. */
export interface CodeReferenceInput {
  extractor: string;
  location: SourceLocation;
  /** The resolved string, when the value is a constant (or `${VAR}` form for an env lookup). */
  value?: string;
  /** Source text of the expression, kept when the value is only known at run time. */
  expression?: string;
  /** Forced kind: `ollama-tag`, `modelscope-id`, `known-component` (e.g. a Whisper size), `hosted-model`. */
  kind?: ReferenceKind;
  /** With kind `hosted-model`: the provider id (`rules/knowledge/hosted-providers.yaml`). */
  provider?: string;
  role?: ComponentRole;
  relation?: Relation;
  revision?: string;
  /** What is done with the target (see {@link ReferenceUsage}); absent means `load`. */
  usage?: ReferenceUsage;
  facts?: Record<string, string | number | boolean>;
  baseDir?: string;
}

const OLLAMA_TAG = /^(?:hf\.co\/|huggingface\.co\/)?[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)?(?::[\w.-]+)?$/;

/** Builds the reference for one model argument (with `usage` set when the code does not load it). */
export function codeReference(input: CodeReferenceInput): ModelReference {
  const ref = buildCodeReference(input);
  if (!input.usage || input.usage === "load") return ref;
  if (input.usage === "write" && ref.kind === "known-component" && ref.skipReason === "unknown-alias" && ref.target) {
    // A bare folder name the code writes to (`dest = "models"`) is a local folder, not a model alias.
    return {
      ...ref,
      kind: "local-path",
      target: posix.join(input.baseDir ?? "", ref.target),
      skipReason: "local-path",
      usage: "write",
    };
  }
  return { ...ref, usage: input.usage };
}

type Facts = Record<string, string | number | boolean>;

/** The reference's id: extractor, place and value, stable across runs. */
function codeReferenceId(input: CodeReferenceInput, value: string): string {
  return stableId([input.extractor, input.location.file, input.location.line ?? 0, input.location.column ?? 0, value]);
}

/** Role and relation as given (absent keys stay absent). */
function roleAndRelation(input: CodeReferenceInput): Pick<ModelReference, "role" | "relation"> {
  return { ...(input.role ? { role: input.role } : {}), ...(input.relation ? { relation: input.relation } : {}) };
}

/** A value the code computes at run time: kept with its (redacted) expression, `dynamic-value`. */
function dynamicReference(input: CodeReferenceInput, facts: Facts): ModelReference {
  const expression = redact((input.expression ?? "").slice(0, 300));
  return {
    id: codeReferenceId(input, expression),
    extractor: input.extractor,
    kind: input.kind ?? "hub-id",
    raw: expression,
    strength: "declared",
    location: input.location,
    skipReason: "dynamic-value",
    ...roleAndRelation(input),
    ...(input.revision ? { revision: input.revision } : {}),
    facts: { ...facts, expression },
  };
}

/** The generic reading of a value ({@link makeReference}: Hub id, path, alias...), with the code reference's id. */
function genericReference(input: CodeReferenceInput, value: string, facts: Facts): ModelReference {
  return makeReference({
    extractor: input.extractor,
    raw: value,
    location: input.location,
    ...roleAndRelation(input),
    ...(Object.keys(facts).length ? { facts } : {}),
    ...(input.baseDir !== undefined ? { baseDir: input.baseDir } : {}),
  });
}

/**
 * A value the caller already knows the kind of (Ollama tag, ModelScope id, known component, hosted model, plain URL);
 * undefined when the generic reading applies. An Ollama `hf.co/org/repo:quant` tag is the Hub repo itself.
 */
function typedReference(input: CodeReferenceInput, value: string, facts: Facts): ModelReference | undefined {
  const common = {
    id: codeReferenceId(input, value),
    extractor: input.extractor,
    raw: redact(value),
    strength: "declared" as const,
    location: input.location,
    ...roleAndRelation(input),
  };
  const withFacts = Object.keys(facts).length > 0 ? { facts } : {};
  if (input.kind === "ollama-tag" && !value.includes("$")) {
    const hf = /^(?:hf\.co|huggingface\.co)\/([^:]+)(?::(.+))?$/.exec(value);
    const hub = hf ? parseHubId(hf[1]!) : undefined;
    if (hub)
      return {
        ...common,
        kind: "hub-id",
        target: hub.id,
        ...withFacts,
        facts: { ...facts, ...(hf![2] ? { quantization: hf![2] } : {}), ollama: true },
      };
    if (OLLAMA_TAG.test(value) && !looksLikePath(value))
      return { ...common, kind: "ollama-tag", target: value.includes(":") ? value : `${value}:latest`, ...withFacts };
  }
  const modelscope = input.kind === "modelscope-id" && !looksLikePath(value) ? parseHubId(value) : undefined;
  if (modelscope)
    return {
      ...common,
      kind: "modelscope-id",
      target: modelscope.id,
      ...(input.revision ? { revision: input.revision } : {}),
      ...withFacts,
    };
  if (input.kind === "known-component") return { ...common, kind: "known-component", target: value, ...withFacts };
  if (input.kind === "hosted-model" && input.provider)
    return { ...common, kind: "hosted-model", target: value, provider: input.provider, ...withFacts };
  if (/^https?:\/\//i.test(value) && !parseHubId(value)) return { ...common, kind: "url", target: value, ...withFacts };
  return undefined;
}

function buildCodeReference(input: CodeReferenceInput): ModelReference {
  const facts: Facts = { ...(input.facts ?? {}) };
  if (input.value === undefined) return dynamicReference(input, facts);
  const value = input.value.trim();
  if (value.includes("$") && /\$\{?[A-Za-z_]/.test(value)) {
    // `${VAR}` / `${VAR:-default}`: the linking pass resolves it from .env; keep the kind it will need.
    const ref = genericReference(input, value, facts);
    return {
      ...ref,
      id: codeReferenceId(input, value),
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.revision ? { revision: input.revision } : {}),
    };
  }
  const wf = weightFormatOf(value);
  if (wf && !("weightFormat" in facts)) facts.weightFormat = wf;
  const typed = typedReference(input, value, facts);
  if (typed) return typed;
  const out: ModelReference = { ...genericReference(input, value, facts), id: codeReferenceId(input, value) };
  if (input.revision && !out.revision) out.revision = input.revision;
  return out;
}

/** True when `value` is worth reporting when found in a model-named variable or key: a Hub id, a path, a cache path. */
export function isModelShaped(value: string): boolean {
  const v = value.trim();
  if (v === "" || v.length > 300 || /\s/.test(v)) return false;
  if (/models--[\w.-]+--[\w.-]+/.test(v)) return true;
  if (/^https?:\/\//i.test(v)) return parseHubId(v) !== undefined || weightFormatOf(v) !== undefined;
  return parseHubId(v) !== undefined || looksLikePath(v) || weightFormatOf(v) !== undefined;
}
