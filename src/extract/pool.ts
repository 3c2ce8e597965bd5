/**
 * Extraction scheduled by the work it takes. The main thread extracts files while the tree is still being listed, in
 * batches between the walk's yields: it reads each file once and decides from its bytes, before any parse, whether it
 * is costly work (a file an extractor would parse as code, its prefilter passing, or a large file) or cheap (every
 * other file: most are rejected by a prefilter or read as a small manifest). Cheap files are extracted there and then.
 * Costly files are handed in batches to worker threads (`node:worker_threads`, `./worker.ts`, each with its own
 * tree-sitter parsers and hard per-file budgets), started only once the costly work found is large enough to pay for a
 * thread's start-up ({@link PARALLEL_MIN_BYTES}); once the listing is done the main thread takes costly batches too.
 * Parsing is CPU-bound, so those batches run side by side on the machine's cores (ripgrep, Semgrep and Trivy
 * parallelise the same way). The result is the same, in the same order, as one in-process {@link runExtractors} over
 * the sorted file list: outputs are put back in sorted-path order, extractor order within a file.
 *
 * `jobs <= 1` or a missing built worker (running from the TypeScript sources) extract everything in the main thread.
 * A worker that dies hands its batch back to the in-process path, so a crash in one thread never loses files.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { setImmediate } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import type { DiscoveredFile } from "../discover/walk.js";
import { packagePath } from "../util/package-root.js";
import type { Deferral, ExtractionResult, LoadedContent } from "./run.js";
import type { ExtractContext } from "./types.js";
import { claimantsOf, parsesAsCode, registryPosition } from "./registry.js";
import { FileBudgetError } from "./budget.js";

/** A batch sent to a worker. */
export interface PoolRequest {
  id: number;
  files: DiscoveredFile[];
  ctx: ExtractContext;
}

/** A worker's answer: the batch's result, or its error (stack text). */
export interface PoolResponse {
  id: number;
  result?: ExtractionResult;
  error?: string;
}

/**
 * Costly work (bytes of the files to parse, or of large files) found before worker threads are started, 384 KiB:
 * about 110 modules of ordinary code, a second or more of parsing. A worker's start-up (loading the extractors and a
 * grammar, compiling the queries, warming up the analysis) costs about 0.4 s of CPU (measured on the 10k bench tree:
 * 2.17 s of CPU with a worker for 232 KiB of costly work against 1.79 s without), so less work stays in the main thread.
 */
export const PARALLEL_MIN_BYTES = 384 * 1024;

/** Files the main thread reads and extracts between two yields of the walk. */
const CHEAP_BATCH_FILES = 256;

/** Costly files per worker batch: a few tenths of a second of parsing, so every thread stays busy to the end. */
const COSTLY_BATCH_FILES = 16;

/** A file at least this large is costly whatever it holds (256 KiB): it goes where the hard per-file budgets are. */
const COSTLY_FILE_BYTES = 256 * 1024;

/**
 * Default number of threads that read and parse files, the main thread included: the cores Node may use, at most 3.
 * Each worker holds its own heap and parsers (about 45-60 MB measured on the bench tree), and reading files stops
 * scaling before the cores run out; three threads keep a 50,000-file scan well under 300 MB.
 */
export function defaultJobs(): number {
  return Math.max(1, Math.min(3, availableParallelism()));
}

/** The built worker module, or undefined when running from sources without a build. */
function workerFile(): string | undefined {
  const here = fileURLToPath(new URL("./worker.js", import.meta.url));
  if (existsSync(here)) return here;
  const built = packagePath("dist", "extract", "worker.js");
  return existsSync(built) ? built : undefined;
}

/**
 * Runs the registry over `files` in this thread (only the extractors their names call for are loaded), leaving the
 * files `deferral` wants to another run.
 */
async function inProcess(
  files: readonly DiscoveredFile[],
  ctx: ExtractContext,
  deferral?: Deferral,
): Promise<ExtractionResult> {
  const [{ runExtractors }, { extractorsFor }] = await Promise.all([import("./run.js"), import("./registry.js")]);
  return runExtractors(files, await extractorsFor(files.map((f) => f.path)), ctx, 16, undefined, deferral);
}

/**
 * True when a file is costly to extract: large, or (by its first read, before any decode) a file an extractor would
 * parse as code.
 */
function isCostly(file: DiscoveredFile, content: LoadedContent): boolean {
  if (content.size >= COSTLY_FILE_BYTES) return true;
  const base = file.path.slice(file.path.lastIndexOf("/") + 1);
  if (content.text !== undefined) return parsesAsCode(base, content.text);
  if (!content.bytes) return false;
  const b = content.bytes;
  return parsesAsCode(base, Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1"));
}

/** An extraction fed file by file while the tree is walked. */
export interface ExtractionPool {
  /** Takes one discovered file (walk order). */
  add(file: DiscoveredFile): void;
  /**
   * Extracts every file added, then stops the workers. `sorted` is the walk's final, sorted list of the same files:
   * outputs come back in its order.
   */
  finish(sorted: readonly DiscoveredFile[]): Promise<ExtractionResult>;
  /** Stops the workers without waiting for results (idempotent). */
  close(): Promise<void>;
  /** Worker threads started so far (0 when the scan ran in the main thread alone). */
  readonly workers: number;
}

/** Batches a worker holds at once: one running, one waiting, so it never idles while the main thread is busy. */
const PER_WORKER = 2;

/** Per-file budgets of the worker threads (issue 11): past them a file is abandoned and named, the others go on. */
export interface PoolLimits {
  /** Longest one file may keep a worker busy, in milliseconds (default {@link HARD_FILE_BUDGET_MS}). */
  fileTimeMs?: number;
  /** Heap (old generation) of each worker thread, in MiB (default {@link WORKER_MEMORY_MB}). */
  memoryMb?: number;
  /** Costly work, in bytes, found before workers are started (default {@link PARALLEL_MIN_BYTES}). */
  parallelMinBytes?: number;
}

/**
 * Hard time budget of one file in a worker, 30 s: three times the analysis budget that code analysis checks itself
 * (`ANALYSIS_BUDGET_MS`), for code that never reaches such a check.
 */
export const HARD_FILE_BUDGET_MS = 30_000;

/** Heap of each worker thread, 512 MiB: far above what an ordinary batch needs (about 50 MB), far below the machine's. */
export const WORKER_MEMORY_MB = 512;

/**
 * Creates an extraction pool of `requested` threads (at most `maxThreads`, the cores). The main thread extracts the
 * cheap files while the tree is walked and sets the costly ones aside (see the module comment); one fewer workers than
 * threads are started once `limits.parallelMinBytes` of costly work is found (small scans never pay for them), and the
 * main thread takes costly batches too once the walk is done. A watchdog reads, from memory each worker shares (no
 * messages), which file it is on: a file that keeps a worker past `limits.fileTimeMs`, or during which the worker runs
 * out of its heap, is abandoned with a diagnostic naming it (`file-budget-exceeded`; its component or the product is
 * undetermined), the worker is replaced, and the rest of its batches run as usual.
 */
export function createExtractionPool(
  ctx: ExtractContext,
  requested = defaultJobs(),
  maxThreads = availableParallelism(),
  limits: PoolLimits = {},
): ExtractionPool {
  // More threads than cores only add heaps and warm-ups (`--jobs 64` on 2 cores: 17 s, 2.5 GB): capped at the cores
  // (`maxThreads`, which tests raise to run workers on any machine).
  const jobs = Math.max(1, Math.min(requested, maxThreads));
  const workers = createWorkers(ctx, jobs, jobs > 1 ? workerFile() : undefined, limits);
  const minBytes = limits.parallelMinBytes ?? PARALLEL_MIN_BYTES;
  // Files claimed by an extractor, not yet extracted; results of the main thread's runs; the costly files set aside.
  const cheap: DiscoveredFile[] = [];
  const mainResults: ExtractionResult[] = [];
  const costly: DiscoveredFile[] = [];
  let costlyBytes = 0;
  const deferral: Deferral | undefined = workers.possible
    ? {
        files: costly,
        wants(file, content) {
          if (!isCostly(file, content)) return false;
          costlyBytes += content.size;
          return true;
        },
      }
    : undefined;
  // The main thread's runs, one after the other (a run's parse count is read from a per-thread counter).
  let chain: Promise<void> = Promise.resolve();
  const runMain = (files: DiscoveredFile[]): void => {
    chain = chain.then(async () => {
      mainResults.push(await inProcess(files, ctx, deferral));
      if (workers.started === 0 && costlyBytes >= minBytes) workers.start();
      if (workers.started > 0)
        while (costly.length >= COSTLY_BATCH_FILES) workers.enqueue(costly.splice(0, COSTLY_BATCH_FILES));
    });
    // A failure is reported by `finish`, which awaits the chain; never as an unhandled rejection in between.
    chain.catch(() => undefined);
  };

  return {
    get workers() {
      return workers.started;
    },
    add(f) {
      // A file no extractor claims by name (images, styles, data) is read by none.
      if (workers.closed || claimantsOf(f.path.slice(f.path.lastIndexOf("/") + 1)).length === 0) return;
      cheap.push(f);
      if (cheap.length >= CHEAP_BATCH_FILES) runMain(cheap.splice(0));
    },
    close: () => workers.close(),
    async finish(sorted) {
      if (cheap.length > 0) runMain(cheap.splice(0));
      await chain;
      if (workers.started === 0) {
        await workers.close();
        if (costly.length > 0) mainResults.push(await inProcess(costly.splice(0), ctx));
        return mergeInOrder(mainResults, sorted);
      }
      while (costly.length > 0) workers.enqueue(costly.splice(0, COSTLY_BATCH_FILES));
      return mergeInOrder([...mainResults, ...(await workers.drain())], sorted);
    },
  };
}

/** The worker threads of a pool: started on demand, fed batches, drained with the main thread's help. */
interface Workers {
  /** True when this pool may start workers (more than one thread, and the built worker module is there). */
  readonly possible: boolean;
  /** Workers started so far. */
  readonly started: number;
  readonly closed: boolean;
  /** Starts the workers (once). */
  start(): void;
  /** Queues a batch for the workers. */
  enqueue(files: DiscoveredFile[]): void;
  /** Works the queue in the main thread too until every batch is done, stops the workers, returns each batch's result. */
  drain(): Promise<ExtractionResult[]>;
  close(): Promise<void>;
}

/** The worker threads of a pool of `jobs` threads (`file`: the built worker module, undefined for none). */
function createWorkers(ctx: ExtractContext, jobs: number, file: string | undefined, limits: PoolLimits): Workers {
  const fileTimeMs = limits.fileTimeMs ?? HARD_FILE_BUDGET_MS;
  const memoryMb = limits.memoryMb ?? WORKER_MEMORY_MB;
  const workers: Worker[] = [];
  const held = new Map<Worker, Set<number>>();
  const watched = new Map<Worker, { progress: Int32Array; batch: number; file: number; since: number }>();
  const queue: number[] = [];
  const batches: DiscoveredFile[][] = [];
  const results: (ExtractionResult | undefined)[] = [];
  const failed = new Set<number>();
  const abandoning: Promise<void>[] = [];
  let started = 0;
  let closed = false;
  let watchdog: NodeJS.Timeout | undefined;
  let onSettled: (() => void) | undefined;

  const inFlight = (): number => [...held.values()].reduce((n, x) => n + x.size, 0);
  const dispatch = (): void => {
    for (const w of workers) {
      const mine = held.get(w);
      while (mine && mine.size < PER_WORKER && queue.length > 0) {
        const id = queue.shift()!;
        mine.add(id);
        w.postMessage({ id, files: batches[id]!, ctx } satisfies PoolRequest);
      }
    }
    if (queue.length === 0 && inFlight() === 0) onSettled?.();
  };
  /**
   * A worker is gone: past a budget (`kind`), the file it was on is abandoned and the rest of that batch queued again;
   * after any other death its batches run in the main thread at the end. Its other batches go back to the queue, and a
   * new worker takes its place.
   */
  const giveUp = (w: Worker, kind: "time" | "memory" | undefined): void => {
    const mine = held.get(w) ?? new Set<number>();
    const seen = watched.get(w);
    held.delete(w);
    watched.delete(w);
    workers.splice(workers.indexOf(w), 1);
    void w.terminate();
    const batch = seen ? Atomics.load(seen.progress, 0) : -1;
    const split =
      kind && mine.has(batch) ? splitBatch(batches, batch, seen ? Atomics.load(seen.progress, 1) : -1) : undefined;
    if (kind && split) {
      mine.delete(batch);
      const error = new FileBudgetError(kind, kind === "time" ? `${fileTimeMs / 1000} s` : `${memoryMb} MiB`);
      abandoning.push(abandon(split.culprit, error).then((r) => void (results[batch] = r)));
      if (split.rest.length > 0) queue.push(batches.push(split.rest) - 1);
      for (const id of mine) queue.unshift(id);
    } else {
      for (const id of mine) failed.add(id);
    }
    if (!closed) spawn();
    dispatch();
  };
  const spawn = (): void => {
    const { w, progress } = newWorker(file!, memoryMb);
    started++;
    held.set(w, new Set());
    watched.set(w, { progress, batch: -1, file: -1, since: 0 });
    w.on("message", (msg: PoolResponse) => {
      held.get(w)?.delete(msg.id);
      if (msg.result) results[msg.id] = msg.result;
      else failed.add(msg.id);
      dispatch();
    });
    w.once(
      "error",
      (err: Error & { code?: string }) =>
        watched.has(w) && giveUp(w, err.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : undefined),
    );
    workers.push(w);
  };
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearInterval(watchdog);
    watched.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  };
  return {
    possible: file !== undefined,
    get started() {
      return started;
    },
    get closed() {
      return closed;
    },
    start() {
      if (started > 0 || closed || !file) return;
      for (let i = 0; i < jobs - 1; i++) spawn();
      watchdog = startWatchdog(watched, fileTimeMs, (w) => giveUp(w, "time"));
    },
    enqueue(files) {
      batches.push(files);
      queue.push(batches.length - 1);
      dispatch();
    },
    close,
    async drain() {
      // The main thread works through the queue beside the workers, yielding between batches so that a worker's
      // finished batch is answered with the next one at once. A worker given up on puts batches back in the queue.
      await workQueueInMainThread(queue, batches, results, ctx, inFlight, (settled) => (onSettled = settled));
      await Promise.all(abandoning);
      await close();
      for (let i = 0; i < batches.length; i++)
        if (!results[i] || failed.has(i)) results[i] = await inProcess(batches[i]!, ctx);
      return results as ExtractionResult[];
    },
  };
}

/**
 * The main thread's share of the work: it takes queued batches itself, yielding between them so that a worker's
 * finished batch is answered with the next one at once, until the queue is empty and no worker holds a batch (a worker
 * given up on puts its batches back in the queue). `waitSettled` registers the callback the pool calls when it settles.
 */
async function workQueueInMainThread(
  queue: number[],
  batches: DiscoveredFile[][],
  results: (ExtractionResult | undefined)[],
  ctx: ExtractContext,
  inFlight: () => number,
  waitSettled: (settled: () => void) => void,
): Promise<void> {
  for (;;) {
    while (queue.length > 0) {
      const id = queue.shift()!;
      results[id] = await inProcess(batches[id]!, ctx);
      await setImmediate();
    }
    if (inFlight() === 0) return;
    await new Promise<void>((settled) => waitSettled(settled));
  }
}

/** A timer (unref'd, every quarter budget, 10-250 ms) that gives up on every worker past its per-file time budget. */
function startWatchdog(
  watched: ReadonlyMap<Worker, { progress: Int32Array; batch: number; file: number; since: number }>,
  fileTimeMs: number,
  giveUp: (w: Worker) => void,
): NodeJS.Timeout {
  const timer = setInterval(
    () => {
      for (const w of overBudget(watched, fileTimeMs)) giveUp(w);
    },
    Math.min(250, Math.max(10, fileTimeMs / 4)),
  );
  timer.unref();
  return timer;
}

/** A worker thread with a heap of `memoryMb` MiB, and the memory it shares to say which batch and file it is on. */
function newWorker(file: string, memoryMb: number): { w: Worker; progress: Int32Array } {
  const shared = new SharedArrayBuffer(8);
  const progress = new Int32Array(shared).fill(-1);
  const w = new Worker(file, {
    workerData: { progress: shared },
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
  w.unref();
  return { w, progress };
}

/** Workers on the same file for longer than `fileTimeMs` (each `seen` record is updated with what its worker is on). */
function overBudget(
  watched: ReadonlyMap<Worker, { progress: Int32Array; batch: number; file: number; since: number }>,
  fileTimeMs: number,
): Worker[] {
  const now = performance.now();
  const out: Worker[] = [];
  for (const [w, seen] of watched) {
    const batch = Atomics.load(seen.progress, 0);
    const index = Atomics.load(seen.progress, 1);
    if (batch !== seen.batch || index !== seen.file) Object.assign(seen, { batch, file: index, since: now });
    else if (batch >= 0 && index >= 0 && now - seen.since > fileTimeMs) out.push(w);
  }
  return out;
}

/** Splits batch `batch` around its file `index`: the batch keeps that file alone, the rest is returned. */
function splitBatch(
  batches: DiscoveredFile[][],
  batch: number,
  index: number,
): { culprit: DiscoveredFile; rest: DiscoveredFile[] } | undefined {
  const files = batches[batch];
  if (!files || index < 0 || index >= files.length) return undefined;
  const culprit = files[index]!;
  batches[batch] = [culprit];
  return { culprit, rest: files.filter((_, i) => i !== index) };
}

/** The result standing for a file abandoned past a budget (see `abandonedFile` in `./run.ts`). */
async function abandon(file: DiscoveredFile, error: FileBudgetError): Promise<ExtractionResult> {
  const { abandonedFile } = await import("./run.js");
  return abandonedFile(file, error);
}

/**
 * Concatenates batch results and puts the per-file outputs in the order of `sorted` (extractor order within a file
 * is kept, as each batch lists a file's outputs together): the same result as one in-process run over `sorted`.
 */
export function mergeInOrder(parts: readonly ExtractionResult[], sorted: readonly DiscoveredFile[]): ExtractionResult {
  const out: ExtractionResult = {
    outputs: [],
    diagnostics: [],
    filesScanned: 0,
    bytesRead: 0,
    byExtractor: {},
    filesParsed: 0,
    tooLarge: [],
    binary: [],
  };
  const rank = new Map<string, number>();
  sorted.forEach((f, i) => rank.set(f.path, i));
  // Counts per extractor, keyed in the order one run over `sorted` meets them: by the rank of the first file each
  // extractor ran on; within one file a run meets them in registry order.
  const counts = new Map<string, { n: number; first: number; file: string }>();
  for (const p of parts) {
    for (const o of p.outputs) out.outputs.push(o);
    for (const d of p.diagnostics) out.diagnostics.push(d);
    out.filesScanned += p.filesScanned;
    out.bytesRead += p.bytesRead;
    out.filesParsed += p.filesParsed;
    for (const [k, n] of Object.entries(p.byExtractor)) {
      const file = p.firstFiles?.[k] ?? "";
      const first = rank.get(file) ?? Number.MAX_SAFE_INTEGER;
      const c = counts.get(k);
      if (!c) counts.set(k, { n, first, file });
      else Object.assign(c, { n: c.n + n }, first < c.first ? { first, file } : {});
    }
    out.tooLarge.push(...p.tooLarge);
    out.binary.push(...p.binary);
  }
  const keys = [...counts.entries()].map(([k, c], i) => ({ k, c, i }));
  const position = (k: string): number => registryPosition(k) ?? Number.MAX_SAFE_INTEGER;
  keys.sort((a, b) => a.c.first - b.c.first || position(a.k) - position(b.k) || a.i - b.i);
  out.byExtractor = Object.fromEntries(keys.map(({ k, c }) => [k, c.n]));
  out.firstFiles = Object.fromEntries(keys.map(({ k, c }) => [k, c.file]));
  const order = out.outputs.map((o, i) => ({ o, i, r: rank.get(o.file) ?? Number.MAX_SAFE_INTEGER }));
  order.sort((a, b) => a.r - b.r || a.i - b.i);
  out.outputs = order.map((x) => x.o);
  out.tooLarge.sort();
  out.binary.sort();
  return out;
}
