/**
 * Value-flow rule "weight URL": a plain URL that downloads model weights, wherever a repository writes it (a YAML or
 * JSON config value, a string in code or a notebook, a `wget` / `curl` line of a script, a README link). A URL is a
 * weight download when its file name has a weight-file extension (pickle `.pth` / `.pt` / `.bin` / `.ckpt` / `.pkl`,
 * `.safetensors`, `.gguf`, `.onnx`, `.npz`, `.h5`, `.tflite`), or is an archive (`.zip`, `.tar`, `.tar.gz`, `.tgz`)
 * whose path names a checkpoint (`checkpoints_1226.zip`, `.../models/x.tar`). A Hugging Face file URL
 * (`https://huggingface.co/<org>/<name>/resolve/<rev>/<file>`) and an `hf://<org>/<name>/<file>` path (huggingface_hub's
 * `HfFileSystem`, `cached_path`; https://huggingface.co/docs/huggingface_hub/guides/hf_file_system) name their
 * repository, whatever the file. Data files
 * (`.json`, `.jsonl`, `.csv`, `.parquet`, images, audio) and pages are not weights. Pure string tests.
 */
import { parseHubId } from "../../util/hub-id.js";
import { trimEndChars } from "../../util/text.js";

/** Weight-file extensions of a downloaded checkpoint (lower case, without the dot). */
const WEIGHT_EXTENSIONS: ReadonlySet<string> = new Set([
  "pth",
  "pt",
  "bin",
  "ckpt",
  "pkl",
  "safetensors",
  "gguf",
  "onnx",
  "npz",
  "h5",
  "tflite",
]);

/** Archive names, accepted when the URL's path names a checkpoint. */
const ARCHIVE = /\.(?:zip|tar|tar\.gz|tgz|tar\.xz|7z)$/;
const CHECKPOINT_WORD = /checkpoint|ckpt|weights?|pretrained|models?\b|models?[_/-]/;

/** A Hub file URL: `https://huggingface.co/<org>/<name>/resolve|blob/<rev>/<file>` (not datasets or Spaces). */
const HUB_FILE_URL =
  /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co|hf-mirror\.com)\/(?!datasets\/|spaces\/)[\w.-]+\/[\w.-]+\/(?:resolve|blob)\/\S+$/;

/** What {@link weightUrl} found: the URL (query and fragment kept off) and, for a Hub file URL, the repository. */
export interface WeightUrl {
  url: string;
  /** The file name the URL downloads (`model_base.pth`). */
  file: string;
  /** For a Hub file URL: the repository id. */
  hubId?: string;
}

/**
 * Classifies `value` as a weight download URL, or undefined (not a URL, a page, a data file, a Hub dataset).
 * Only `http` / `https`; at most 500 characters; no whitespace.
 */
export function weightUrl(value: string): WeightUrl | undefined {
  const v = value.trim();
  const hf = /^hf:\/\/(?!datasets\/|spaces\/)(?:models\/)?([\w.-]+\/[\w.-]+)\/(\S+)$/.exec(v);
  if (hf && v.length <= 500) {
    const hub = parseHubId(hf[1]!);
    return hub ? { url: v, file: hf[2]!.slice(hf[2]!.lastIndexOf("/") + 1), hubId: hub.id } : undefined;
  }
  if (v.length > 500 || !/^https?:\/\/[^\s/]+\/\S+$/i.test(v)) return undefined;
  const q = v.search(/[?#]/);
  const url = q >= 0 ? v.slice(0, q) : v;
  const file = url.slice(url.lastIndexOf("/") + 1);
  if (HUB_FILE_URL.test(url)) {
    const hub = parseHubId(url);
    return hub ? { url, file, hubId: hub.id } : undefined;
  }
  const lower = file.toLowerCase();
  const dot = lower.lastIndexOf(".");
  if (dot > 0 && WEIGHT_EXTENSIONS.has(lower.slice(dot + 1))) return { url, file };
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2)).toLowerCase();
  if (ARCHIVE.test(lower) && CHECKPOINT_WORD.test(path)) return { url, file };
  return undefined;
}

/** A URL token in free text (a docstring, a Markdown line): scheme, then anything up to a space, quote or bracket. */
const URL_TOKEN = /https?:\/\/[^\s"'<>()[\]`]+/g;

/** The weight URLs written in free text, with their 0-based offsets (a trailing `.` or `,` is not part of a URL). */
export function weightUrlsIn(text: string): { at: number; found: WeightUrl }[] {
  const out: { at: number; found: WeightUrl }[] = [];
  for (const m of text.matchAll(URL_TOKEN)) {
    const raw = trimEndChars(m[0], ".,;:");
    const found = weightUrl(raw);
    if (found) out.push({ at: m.index, found });
  }
  return out;
}
