/**
 * Parallel extraction: on a large tree, files are handed in batches to worker threads (`node:worker_threads`,
 * `./worker.ts`) that run them through the extractor registry, each with its own tree-sitter parsers, while the main
 * thread is still listing the tree; once the listing is done, the main thread takes batches too. Reading and parsing tens of thousands of files is CPU-
 * and syscall-bound, so the batches run side by side on the machine's cores (ripgrep, Semgrep and Trivy parallelise
 * the same way). The result is the same, in the same order, as one in-process {@link runExtractors} over the sorted
 * file list: outputs are put back in sorted-path order, extractor order within a file.
 *
 * Small trees (fewer than {@link PARALLEL_MIN_FILES} files), `jobs <= 1`, or a missing built worker (running from
 * the TypeScript sources) use the in-process path. A worker that dies hands its batch back to the in-process path, so a
 * crash in one thread never loses files.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { setImmediate } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import type { DiscoveredFile } from "../discover/walk.js";
import { packagePath } from "../util/package-root.js";
import type { ExtractionResult } from "./run.js";
import type { ExtractContext } from "./types.js";
import { claimantsOf } from "./registry.js";

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

/** Below this many files a scan runs in-process: starting workers (about 0.1 s of CPU each) would cost more than it saves. */
export const PARALLEL_MIN_FILES = 2000;

/** Files per batch: small enough to keep every worker busy to the end, large enough that messages cost little. */
const BATCH_FILES = 400;

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

/** Runs the registry over `files` in this thread (only the extractors their names call for are loaded). */
async function inProcess(files: readonly DiscoveredFile[], ctx: ExtractContext): Promise<ExtractionResult> {
  const [{ runExtractors }, { extractorsFor }] = await Promise.all([import("./run.js"), import("./registry.js")]);
  return runExtractors(files, await extractorsFor(files.map((f) => f.path)), ctx);
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

/**
 * Creates an extraction pool of `requested` threads (at most `maxThreads`, the cores): one fewer workers, started
 * once {@link PARALLEL_MIN_FILES} files have been added (small scans never pay for them), and the main thread, which
 * takes batches itself once the walk is done.
 */
export function createExtractionPool(ctx: ExtractContext, requested = defaultJobs(), maxThreads = availableParallelism()): ExtractionPool {
  // More threads than cores only add heaps and warm-ups (`--jobs 64` on 2 cores: 17 s, 2.5 GB): capped at the cores
  // (`maxThreads`, which tests raise to run workers on any machine).
  const jobs = Math.max(1, Math.min(requested, maxThreads));
  const file = jobs > 1 ? workerFile() : undefined;
  const workers: Worker[] = [];
  const held = new Map<Worker, Set<number>>();
  const pending: DiscoveredFile[] = [];
  const queue: number[] = [];
  const batches: DiscoveredFile[][] = [];
  const results: (ExtractionResult | undefined)[] = [];
  const failed = new Set<number>();
  let added = 0;
  let closed = false;
  let onSettled: (() => void) | undefined;

  const inFlight = (): number => [...held.values()].reduce((n, s) => n + s.size, 0);
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
  const start = (): void => {
    for (let i = 0; i < jobs - 1; i++) {
      const w = new Worker(file!);
      w.unref();
      held.set(w, new Set());
      w.on("message", (msg: PoolResponse) => {
        held.get(w)?.delete(msg.id);
        if (msg.result) results[msg.id] = msg.result;
        else failed.add(msg.id);
        dispatch();
      });
      // A dead worker's batches are run in the main thread at the end; the other threads take the rest.
      w.once("error", () => {
        for (const id of held.get(w) ?? []) failed.add(id);
        held.delete(w);
        dispatch();
      });
      workers.push(w);
    }
  };
  const enqueue = (files: DiscoveredFile[]): void => {
    batches.push(files);
    queue.push(batches.length - 1);
    dispatch();
  };
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all(workers.map((w) => w.terminate()));
  };

  return {
    get workers() {
      return workers.length;
    },
    add(f) {
      // Without workers the walk's own sorted list is all `finish` needs: nothing is kept here. A file no extractor
      // claims by name (images, styles, data) is never sent to a thread: it would be read by none.
      if (!file || closed || claimantsOf(f.path.slice(f.path.lastIndexOf("/") + 1)).length === 0) return;
      added++;
      pending.push(f);
      if (workers.length === 0 && added >= PARALLEL_MIN_FILES) start();
      if (workers.length > 0 && pending.length >= BATCH_FILES) enqueue(pending.splice(0));
    },
    close,
    async finish(sorted) {
      if (workers.length === 0) {
        await close();
        return inProcess(sorted, ctx);
      }
      if (pending.length > 0) enqueue(pending.splice(0));
      // The main thread works through the queue beside the workers, yielding between batches so that a worker's
      // finished batch is answered with the next one at once.
      while (queue.length > 0) {
        const id = queue.shift()!;
        results[id] = await inProcess(batches[id]!, ctx);
        await setImmediate();
      }
      if (inFlight() > 0) await new Promise<void>((settled) => (onSettled = settled));
      await close();
      for (let i = 0; i < batches.length; i++) if (!results[i] || failed.has(i)) results[i] = await inProcess(batches[i]!, ctx);
      return mergeInOrder(results as ExtractionResult[], sorted);
    },
  };
}

/**
 * Concatenates batch results and puts the per-file outputs in the order of `sorted` (extractor order within a file
 * is kept, as each batch lists a file's outputs together): the same result as one in-process run over `sorted`.
 */
export function mergeInOrder(parts: readonly ExtractionResult[], sorted: readonly DiscoveredFile[]): ExtractionResult {
  const out: ExtractionResult = { outputs: [], diagnostics: [], filesScanned: 0, bytesRead: 0, byExtractor: {}, filesParsed: 0, tooLarge: [], binary: [] };
  for (const p of parts) {
    for (const o of p.outputs) out.outputs.push(o);
    for (const d of p.diagnostics) out.diagnostics.push(d);
    out.filesScanned += p.filesScanned;
    out.bytesRead += p.bytesRead;
    out.filesParsed += p.filesParsed;
    for (const [k, n] of Object.entries(p.byExtractor)) out.byExtractor[k] = (out.byExtractor[k] ?? 0) + n;
    out.tooLarge.push(...p.tooLarge);
    out.binary.push(...p.binary);
  }
  const rank = new Map<string, number>();
  sorted.forEach((f, i) => rank.set(f.path, i));
  const order = out.outputs.map((o, i) => ({ o, i, r: rank.get(o.file) ?? Number.MAX_SAFE_INTEGER }));
  order.sort((a, b) => a.r - b.r || a.i - b.i);
  out.outputs = order.map((x) => x.o);
  out.tooLarge.sort();
  out.binary.sort();
  return out;
}
