/**
 * Runs the registered extractors over the discovered files with bounded concurrency. One bad file never stops the
 * scan: any error an extractor throws becomes a diagnostic naming the file and what is wrong.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { posix } from "node:path";
import type { DiscoveredFile } from "../discover/walk.js";
import type { Diagnostic } from "../model/types.js";
import { BinaryFileError, createFileReader, decodeText, FileTooLargeError, InvalidUtf8Error, type ReadCounter } from "./file-reader.js";
import type { ExtractContext, Extractor, ExtractOutput } from "./types.js";

/** Everything the extractors produced, merged, plus per-file bookkeeping for coverage. */
export interface ExtractionResult {
  outputs: { extractor: string; file: string; output: ExtractOutput }[];
  diagnostics: Diagnostic[];
  filesScanned: number;
  bytesRead: number;
  byExtractor: Record<string, number>;
  tooLarge: string[];
  binary: string[];
}

/** Files up to this size are read once and shared by the extractors that want them (1 MiB). */
const PRELOAD_MAX_BYTES = 1024 * 1024;

/** A file as opened for the extractors: its size, its bytes when small, or why it could not be opened. */
interface Loaded {
  size: number;
  /** The bytes of a small file that is not valid UTF-8 text (binary, or another encoding). */
  bytes?: Uint8Array;
  /** The text of a small UTF-8 file, decoded straight from the scratch buffer (no copy of its bytes is kept). */
  text?: string;
  error?: unknown;
}

/** Scratch buffer for the first read of each file: most files fit, and then no `fstat` is needed (64 KiB). */
const FIRST_READ = Buffer.allocUnsafe(64 * 1024);

/**
 * Opens `file` once and reads it whole when it is at most `maxBytes`. A first read into a scratch buffer ends at
 * end-of-file for most files, which gives their size without an `fstat`; larger files are measured with `fstat`.
 * Never throws: an error is returned for the extractor's diagnostic.
 */
function load(file: DiscoveredFile, maxBytes: number, counter: ReadCounter): Loaded {
  let fd: number;
  try {
    fd = openSync(file.absolutePath, "r");
  } catch (error) {
    return { size: file.size ?? 0, error };
  }
  try {
    const first = readSync(fd, FIRST_READ, 0, FIRST_READ.length, 0);
    counter.bytes += first;
    if (first < FIRST_READ.length) {
      if (first > maxBytes) return { size: first };
      const view = FIRST_READ.subarray(0, first);
      // Text files are decoded at once; binary and non-UTF-8 files keep their bytes for the readers' own errors.
      const text = view.includes(0) ? undefined : decodeText(view);
      return text !== undefined ? { size: first, text } : { size: first, bytes: Buffer.from(view) };
    }
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { size };
    const bytes = Buffer.allocUnsafe(size);
    FIRST_READ.copy(bytes, 0, 0, Math.min(first, size));
    let off = Math.min(first, size);
    while (off < size) {
      const n = readSync(fd, bytes, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    counter.bytes += off - Math.min(first, size);
    // A file that shrank while read keeps what was there.
    return { size: off, bytes: off === size ? bytes : bytes.subarray(0, off) };
  } catch (error) {
    return { size: file.size ?? 0, error };
  } finally {
    closeSync(fd);
  }
}

/** Maps a thrown error to a diagnostic. */
function errorDiagnostic(file: string, extractor: string, err: unknown): Diagnostic {
  if (err instanceof FileTooLargeError) return { code: "file-too-large", severity: "warning", message: `${err.message} (extractor ${extractor})`, location: { file } };
  if (err instanceof BinaryFileError) return { code: "binary-file", severity: "error", message: `${err.message} (extractor ${extractor} expected a text manifest)`, location: { file } };
  if (err instanceof InvalidUtf8Error) return { code: "invalid-utf8", severity: "error", message: err.message, location: { file } };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EACCES" || e?.code === "EPERM" || e?.code === "EISDIR") return { code: "unreadable", severity: "error", message: `cannot read file: ${e.code}`, location: { file } };
  return { code: "extractor-error", severity: "error", message: `${extractor}: ${(err as Error)?.message ?? String(err)}`, location: { file } };
}

/**
 * Runs every extractor whose `matches` accepts a file.
 * @param concurrency number of files read at once (default 16).
 */
export async function runExtractors(files: readonly DiscoveredFile[], extractors: readonly Extractor[], ctx: ExtractContext, concurrency = 16): Promise<ExtractionResult> {
  const counter: ReadCounter = { bytes: 0 };
  const result: ExtractionResult = { outputs: [], diagnostics: [], filesScanned: 0, bytesRead: 0, byExtractor: {}, tooLarge: [], binary: [] };
  const jobs: { file: DiscoveredFile; extractor: Extractor }[] = [];
  for (const f of files) {
    const base = posix.basename(f.path);
    let wanted = false;
    for (const x of extractors) {
      if (x.matches(f.path, base)) {
        jobs.push({ file: f, extractor: x });
        wanted = true;
      }
    }
    if (wanted) result.filesScanned++;
  }
  // Each wanted file is opened once: its size comes from the open handle (the walk does not stat), and a small file
  // is read whole, synchronously (for many small files the promise API's open/read/close per call costs more than
  // the read), and shared by every extractor that wants it; the buffer is dropped after the file's last job.
  const remaining = new Map<DiscoveredFile, number>();
  for (const j of jobs) remaining.set(j.file, (remaining.get(j.file) ?? 0) + 1);
  const cache = new Map<DiscoveredFile, Loaded>();
  const preload = (file: DiscoveredFile): Loaded => {
    let loaded = cache.get(file);
    if (!loaded) loaded = load(file, Math.min(PRELOAD_MAX_BYTES, ctx.maxTextBytes), counter);
    const left = (remaining.get(file) ?? 1) - 1;
    remaining.set(file, left);
    if (left > 0) cache.set(file, loaded);
    else cache.delete(file);
    return loaded;
  };
  const slots: ({ extractor: string; file: string; output: ExtractOutput } | undefined)[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      const { file, extractor } = jobs[i]!;
      const loaded = preload(file);
      result.byExtractor[extractor.id] = (result.byExtractor[extractor.id] ?? 0) + 1;
      try {
        if (loaded.error) throw loaded.error;
        const reader = createFileReader(file.path, file.absolutePath, loaded.size, ctx.maxTextBytes, counter, loaded.text !== undefined ? { text: loaded.text } : loaded.bytes);
        slots[i] = { extractor: extractor.id, file: file.path, output: await extractor.extract(reader, ctx) };
      } catch (err) {
        if (err instanceof FileTooLargeError) result.tooLarge.push(file.path);
        if (err instanceof BinaryFileError) result.binary.push(file.path);
        const diag = errorDiagnostic(file.path, extractor.id, err);
        // A model manifest that could not be read still describes a component: it becomes undetermined.
        const unparsable = /(?:^|\/)(?:config|adapter_config)\.json$/.test(file.path)
          ? { components: [{ key: `${file.path}#`, role: (file.path.endsWith("adapter_config.json") ? "adapter" : "model") as "adapter" | "model", name: posix.dirname(file.path) === "." ? posix.basename(file.path) : posix.basename(posix.dirname(file.path)), location: { file: file.path }, unparsable: true }] }
          : {};
        slots[i] = { extractor: extractor.id, file: file.path, output: { ...unparsable, diagnostics: [diag] } };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
  for (const s of slots) if (s) result.outputs.push(s);
  result.bytesRead = counter.bytes;
  return result;
}
