import { trimEndChars } from "./text.js";
/**
 * Recognising and normalising Hugging Face Hub model ids.
 * Rules from the Hub's repo-name validation (huggingface_hub `validate_repo_id`): `namespace/name`, each part made of
 * letters, digits, `-`, `_`, `.`, not starting or ending with `-`/`.`, no `--` or `..`, at most 96 characters.
 */
const PART = "[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?";
const HUB_ID = new RegExp(`^(${PART})/(${PART})$`);

/** Common prefixes that wrap a Hub id: `hf.co/`, `https://huggingface.co/`, `hf-hub:`, `hf_hub:`, `huggingface/`. */
const WRAPPERS: RegExp[] = [
  /^https?:\/\/(?:[^/@\s]+@)?(?:www\.)?(?:huggingface\.co|hf\.co)\/(?:models\/)?/i,
  /^(?:hf\.co|huggingface\.co)\//i,
  /^hf[-_]hub:/i,
];

/**
 * File extensions that make `a/b.ext` a file path, not a model id: configs, code, weights, vocabularies, archives
 * and compressed files (`bpe/bpe_simple_vocab_16e6.txt.gz`, a tokenizer vocabulary), data and media.
 */
const NOT_A_MODEL =
  /\.(?:json|jsonl|ya?ml|txt|md|py|js|ts|gguf|bin|pt|pth|ckpt|safetensors|onnx|jinja|csv|tsv|toml|html|xml|png|jpe?g|gif|webp|wav|mp3|flac|mp4|mar|gz|tgz|zip|tar|bz2|xz|zst|7z|npy|npz|pkl|pickle|h5|tflite|parquet|arrow|vocab|tiktoken|log|pdf)$/i;
const MIME_TYPES = /^(?:application|text|image|audio|video|multipart|font|model)\/[a-z0-9.+-]+$/;

/**
 * First segments that name a project folder, not a Hub namespace (`models/Qwen3-4B` is a vendored folder):
 * values starting with one are paths.
 */
export const FOLDER_NAMESPACES: ReadonlySet<string> = new Set([
  "models",
  "model",
  "checkpoints",
  "checkpoint",
  "ckpt",
  "ckpts",
  "weights",
  "data",
  "datasets",
  "outputs",
  "output",
  "local_data",
  "cache",
  "pretrained",
  "pretrained_models",
  "saved_models",
  "artifacts",
  "vocoder",
  "src",
  "assets",
  "static",
  "public",
  "tmp",
  "prompts",
]);

/**
 * Returns the normalised `org/name` when `value` is shaped like a Hub model id (optionally wrapped in a Hub URL or
 * `hf-hub:` prefix, optionally with `@revision` or `:quant` suffix), otherwise undefined.
 * Paths (`./x/y`, `/abs/x`, `x/y.json`), MIME types (`image/png`) and URLs of other hosts are not ids.
 */
export function parseHubId(value: string): { id: string; revision?: string; tag?: string } | undefined {
  let v = value.trim();
  if (v.length === 0 || v.length > 200) return undefined;
  let wrapped = false;
  for (const w of WRAPPERS) {
    if (w.test(v)) {
      v = v.replace(w, "");
      wrapped = true;
      break;
    }
  }
  if (!wrapped && /^[a-z]+:\/\//i.test(v)) return undefined;
  let revision: string | undefined;
  let tag: string | undefined;
  if (wrapped) {
    // https://huggingface.co/org/name/resolve/<rev>/<file> or /tree/<rev>
    const m = /^([^/]+\/[^/]+)\/(?:resolve|blob|tree|raw)\/([^/]+)/.exec(v);
    if (m) {
      v = m[1]!;
      revision = m[2];
    }
    v = trimEndChars(v, "/");
  }
  const at = v.indexOf("@");
  if (at > 0) {
    revision = v.slice(at + 1);
    v = v.slice(0, at);
  }
  const colon = v.indexOf(":");
  if (colon > 0) {
    tag = v.slice(colon + 1);
    v = v.slice(0, colon);
  }
  if (MIME_TYPES.test(v) || NOT_A_MODEL.test(v)) return undefined;
  const m = HUB_ID.exec(v);
  if (!m) return undefined;
  const [, org, name] = m as unknown as [string, string, string];
  if (org.includes("--") || org.includes("..") || name.includes("..")) return undefined;
  if (org === "." || org === "..") return undefined;
  if (!wrapped && FOLDER_NAMESPACES.has(org.toLowerCase())) return undefined;
  return { id: `${org}/${name}`, ...(revision ? { revision } : {}), ...(tag ? { tag } : {}) };
}

/** The organization (namespace) part of a Hub id. */
export function hubOrg(id: string): string {
  return id.split("/")[0] ?? id;
}
