/**
 * Runs the registered extractors over the discovered files with bounded concurrency. One bad file never stops the
 * scan: any error an extractor throws becomes a diagnostic naming the file and what is wrong.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { posix } from "node:path";
import type { DiscoveredFile } from "../discover/walk.js";
import type { Diagnostic, ModelReference } from "../model/types.js";
import { hiddenCharacterDiagnostics, makeReference } from "./reference.js";
import {
  BinaryFileError,
  createFileReader,
  decodeText,
  FileTooLargeError,
  InvalidUtf8Error,
  type ReadCounter,
} from "./file-reader.js";
import type { ExtractContext, Extractor, ExtractOutput } from "./types.js";
import { isModelManifest, manifestStub } from "./manifest-stub.js";
import { claimantsOf, registryPosition } from "./registry.js";
import { ANALYSIS_BUDGET_MS, AnalysisBudgetError, FileBudgetError, parsedFiles, setAnalysisBudget } from "./budget.js";

/** Everything the extractors produced, merged, plus per-file bookkeeping for coverage. */
export interface ExtractionResult {
  outputs: { extractor: string; file: string; output: ExtractOutput }[];
  diagnostics: Diagnostic[];
  filesScanned: number;
  bytesRead: number;
  byExtractor: Record<string, number>;
  /** Files parsed as code (tree-sitter) by the extractors. */
  filesParsed: number;
  tooLarge: string[];
  binary: string[];
  /**
   * For each extractor counted in `byExtractor`, the first file (in the order of `files`) it was run on: lets the pool
   * merge batch counts in the order one run over the sorted list would give (see `mergeInOrder` in `./pool.ts`).
   */
  firstFiles?: Record<string, string>;
}

/**
 * A file's content as first read, shown to a {@link Deferral}: its size, and its text (small UTF-8 files) or its raw
 * bytes (other files up to 1 MiB); neither for a larger file.
 */
export interface LoadedContent {
  readonly size: number;
  readonly text?: string;
  readonly bytes?: Uint8Array;
}

/**
 * Files a run leaves to another (the pool's costly work for its worker threads): `wants` is asked once per file,
 * right after its first read; a file it wants is not extracted here (not counted, its bytes not counted) and is
 * appended to `files`.
 */
export interface Deferral {
  wants(file: DiscoveredFile, content: LoadedContent): boolean;
  readonly files: DiscoveredFile[];
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

/** Words that show a file may hold a model reference (matched on the raw bytes read as Latin-1, case-insensitive). */
const MODEL_WORDS =
  /pretrained|pipeline|model|checkpoint|ckpt|repo_id|tokenizer|huggingface|hf\.co|ollama|models--|\.gguf|\.safetensors|\.pth?\b|\.bin\b|hf_hub_download|snapshot_download|SentenceTransformer|CrossEncoder|InferenceClient|vllm|whisper|open_clip|torch\.hub|torch\.load|load_file|safe_open|modelscope|@xenova\/|@huggingface\//i;

/**
 * Words of model loaders and model files only: what a file too large to analyse is searched for. Generated and bundled
 * files say "model" everywhere (ORM models, view models); they load a model only through words like these.
 */
const LOADER_WORDS =
  /from_pretrained|pipeline\(|hf_hub_download|snapshot_download|SentenceTransformer|CrossEncoder|InferenceClient|huggingface\.co|hf\.co\/|ollama|models--|\.gguf|\.safetensors|@huggingface\/|@xenova\/|vllm|whisper\.load_model|open_clip|torch\.hub\.load|torch\.load|modelscope/i;

/** Bytes searched per chunk when a file too large to parse is searched for {@link MODEL_WORDS} (1 MiB). */
const SEARCH_CHUNK = 1024 * 1024;

/**
 * The first of `words` in a file's raw bytes (searched in bounded chunks, so a file of any size costs one chunk of
 * memory), or undefined when there is none. Throws when the file cannot be read.
 */
async function firstModelWord(
  absolutePath: string,
  bytes: Uint8Array | undefined,
  words: RegExp,
): Promise<string | undefined> {
  // UTF-16 text interleaves NUL bytes: the words are looked for with them taken out too.
  const search = (text: string): string | undefined =>
    words.exec(text)?.[0] ?? (text.includes("\0") ? words.exec(text.replace(/\0/g, ""))?.[0] : undefined);
  if (bytes) return search(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"));
  const fh = await open(absolutePath, "r");
  try {
    const buf = Buffer.allocUnsafe(SEARCH_CHUNK);
    let carry = "";
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(buf, 0, SEARCH_CHUNK, pos);
      if (bytesRead === 0) return undefined;
      pos += bytesRead;
      // A word cut by the chunk edge is found in the overlap kept from the previous chunk.
      const text = carry + buf.toString("latin1", 0, bytesRead);
      const hit = search(text);
      if (hit) return hit;
      carry = text.slice(-32);
    }
  } finally {
    await fh.close();
  }
}

/**
 * The unresolved reference standing for a file that may hold model references but could not be read, or undefined
 * when its bytes hold no model word (then nothing was missed). Unopenable files always count.
 */
async function unreadReference(
  file: DiscoveredFile,
  extractor: string,
  err: unknown,
  loaded: Loaded | undefined,
  declaration = false,
): Promise<ModelReference | undefined> {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why =
    err instanceof FileTooLargeError
      ? "too large to parse"
      : err instanceof AnalysisBudgetError
        ? "analysis exceeded its time budget"
        : err instanceof FileBudgetError
          ? `extraction exceeded its ${err.kind} budget`
          : err instanceof BinaryFileError
            ? "binary (NUL bytes)"
            : err instanceof InvalidUtf8Error
              ? "not valid UTF-8"
              : code === "EACCES" || code === "EPERM"
                ? "not readable (permission denied)"
                : undefined;
  if (!why) return undefined;
  let word: string | undefined = "(unknown: the file could not be opened)";
  if (declaration && err instanceof FileTooLargeError) word = "(a declaration file: not read)";
  else if (loaded?.error === undefined) {
    try {
      word = await firstModelWord(
        file.absolutePath,
        loaded?.bytes,
        err instanceof FileTooLargeError ? LOADER_WORDS : MODEL_WORDS,
      );
    } catch {
      word = "(unknown: the file could not be read)";
    }
  }
  if (!word) return undefined;
  const {
    target: _none,
    skipReason: _alias,
    ...ref
  } = makeReference({
    extractor,
    raw: `<${file.path} not read: ${why}>`,
    location: { file: file.path },
    facts: { notRead: why, modelWord: word },
  });
  return { ...ref, kind: "hub-id", skipReason: "parse-error" };
}

/** True when an extractor's output holds nothing (every field absent or an empty list). */
function isEmptyOutput(o: ExtractOutput): boolean {
  for (const v of Object.values(o)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) return false;
  return true;
}

/** Maps a thrown error to a diagnostic. */
function errorDiagnostic(file: string, extractor: string, err: unknown): Diagnostic {
  if (err instanceof FileTooLargeError)
    return {
      code: "file-too-large",
      severity: "warning",
      message: `${err.message} (extractor ${extractor})`,
      location: { file },
    };
  if (err instanceof BinaryFileError)
    return {
      code: "binary-file",
      severity: "error",
      message: `${err.message} (extractor ${extractor} expected a text manifest)`,
      location: { file },
    };
  if (err instanceof InvalidUtf8Error)
    return { code: "invalid-utf8", severity: "error", message: err.message, location: { file } };
  if (err instanceof FileBudgetError)
    return { code: "file-budget-exceeded", severity: "warning", message: err.message, location: { file } };
  if (err instanceof AnalysisBudgetError)
    return {
      code: "file-budget-exceeded",
      severity: "warning",
      message: `${err.message} (extractor ${extractor})`,
      location: { file },
    };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EACCES" || e?.code === "EPERM" || e?.code === "EISDIR")
    return { code: "unreadable", severity: "error", message: `cannot read file: ${e.code}`, location: { file } };
  return {
    code: "extractor-error",
    severity: "error",
    message: `${extractor}: ${(err as Error)?.message ?? String(err)}`,
    location: { file },
  };
}

/**
 * Of `extractors` (in their order), those that may want a file named `base`: the registered ones whose row in the
 * registry claims the name (one table lookup, `claimantsOf`), and every unregistered one (a test's own extractor).
 * Only these are asked `matches()`, so most files of a code tree cost no regex at all.
 */
function claimantTable(extractors: readonly Extractor[]): (base: string) => readonly Extractor[] {
  const positions = extractors.map((x) => registryPosition(x.id));
  const memo = new Map<string, Extractor[]>();
  return (base) => {
    const claimed = claimantsOf(base);
    const key = claimed.join(",");
    let list = memo.get(key);
    if (!list) {
      const set = new Set(claimed);
      list = extractors.filter((_, i) => positions[i] === undefined || set.has(positions[i]!));
      memo.set(key, list);
    }
    return list;
  };
}

/**
 * The result for a file a worker thread abandoned (`err`: its time or memory budget): a diagnostic naming it, a stub
 * component when it is a model manifest, and an unresolved reference when its bytes hold model words, so that what it
 * holds is undetermined, never a silent pass.
 */
export async function abandonedFile(file: DiscoveredFile, err: FileBudgetError): Promise<ExtractionResult> {
  const unread = await unreadReference(file, "extraction", err, undefined);
  const output: ExtractOutput = {
    ...(isModelManifest(file.path) ? { components: [manifestStub(file.path)] } : {}),
    ...(unread ? { references: [unread] } : {}),
    diagnostics: [errorDiagnostic(file.path, "extraction", err)],
  };
  return {
    outputs: [{ extractor: "extraction", file: file.path, output }],
    diagnostics: [],
    filesScanned: 1,
    bytesRead: 0,
    byExtractor: {},
    filesParsed: 0,
    tooLarge: [],
    binary: [],
  };
}

/**
 * Runs every extractor whose `matches` accepts a file.
 * @param concurrency number of files read at once (default 16).
 * @param onFileStart called with the index (in `files`) of each file as its extraction starts (the pool's watchdog).
 * @param deferral files to leave to another run, decided after their first read (see {@link Deferral}).
 */
export async function runExtractors(
  files: readonly DiscoveredFile[],
  extractors: readonly Extractor[],
  ctx: ExtractContext,
  concurrency = 16,
  onFileStart?: (index: number) => void,
  deferral?: Deferral,
): Promise<ExtractionResult> {
  setAnalysisBudget(ctx.analysisBudgetMs ?? ANALYSIS_BUDGET_MS);
  const counter: ReadCounter = { bytes: 0 };
  const result: ExtractionResult = {
    outputs: [],
    diagnostics: [],
    filesScanned: 0,
    bytesRead: 0,
    byExtractor: {},
    filesParsed: 0,
    tooLarge: [],
    binary: [],
  };
  const parsedBefore = parsedFiles();
  const jobs: { file: DiscoveredFile; extractor: Extractor }[] = [];
  const claimants = claimantTable(extractors);
  for (const f of files) {
    const base = posix.basename(f.path);
    let wanted = false;
    for (const x of claimants(base)) {
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
  const deferred = new Set<DiscoveredFile>();
  const firstFiles: Record<string, string> = {};
  const preload = (file: DiscoveredFile): Loaded | undefined => {
    let loaded = cache.get(file);
    if (!loaded) {
      const before = counter.bytes;
      loaded = load(file, Math.min(PRELOAD_MAX_BYTES, ctx.maxTextBytes), counter);
      if (deferral && loaded.error === undefined && deferral.wants(file, loaded)) {
        // Left to another run, which reads and counts it: as if this run had never seen it.
        counter.bytes = before;
        deferred.add(file);
        deferral.files.push(file);
        result.filesScanned--;
        return undefined;
      }
    }
    const left = (remaining.get(file) ?? 1) - 1;
    remaining.set(file, left);
    if (left > 0) cache.set(file, loaded);
    else cache.delete(file);
    return loaded;
  };
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const reportedUnopened = new Set<string>();
  const unreadReported = new Set<string>();
  const slots: ({ extractor: string; file: string; output: ExtractOutput } | undefined)[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      const { file, extractor } = jobs[i]!;
      if (deferred.has(file)) continue;
      onFileStart?.(fileIndex.get(file)!);
      const loaded = preload(file);
      if (!loaded) continue;
      result.byExtractor[extractor.id] = (result.byExtractor[extractor.id] ?? 0) + 1;
      firstFiles[extractor.id] ??= file.path;
      try {
        if (loaded.error) throw loaded.error;
        const reader = createFileReader(
          file.path,
          file.absolutePath,
          loaded.size,
          ctx.maxTextBytes,
          counter,
          loaded.text !== undefined ? { text: loaded.text } : loaded.bytes,
        );
        const output = await extractor.extract(reader, ctx);
        // A model value with hidden or look-alike characters is said wherever an extractor found it.
        const hidden = hiddenCharacterDiagnostics(output.references);
        slots[i] = {
          extractor: extractor.id,
          file: file.path,
          output: hidden.length ? { ...output, diagnostics: [...(output.diagnostics ?? []), ...hidden] } : output,
        };
      } catch (err) {
        if (err instanceof FileTooLargeError) result.tooLarge.push(file.path);
        if (err instanceof BinaryFileError) result.binary.push(file.path);
        // One file that cannot be opened is one problem, however many extractors wanted it.
        const unopened = loaded.error !== undefined;
        const diag =
          unopened && reportedUnopened.has(file.path) ? undefined : errorDiagnostic(file.path, extractor.id, err);
        if (unopened) reportedUnopened.add(file.path);
        // A model manifest that could not be read still describes a component: it becomes undetermined.
        const unparsable = isModelManifest(file.path) ? { components: [manifestStub(file.path)] } : {};
        // A file that may hold references (or an oversized declaration) not read: unresolved, never a pass.
        const dataFile = err instanceof FileTooLargeError && extractor.largeFilesAreData;
        const declaration = !!extractor.declaresModels && err instanceof FileTooLargeError && !unparsable.components;
        const unread =
          (extractor.holdsReferences || declaration) && !dataFile && !unreadReported.has(file.path)
            ? await unreadReference(file, extractor.id, err, loaded, declaration)
            : undefined;
        if (unread) unreadReported.add(file.path);
        slots[i] = {
          extractor: extractor.id,
          file: file.path,
          output: { ...unparsable, ...(unread ? { references: [unread] } : {}), diagnostics: diag ? [diag] : [] },
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
  // An output with nothing in it (most code files) is not kept: it would only be copied between threads.
  for (const s of slots) if (s && !isEmptyOutput(s.output)) result.outputs.push(s);
  result.bytesRead = counter.bytes;
  result.filesParsed = parsedFiles() - parsedBefore;
  result.firstFiles = firstFiles;
  return result;
}
