/**
 * Application settings in YAML, JSON and TOML (RAG servers, chat front ends, agents, Helm values, LiteLLM proxy
 * configs): keys that name a model (`model`, `model_id`, `model_name`, `repo_id`, `tokenizer`, `*_model`,
 * `*_model_name`, `*_repo_id`, `embedding_model`, ...) holding a Hub-id-shaped value, including `${VAR:default}`
 * (Spring / PrivateGPT) and `${VAR:-default}` forms, which the linking pass resolves from `.env`; model lists
 * (`name` / `id` entries under a `models` key, HuggingChat's `MODELS=[...]` JSON embedded in a string); LiteLLM
 * prefixes (`huggingface/<id>`, `ollama/<tag>`, https://docs.litellm.ai/docs/providers). Values under an `ollama`
 * section are Ollama tags. Not models: MIME types, URLs, prompt and template files, paths under non-path keys.
 * Merge and training recipes (mergekit, axolotl, LLaMA-Factory) are left to their own extractors.
 */
import { posix } from "node:path";
import { parse as parseToml } from "smol-toml";
import { parseTree, getNodeValue, type ParseError } from "jsonc-parser";
import type { ComponentRole, Diagnostic, ModelReference, ReferenceKind, Relation } from "../../../model/types.js";
import { codeReference, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { weightFormatOf } from "../../../formats/weight-format.js";
import { looksLikePath } from "../../reference.js";
import { parseJsonDocument, parseYamlDocument, toPointer, type ParsedDocument } from "../../document.js";
import { parseHubId } from "../../../util/hub-id.js";
import type { Extractor, ExtractOutput, VariableDefinition } from "../../types.js";
import { helmToYaml, helmValueVariables, isHelmTemplate } from "../../helm.js";
import { hasPathPrefix } from "../../../util/path-shape.js";
import { weightUrl } from "../../code/weight-url.js";

const ID = "app-settings";

/** Files other extractors own, or that never configure models. */
const NOT_SETTINGS =
  /^(?:package(?:-lock)?\.json|tsconfig(?:\.[\w-]+)?\.json|jsconfig\.json|composer\.(?:json|lock)|\.eslintrc.*|\.prettierrc.*|renovate\.json|lerna\.json|turbo\.json|vercel\.json|config\.json|adapter_config\.json|generation_config\.json|tokenizer(?:_config)?\.json|special_tokens_map\.json|added_tokens\.json|vocab\.json|preprocessor_config\.json|processor_config\.json|model_index\.json|modules\.json|config_sentence_transformers\.json|sentence_bert_config\.json|quantize_config\.json|.*\.safetensors\.index\.json|.*\.bin\.index\.json|(?:docker-)?compose(?:[._-][\w.-]+)?\.ya?ml|pnpm-lock\.yaml|yarn\.lock|Cargo\.toml|Cargo\.lock|poetry\.lock|pyproject\.toml|.*\.schema\.json|\.pre-commit-config\.yaml|mkdocs\.ya?ml|codecov\.ya?ml|\.aiprovrc.*|aiprov\.config\..*)$/i;

/** A value found under a model key, with where it sits. */
interface Hit {
  key: string;
  value: string;
  pointer: string;
  /** Keys from the root to the value. */
  path: (string | number)[];
  /** Types of the entry's `endpoints: [{ type }]` (HuggingChat model lists), `|`-joined. */
  endpointTypes?: string;
  /** How the settings' model relates to the target, when the value says it (`base_model:quantized:<id>`). */
  relation?: Relation;
  /** The value was read from a Hub tag (`base_model:<id>`) or a Hub file URL, not from a model-named key. */
  via?: "tag" | "file-url" | "weight-url";
}

/** A Hub file URL (`https://huggingface.co/<org>/<repo>/resolve/<rev>/<file>`): weights a catalog or app downloads. */
const HUB_FILE_URL =
  /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(?!datasets\/|spaces\/)[\w.-]+\/[\w.-]+\/(?:resolve|blob)\/[^\s]+$/;

/** The Hub's `base_model` tags: `base_model:<id>` and `base_model:<relation>:<id>` (https://huggingface.co/docs/hub/model-cards#specifying-a-base-model). */
const BASE_MODEL_TAG = /^base_model:(?:(adapter|finetune|merge|quantized):)?([\w.-]+\/[\w.-]+)$/;

/** Context for {@link settingsReferences}. */
export interface SettingsContext {
  file: string;
  extractor?: string;
  /** Line and column of a pointer, when known. */
  locate(pointer: string, value: string, key?: string): { line: number; column: number } | undefined;
  /** Pointer prefix (for blobs embedded in a string). */
  pointerPrefix?: string;
}

const SPRING_VAR = /^\$\{([A-Za-z_][A-Za-z0-9_]*):(?!-)([^}]*)\}$/;

function roleFor(path: (string | number)[], key: string): ComponentRole | undefined {
  const p = [...path.map(String), key].join("/").toLowerCase();
  if (/rerank/.test(p)) return "reranker";
  if (/embed/.test(p)) return "embedding";
  if (/tokenizer/.test(key.toLowerCase())) return "tokenizer";
  if (/vision|image_encoder|vit/.test(key.toLowerCase())) return "vision-encoder";
  return undefined;
}

type Classified = { value: string; kind?: ReferenceKind; facts?: Record<string, string | boolean> };

const LITELLM_PREFIX =
  /^(huggingface|ollama|ollama_chat|hosted_vllm|vllm|text-completion-openai|together_ai|openrouter|sagemaker|bedrock|openai|azure|anthropic|gemini|vertex_ai|groq|mistral|cohere)\/(.+)$/;
const OPENAI_API_MODEL =
  /^(?:gpt-|o\d|chatgpt|text-embedding-|text-davinci|dall-e|whisper-1$|tts-|davinci|babbage|omni-moderation)/i;
const HUB_SERVING_PROVIDERS = new Set(["huggingface", "hosted_vllm", "vllm", "together_ai", "openrouter"]);

/**
 * A `${NAME}` / `${NAME:-default}` value (Spring's `${NAME:default}` rewritten to the shell form): kept as written for
 * the link pass, with the kind of its default; undefined when the default is not a model.
 */
function classifyVariable(v: string, key: string, path: (string | number)[]): Classified | undefined {
  // The name holds no "-", so the first "-" starts the default (`${NAME:-default}`).
  const d = v.includes("-") ? v.slice(v.indexOf("-") + 1, -1) : undefined;
  const inner = d !== undefined && d !== "" ? classify(d, key, path) : undefined;
  if (d !== undefined && d !== "" && !inner) return undefined;
  return { value: v, ...(inner?.kind ? { kind: inner.kind } : {}) };
}

/**
 * A LiteLLM-style `provider/model` value: Hub-serving providers name a Hub id, Ollama ones a tag, hosted APIs no
 * downloadable model (undefined). `openai/` is both LiteLLM's OpenAI prefix and a Hub org (openai/whisper-large-v3,
 * openai/clip-vit-...): only OpenAI API model names make it a provider prefix.
 */
function classifyProviderPrefixed(v: string, provider: string, model: string): Classified | undefined {
  if (provider === "openai" && !OPENAI_API_MODEL.test(model)) return parseHubId(v) ? { value: v } : undefined;
  if (HUB_SERVING_PROVIDERS.has(provider)) {
    const id = provider === "openrouter" ? model.replace(/:free$/, "") : model;
    return parseHubId(id) ? { value: id, facts: { provider } } : undefined;
  }
  if (provider === "ollama" || provider === "ollama_chat")
    return { value: model, kind: "ollama-tag", facts: { provider } };
  return undefined;
}

/** Classifies one value under a model key; undefined when it is not a model. */
function classify(value: string, key: string, path: (string | number)[]): Classified | undefined {
  let v = value.trim();
  if (v === "" || /\s/.test(v) || v.length > 300) return undefined;
  const spring = SPRING_VAR.exec(v);
  if (spring) v = spring[2] ? `\${${spring[1]}:-${spring[2]}}` : `\${${spring[1]}}`;
  if (/^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}$/.test(v)) return classifyVariable(v, key, path);
  const lite = LITELLM_PREFIX.exec(v);
  if (lite) return classifyProviderPrefixed(v, lite[1]!, lite[2]!);
  if (/^https?:\/\//i.test(v))
    return parseHubId(v) && !/\/datasets\//.test(v) ? { value: v } : weightFormatOf(v) ? { value: v } : undefined;
  if (/\.(?:ya?ml|json|txt|md|jinja2?|j2|prompt|tmpl|csv|html|py)$/i.test(v)) return undefined;
  const inOllama = path.some((p) => /ollama/i.test(String(p)));
  if (inOllama && /^[A-Za-z0-9][\w.-]*(?::[\w.-]+)?$/.test(v)) return { value: v, kind: "ollama-tag" };
  if (looksLikePath(v))
    return /path|dir|_or_path|file|checkpoint|ckpt|folder|local/i.test(key) || hasPathPrefix(v)
      ? { value: v }
      : undefined;
  if (parseHubId(v)) return { value: v };
  if (weightFormatOf(v) && /path|file|checkpoint|ckpt|weights|model/i.test(key)) return { value: v };
  return undefined;
}

/**
 * A Helm chart's default values file. Override files (`values-prod.yaml`) are one `helm install -f` away and are not
 * applied by default: their model ids are read as settings, not as the chart's values.
 */
const HELM_VALUES_FILE = /^values\.ya?ml$/;

const LIST_ITEM_KEYS = new Set(["name", "id", "model", "model_name", "modelId", "repo_id", "tokenizer"]);

/** Keys that hold the model of an object under a model-named key. */
const NESTED_KEYS = new Set(["name", "id", "repo", "repo_id", "repoId", "repository", "path"]);

function isModelKey(key: string, path: (string | number)[]): boolean {
  if (/^(?:modelUrl|model_url|modelUrls|model_type|model_kwargs|model_max_length|model_format|modelType)$/.test(key))
    return false;
  if (MODEL_NAME.test(key) && !NOT_MODEL_NAME.test(key)) return true;
  // The model a catalog entry or a derived model comes from.
  if (/^(?:parent_?id|parent_?model|source_?model|upstream_?model)$/i.test(key)) return true;
  // `name` / `id` / `repo` of an object under a model-named key (Helm values `model: { name: org/model }`).
  const parent = path.length >= 1 && typeof path[path.length - 1] === "string" ? String(path[path.length - 1]) : "";
  if (NESTED_KEYS.has(key) && parent && MODEL_NAME.test(parent) && !NOT_MODEL_NAME.test(parent)) return true;
  // `name` / `id` of an entry in a list of models (`MODELS: [{ name: "org/model" }]`, LiteLLM `model_list`).
  const parentList = path.length >= 2 && typeof path[path.length - 1] === "number" ? String(path[path.length - 2]) : "";
  return LIST_ITEM_KEYS.has(key) && /models?(?:_list)?$|MODELS$/i.test(parentList);
}

function collect(
  data: unknown,
  path: (string | number)[],
  out: Hit[],
  blobs: { key: string; text: string; path: (string | number)[] }[],
): void {
  if (Array.isArray(data)) {
    data.forEach((d, i) => collect(d, [...path, i], out, blobs));
    return;
  }
  if (!data || typeof data !== "object") return;
  const endpoints = (data as { endpoints?: unknown }).endpoints;
  const types = Array.isArray(endpoints)
    ? [
        ...new Set(
          endpoints
            .map((e) => (e && typeof e === "object" ? (e as { type?: unknown }).type : undefined))
            .filter((t): t is string => typeof t === "string"),
        ),
      ]
    : [];
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === "string") {
      const t = v.trim();
      if ((t.startsWith("[") || t.startsWith("{")) && /model|name|tokenizer/i.test(t) && t.length < 4_000_000)
        blobs.push({ key: k, text: v, path: [...path, k] });
      else if (isModelKey(k, path))
        out.push({
          key: k,
          value: v,
          pointer: toPointer([...path, k]),
          path,
          ...(types.length ? { endpointTypes: types.join("|") } : {}),
        });
      // A Hub file URL under any key (a catalog's artifact `uri`): a GGUF file there is a quantized form of its repo.
      else if (HUB_FILE_URL.test(t))
        out.push({
          key: k,
          value: t,
          pointer: toPointer([...path, k]),
          path,
          via: "file-url",
          ...(/\.gguf$/i.test(t) ? { relation: "quantized" as const } : {}),
        });
      // A weight download URL under any key (`pretrained: 'https://.../model_base.pth'`, src/extract/code/weight-url.ts).
      else if (weightUrl(t)) out.push({ key: k, value: t, pointer: toPointer([...path, k]), path, via: "weight-url" });
    } else if (Array.isArray(v) && v.every((x) => typeof x === "string") && isModelKey(k, path) && /s$/.test(k)) {
      v.forEach((x, i) => out.push({ key: k, value: x as string, pointer: toPointer([...path, k, i]), path }));
    } else if (Array.isArray(v) && v.some((x) => typeof x === "string" && BASE_MODEL_TAG.test(x))) {
      // Hub tags copied into a catalog (`tags: [base_model:org/x]`).
      v.forEach((x, i) => {
        const m = typeof x === "string" ? BASE_MODEL_TAG.exec(x) : null;
        if (m)
          out.push({
            key: k,
            value: m[2]!,
            pointer: toPointer([...path, k, i]),
            path,
            via: "tag",
            ...(m[1] ? { relation: m[1] as Relation } : {}),
          });
      });
    } else if (v && typeof v === "object") collect(v, [...path, k], out, blobs);
  }
}

/** True for recipes other extractors own (mergekit, axolotl, LLaMA-Factory). */
function isRecipe(data: unknown): boolean {
  if (!data || typeof data !== "object" || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  return (
    "merge_method" in d ||
    ("base_model" in d && ("datasets" in d || "adapter" in d || "sequence_len" in d)) ||
    ("model_name_or_path" in d && ("stage" in d || "finetuning_type" in d))
  );
}

/** Parses a JSON blob embedded in a string (strict JSON first, then JSON with trailing commas and comments). */
export function parseBlob(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (!tree || errors.length) return undefined;
    return getNodeValue(tree) as unknown;
  }
}

/** Model references in parsed settings data. */
export function settingsReferences(
  data: unknown,
  ctx: SettingsContext,
  basePath: (string | number)[] = [],
): ModelReference[] {
  if (isRecipe(data)) return [];
  const hits: Hit[] = [];
  const blobs: { key: string; text: string; path: (string | number)[] }[] = [];
  collect(data, basePath, hits, blobs);
  const dir = posix.dirname(ctx.file) === "." ? "" : posix.dirname(ctx.file);
  const refs: ModelReference[] = [];
  for (const h of hits) {
    // A value that reads as an id only once its non-ASCII characters are taken as letters (`Qwеn/Qwen2.5-7B` with a
    // Cyrillic е, a trailing Braille blank) or as slashes (a division slash) is a look-alike: kept as written, so the reference says it (break-11 B2).
    const lookAlike = /[^\x20-\x7e]/u.test(h.value)
      ? (classify(h.value.replace(/[^\x20-\x7e]/gu, "a"), h.key, h.path) ??
        classify(h.value.replace(/[^\x20-\x7e]/gu, "/"), h.key, h.path))
      : undefined;
    const c = classify(h.value, h.key, h.path) ?? (lookAlike ? { ...lookAlike, value: h.value.trim() } : undefined);
    if (!c) continue;
    const pointer = (ctx.pointerPrefix ?? "") + h.pointer;
    const at = ctx.locate(h.pointer, h.value, h.key) ?? { line: 1, column: 1 };
    const role = roleFor(h.path, h.key);
    const ref = codeReference({
      extractor: ctx.extractor ?? ID,
      location: { file: ctx.file, line: at.line, column: at.column, pointer },
      value: c.value,
      ...(c.kind ? { kind: c.kind } : {}),
      ...(role ? { role } : {}),
      facts: {
        key: h.key,
        ...(c.facts ?? {}),
        ...(h.endpointTypes ? { endpointTypes: h.endpointTypes } : {}),
        ...(h.via ? { via: h.via } : {}),
      },
      ...(h.relation ? { relation: h.relation } : {}),
      baseDir: dir,
    });
    refs.push({ ...ref, raw: h.value.trim() });
  }
  for (const b of blobs) {
    const inner = parseBlob(b.text);
    if (inner === undefined) continue;
    const blobPointer = toPointer(b.path);
    const base = ctx.locate(blobPointer, "") ?? { line: 1, column: 1 };
    refs.push(
      ...settingsReferences(
        inner,
        {
          file: ctx.file,
          ...(ctx.extractor ? { extractor: ctx.extractor } : {}),
          pointerPrefix: (ctx.pointerPrefix ?? "") + toPointer(b.path.slice(0, -1)),
          locate: (_p, value, key) => ctx.locate(`${blobPointer}#${value}`, value, key) ?? base,
        },
        [b.key],
      ).map((r) => ({ ...r, facts: { ...(r.facts ?? {}), embeddedJson: b.key } })),
    );
  }
  return refs;
}

/**
 * 1-based column of `key` written as `["']?key["']? *[:=] *["']?value` in `line`, or undefined. Scanned without a
 * regular expression built from the file's text (a 200 KB value made a regex V8 could not compile).
 */
function keyValueColumn(line: string, key: string, value: string): number | undefined {
  const spaces = (j: number): number => {
    while (line[j] === " " || line[j] === "\t") j++;
    return j;
  };
  const quote = (j: number): number => (line[j] === '"' || line[j] === "'" ? j + 1 : j);
  for (let at = line.indexOf(key); at >= 0; at = line.indexOf(key, at + 1)) {
    let j = spaces(quote(at + key.length));
    if (line[j] !== ":" && line[j] !== "=") continue;
    j = quote(spaces(j + 1));
    if (line.startsWith(value, j)) return (at > 0 && (line[at - 1] === '"' || line[at - 1] === "'") ? at - 1 : at) + 1;
  }
  return undefined;
}

/** Whether `raw` names one of the model words (`model`, `repo_id`, `tokenizer`, `checkpoint`, `ckpt`), any case. */
function mentionsModelWords(raw: string): boolean {
  const lower = raw.toLowerCase();
  return ["model", "repo_id", "tokenizer", "checkpoint", "ckpt"].some((w) => lower.includes(w));
}

/** Line of the first occurrence of `"value"` (or the bare value) at or after `fromLine` in `text`. */
export function findValueLine(
  text: string,
  value: string,
  fromLine: number,
  key?: string,
): { line: number; column: number } | undefined {
  if (!value) return undefined;
  const lines = text.split("\n");
  if (key) {
    for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) {
      const column = keyValueColumn(lines[i]!, key, value);
      if (column !== undefined) return { line: i + 1, column };
    }
  }
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) {
    const c = lines[i]!.indexOf(value);
    if (c >= 0) return { line: i + 1, column: c + 1 };
  }
  return undefined;
}

function locator(text: string, doc: ParsedDocument | undefined): SettingsContext["locate"] {
  return (pointer, value, key) => {
    const hash = pointer.indexOf("#");
    if (hash >= 0) {
      const blob = doc?.locate(pointer.slice(0, hash));
      return findValueLine(text, value, blob?.line ?? 1, key) ?? findValueLine(text, value, blob?.line ?? 1);
    }
    const at = doc?.locate(pointer);
    if (at) return at;
    return findValueLine(text, value, 1, key);
  };
}

export const appSettingsExtractor: Extractor = {
  id: ID,
  holdsReferences: true,
  largeFilesAreData: true,
  description:
    "Application settings (YAML, JSON, TOML, Helm values, LiteLLM): model-named keys with Hub ids, ${VAR:default}, model lists",
  matches(path, base) {
    if (!/\.(?:ya?ml|json|toml)$/i.test(base) || NOT_SETTINGS.test(base)) return false;
    return !/(?:^|\/)(?:\.github|\.circleci|\.gitlab|locales?|i18n|translations?|fixtures?\/golden)\//.test(path);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const raw = await file.text(ctx.maxTextBytes);
    // A Helm chart's values file gives `.Values.a.b` to the chart's templates, whatever its keys are named.
    const chartValues = HELM_VALUES_FILE.test(posix.basename(file.path));
    if (!chartValues && !mentionsModelWords(raw) && !raw.includes("://")) return {};
    const text = isHelmTemplate(file.path, raw) ? helmToYaml(raw) : raw;
    const diagnostics: Diagnostic[] = [];
    const references: ModelReference[] = [];
    const variables: VariableDefinition[] = [];
    try {
      if (/\.toml$/i.test(file.path)) {
        const data = parseToml(text);
        references.push(
          ...settingsReferences(data, { file: file.path, locate: (_p, v, k) => findValueLine(text, v, 1, k) }),
        );
      } else if (/\.json$/i.test(file.path)) {
        const doc = parseJsonDocument(text);
        references.push(...settingsReferences(doc.data, { file: file.path, locate: locator(text, doc) }));
      } else {
        const parts = text.split(/^---\s*$/m);
        let offset = 0;
        for (const part of parts) {
          if (part.trim()) {
            const doc = parseYamlDocument(part, offset);
            references.push(...settingsReferences(doc.data, { file: file.path, locate: locator(text, doc) }));
            if (chartValues)
              variables.push(
                ...helmValueVariables(
                  doc.data,
                  file.path,
                  posix.dirname(file.path) === "." ? "" : posix.dirname(file.path),
                  (pointer) => {
                    const at = doc.locate(pointer);
                    return at ? { file: file.path, line: at.line, pointer } : undefined;
                  },
                ),
              );
          }
          offset += part.split("\n").length - 1 + 1;
        }
      }
    } catch (err) {
      diagnostics.push({
        code: "parse-error",
        severity: "warning",
        message: (err as Error).message,
        location: {
          file: file.path,
          ...((err as { line?: number }).line ? { line: (err as { line: number }).line } : {}),
        },
      });
    }
    return { references, diagnostics, ...(variables.length ? { variables } : {}) };
  },
};
