/**
 * Model sources: a local model folder (or, through {@link createRangeSource}, any byte-range reader such as a Hub blob)
 * seen as its safetensors headers, its config and tokenizer files, and a counted byte-range reader. Only headers are
 * read up front; tensor bytes are read later, in bounded chunks, by the comparison code.
 */
import { createReadStream } from "node:fs";
import { open, readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { readSafetensorsHeader, SafetensorsError, type TensorInfo } from "../formats/safetensors.js";
import { classifyTensor, type ComponentKind } from "./components.js";

/** A tensor of a source, with the file that holds it and its component. */
export interface SourceTensor extends TensorInfo {
  /** File name inside the source (e.g. `model-00001-of-00002.safetensors`). */
  file: string;
  kind: ComponentKind;
  prefix: string;
  relative: string;
}

/** A problem with one file of a source (the file is left out; the rest is still compared). */
export interface SourceProblem {
  file: string;
  message: string;
}

/** A model as the fingerprint code sees it. */
export interface ModelSource {
  /** What the user named (folder path or Hub id). */
  label: string;
  /** The Hub repo (and revision asked for) when the source is read from the Hub. */
  hub?: { repo: string; revision?: string };
  /** Weight files read (names inside the source) and their sizes in bytes. */
  files: { name: string; size: number }[];
  tensors: SourceTensor[];
  /** Parsed config.json, when present and valid. */
  config?: Record<string, unknown>;
  /** Raw text of small side files (tokenizer.json, tokenizer_config.json, ...) when present, by name. */
  sideFiles: Map<string, string>;
  problems: SourceProblem[];
  /** A stream of a {@link STREAMED_SIDE_FILES} file, or undefined when the source has none. */
  sideStream(name: (typeof STREAMED_SIDE_FILES)[number]): AsyncIterable<Uint8Array> | undefined;
  /** Reads bytes [start, end) of a weight file. */
  read(file: string, start: number, end: number): Promise<Uint8Array>;
  /** Bytes read so far (headers included). */
  bytesRead(): number;
  /** Total size of the weight files, in bytes. */
  totalBytes(): number;
  close(): Promise<void>;
}

/** Small side files read whole beside the weights (each capped at {@link SIDE_FILE_LIMIT} bytes). */
export const SIDE_FILES = [
  "config.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "chat_template.jinja",
  "chat_template.json",
] as const;
/** Side files streamed, never read whole (tokenizer.json is often 5-30 MB). */
export const STREAMED_SIDE_FILES = ["tokenizer.json"] as const;
/** Cap on a side file (tokenizer.json is often 5-30 MB). */
export const SIDE_FILE_LIMIT = 64 * 1024 * 1024;

/** A byte-range reader for one file. */
export interface RangeFile {
  name: string;
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

function toTensors(file: string, tensors: TensorInfo[]): SourceTensor[] {
  return tensors.map((t) => ({ ...t, file, ...classifyTensor(t.name) }));
}

/**
 * Builds a source from range readers: reads each file's header (8 + N bytes), checks coverage when `checkCoverage`,
 * and records a problem (never throws) for a file that is not valid safetensors.
 */
export async function createRangeSource(
  label: string,
  files: readonly RangeFile[],
  side: {
    config?: Record<string, unknown>;
    sideFiles?: Map<string, string>;
    problems?: SourceProblem[];
    close?: () => Promise<void>;
    hub?: { repo: string; revision?: string };
    sideStream?: ModelSource["sideStream"];
  } = {},
  opts: { maxHeader?: number; checkCoverage?: boolean } = {},
): Promise<ModelSource> {
  let bytes = 0;
  const byName = new Map(files.map((f) => [f.name, f]));
  const tensors: SourceTensor[] = [];
  const problems: SourceProblem[] = [...(side.problems ?? [])];
  const kept: { name: string; size: number }[] = [];
  const read = async (file: string, start: number, end: number): Promise<Uint8Array> => {
    const f = byName.get(file);
    if (!f) throw new SafetensorsError(`${file}: not part of ${label}`);
    if (start < 0 || end > f.size || start > end)
      throw new SafetensorsError(`${file}: range ${start}-${end} lies outside the ${f.size}-byte file`);
    let b: Uint8Array;
    try {
      b = await f.read(start, end);
    } catch (err) {
      // An I/O or network failure on one file is that file's problem, reported like a malformed file.
      throw new SafetensorsError(`${file}: read of bytes ${start}-${end} failed: ${(err as Error).message}`);
    }
    bytes += b.length;
    if (b.length !== end - start)
      throw new SafetensorsError(`${file}: read ${b.length} of ${end - start} bytes at ${start} (file truncated?)`);
    return b;
  };
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      const h = await readSafetensorsHeader((s, e) => read(f.name, s, e), f.size, opts);
      for (const t of toTensors(f.name, h.tensors)) tensors.push(t); // no spread: a header may list 100k+ tensors
      kept.push({ name: f.name, size: f.size });
    } catch (err) {
      if (!(err instanceof SafetensorsError)) throw err;
      problems.push({ file: f.name, message: err.message });
    }
  }
  // A tensor name present in two shards is ambiguous: keep the first, report the rest.
  const seen = new Set<string>();
  const unique = tensors.filter((t) => {
    if (seen.has(t.name)) {
      problems.push({ file: t.file, message: `tensor ${t.name} also appears in another shard; this copy is ignored` });
      return false;
    }
    seen.add(t.name);
    return true;
  });
  return {
    label,
    ...(side.hub ? { hub: side.hub } : {}),
    files: kept,
    tensors: unique,
    ...(side.config ? { config: side.config } : {}),
    sideFiles: side.sideFiles ?? new Map(),
    problems,
    sideStream: side.sideStream ?? (() => undefined),
    read,
    bytesRead: () => bytes,
    totalBytes: () => files.reduce((a, f) => a + f.size, 0),
    close: side.close ?? (async () => {}),
  };
}

/**
 * Opens a local model folder: every `*.safetensors` file directly inside it, plus `config.json` and tokenizer files.
 * Files are opened read-only and only through bounded range reads.
 * @throws Error (ENOENT/ENOTDIR) when `folder` is not a readable folder.
 */
/**
 * A {@link RangeFile} over an open file handle: `read(start, end)` returns bytes [start, end), fewer at end of file.
 * The caller owns the handle and closes it.
 */
export function handleRangeFile(name: string, size: number, fh: Awaited<ReturnType<typeof open>>): RangeFile {
  return {
    name,
    size,
    read: async (start, end) => {
      const buf = Buffer.allocUnsafe(end - start);
      let off = 0;
      while (off < buf.length) {
        const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      return new Uint8Array(buf.buffer, buf.byteOffset, off);
    },
  };
}

export async function openLocalModel(folder: string, label = folder): Promise<ModelSource> {
  const names = (await readdir(folder)).sort();
  const weightNames = names.filter((n) => n.endsWith(".safetensors"));
  const problems: SourceProblem[] = [];
  const handles: Awaited<ReturnType<typeof open>>[] = [];
  const files: RangeFile[] = [];
  for (const name of weightNames) {
    const path = join(folder, name);
    const st = await stat(path);
    if (!st.isFile()) continue;
    const fh = await open(path, "r");
    handles.push(fh);
    files.push(handleRangeFile(name, st.size, fh));
  }
  const sideFiles = new Map<string, string>();
  let config: Record<string, unknown> | undefined;
  for (const name of SIDE_FILES) {
    if (!names.includes(name)) continue;
    const path = join(folder, name);
    const st = await stat(path);
    if (!st.isFile()) continue;
    if (st.size > SIDE_FILE_LIMIT) {
      problems.push({ file: name, message: `${st.size} bytes, over the ${SIDE_FILE_LIMIT}-byte limit; not read` });
      continue;
    }
    const text = await readFile(path, "utf8");
    sideFiles.set(name, text);
    if (name === "config.json") {
      try {
        const v = JSON.parse(text) as unknown;
        if (v && typeof v === "object" && !Array.isArray(v)) config = v as Record<string, unknown>;
        else problems.push({ file: name, message: "not a JSON object" });
      } catch (err) {
        problems.push({ file: name, message: `invalid JSON: ${(err as Error).message}` });
      }
    }
  }
  return createRangeSource(label || basename(folder), files, {
    ...(config ? { config } : {}),
    sideFiles,
    problems,
    sideStream: (name) =>
      names.includes(name) ? createReadStream(join(folder, name), { highWaterMark: 1 << 20 }) : undefined,
    close: async () => {
      await Promise.all(handles.map((h) => h.close()));
    },
  });
}
