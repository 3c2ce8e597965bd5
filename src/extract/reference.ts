/**
 * Helpers extractors share to build references and components with stable ids and redacted raw text.
 */
import { isAbsolute, posix } from "node:path";
import type {
  ComponentRole,
  Diagnostic,
  EvidenceStrength,
  ModelReference,
  Relation,
  SkipReason,
  SourceLocation,
} from "../model/types.js";
import { stableId } from "../util/hash.js";
import { redact } from "../util/redact.js";
import { FOLDER_NAMESPACES, parseHubId } from "../util/hub-id.js";
import { hasPathPrefix } from "../util/path-shape.js";

/** Input of {@link makeReference}. */
export interface ReferenceInput {
  extractor: string;
  raw: string;
  location: SourceLocation;
  relation?: Relation;
  role?: ComponentRole;
  subject?: string;
  strength?: EvidenceStrength;
  facts?: Record<string, string | number | boolean>;
  /** Folder of the referencing file (root-relative), to resolve relative local paths. */
  baseDir?: string;
}

/**
 * A Hugging Face cache folder: `models--org--name[/snapshots/<sha>]` (huggingface_hub cache layout,
 * https://huggingface.co/docs/huggingface_hub/guides/manage-cache). Groups: org, name, snapshot commit.
 */
export const HF_CACHE =
  /(?:^|\/)models--([A-Za-z0-9](?:[\w.]|-(?!-))*)--([\w.-]+)(?:\/(?:snapshots\/([0-9a-f]{40})|blobs|refs)|\/|$)/;

const VAR = /\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}?/;

/**
 * Characters no model id or path is written with, that make a value read as another id or hide part of it: C0 and
 * C1 controls (tab, newline and carriage return aside), the soft hyphen, zero-width and other invisible format
 * characters (U+200B-U+200F, U+2060-U+2064, U+FEFF, variation selectors, tag characters), bidirectional embeddings,
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069, U+061C), Hangul fillers, and the full-width letters, digits
 * and id punctuation (`－．／＿`) of the Halfwidth and Fullwidth Forms block (`Ｑwen` is not `Qwen`; full-width
 * commas and colons of CJK prose are left alone). Unicode character database, General_Category Cc/Cf. One character
 * class: a linear scan.
 */
const HIDDEN =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uff0d-\uff19\uff21-\uff3a\uff3f\uff41-\uff5a\uffa0\u{e0000}-\u{e007f}]/gu;

/**
 * The hidden or look-alike characters of a value as code points (`U+200B, U+FF31`), at most five, or undefined when
 * it has none. Such a value is never normalised into another id: its reference stays unresolved ({@link makeReference}).
 */
export function hiddenCharacters(value: string): string | undefined {
  const found = [...new Set(value.match(HIDDEN) ?? [])];
  if (found.length === 0) return undefined;
  const names = found.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
  return names.length > 5 ? `${names.slice(0, 5).join(", ")}, ...` : names.join(", ");
}

/**
 * Non-ASCII characters of a value shaped like a Hub id (not a path, not a URL), as code points, or undefined. Hub ids
 * are ASCII (letters, digits, `-_.`, one `/`), so `Qwеn/Qwen2.5-7B` (Cyrillic е), a Braille blank, a non-breaking
 * hyphen or a division slash in one is a look-alike of another id, never that id. Paths may be non-ASCII (a folder
 * named in Chinese) and are left alone.
 */
function lookAlikeCharacters(value: string): string | undefined {
  if (looksLikePath(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  const found = [...new Set(value.match(/[^\x20-\x7e]/gu) ?? [])];
  if (found.length === 0) return undefined;
  const names = found.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
  return names.length > 5 ? `${names.slice(0, 5).join(", ")}, ...` : names.join(", ");
}

/**
 * One warning per reference whose value holds hidden or look-alike characters, naming the file and the key (or line)
 * where it is written and the code points: the reference is unresolved and its component undetermined.
 */
export function hiddenCharacterDiagnostics(references: readonly ModelReference[] | undefined): Diagnostic[] {
  return (references ?? [])
    .filter((r) => typeof r.facts?.hiddenCharacters === "string")
    .map((r) => ({
      code: "hidden-characters" as const,
      severity: "warning" as const,
      message: `${r.location.pointer ? `${r.location.pointer} holds` : "the model value holds"} ${String(r.facts!.hiddenCharacters)} (invisible, control, bidirectional or full-width characters): not read as a model id, the reference is unresolved`,
      location: r.location,
    }));
}

/**
 * Classifies a model value as written and builds the reference: a Hub id, a local path (resolved against `baseDir`
 * to a root-relative path, or marked outside the root), a `${VAR}` (kept for the linking pass), or an empty value.
 */
export function makeReference(input: ReferenceInput): ModelReference {
  const raw = redact(input.raw.trim());
  const base = {
    extractor: input.extractor,
    raw,
    location: input.location,
    strength: input.strength ?? ("declared" as const),
    ...(input.relation ? { relation: input.relation } : {}),
    ...(input.role ? { role: input.role } : {}),
    ...(input.subject ? { subject: input.subject } : {}),
    ...(input.facts ? { facts: input.facts } : {}),
  };
  const id = stableId([input.extractor, input.location.file, input.location.pointer ?? input.location.line, raw]);
  if (raw === "" || raw === "null" || raw === "None") {
    return { id, kind: "hub-id", ...base, skipReason: "missing-value" satisfies SkipReason };
  }
  // `Qwen/Qwen2.5-7B\u200b-Instruct` or `Ｑwen/...` is neither that id nor another: unresolved, said, never normalised.
  const hidden = hiddenCharacters(raw) ?? lookAlikeCharacters(raw);
  if (hidden)
    return {
      id,
      kind: "hub-id",
      ...base,
      skipReason: "unsupported-syntax",
      facts: { ...(input.facts ?? {}), hiddenCharacters: hidden },
    };
  if (VAR.test(raw) && /\$/.test(raw)) {
    return {
      id,
      kind: "hub-id",
      ...base,
      skipReason: "dynamic-value",
      facts: { ...(input.facts ?? {}), expression: raw },
    };
  }
  const cache = HF_CACHE.exec(raw.replace(/\\/g, "/"));
  if (cache) {
    // A relative cache path may point at a snapshot inside the scanned tree: the linking pass ties it to that folder.
    const placed = looksLikePath(raw) ? placePath(raw, input.baseDir ?? "") : undefined;
    const localPath = placed?.inside ? placed.path : undefined;
    return {
      id,
      kind: "hub-id",
      ...base,
      target: `${cache[1]}/${cache[2]}`,
      ...(cache[3] ? { revision: cache[3] } : {}),
      facts: { ...(input.facts ?? {}), hfCachePath: true, ...(localPath ? { localPath } : {}) },
    };
  }
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  const hub =
    isUrl || /^(?:hf\.co\/|huggingface\.co\/|hf[-_]hub:)/i.test(raw) || !looksLikePath(raw)
      ? parseHubId(raw)
      : undefined;
  if (hub) return { id, kind: "hub-id", ...base, target: hub.id, ...(hub.revision ? { revision: hub.revision } : {}) };
  if (isUrl) return { id, kind: "url", ...base, target: raw, skipReason: "unsupported-syntax" };
  if (looksLikePath(raw)) {
    const placed = placePath(raw, input.baseDir ?? "");
    return {
      id,
      kind: "local-path",
      ...base,
      target: placed.path,
      skipReason: placed.inside ? "local-path" : "local-path-outside-root",
    };
  }
  return { id, kind: "known-component", ...base, target: raw, skipReason: "unknown-alias" };
}

/**
 * Where a written path lies from folder `dir` (root-relative, `""` for the root): a root-relative POSIX path and
 * `inside: true`, or the path as written (absolute, `~`, a drive) or as joined (`../x`) with `inside: false`.
 */
export function placePath(raw: string, dir: string): { path: string; inside: boolean } {
  const norm = raw.replace(/\\/g, "/");
  if (isAbsolute(norm) || /^[A-Za-z]:\//.test(norm) || norm.startsWith("~")) return { path: norm, inside: false };
  const joined = posix.normalize(posix.join(dir, norm));
  if (joined.startsWith("../") || joined === "..") return { path: joined, inside: false };
  return { path: joined.replace(/\/$/, ""), inside: true };
}

/** True for values written as file-system paths (`.`, `..`, `./x`, `../x`, `/x`, `C:\x`, `x/y/z`, `models\x`). */
export function looksLikePath(raw: string): boolean {
  const v = raw.replace(/\\/g, "/");
  if (hasPathPrefix(v)) return true;
  if (raw.includes("\\")) return true;
  const first = v.split("/")[0] ?? "";
  if (v.includes("/") && FOLDER_NAMESPACES.has(first.toLowerCase())) return true;
  // `asset/Embed.safetensors`: a weight file, never an `org/name` Hub id.
  if (v.includes("/") && /\.(?:bin|pt|pth|ckpt|pkl|safetensors|gguf|onnx)$/i.test(v)) return true;
  return v.split("/").filter(Boolean).length > 2;
}
