/**
 * Worker-thread entry of the extraction pool (`./pool.ts`). It loads each extractor once, when a batch first needs it,
 * and answers each `{ id, files, ctx }` message with `{ id, result }` (an {@link ExtractionResult} for exactly those
 * files) or `{ id, error }`. Batches run one after the other (the pool sends the next while one runs, so the thread
 * never idles), which keeps each batch's counts its own, and files one at a time, with the batch and file being
 * worked on in shared memory for the pool's per-file budgets. It reads files only through the extractors' bounded readers
 * and never writes.
 */
import { parentPort, workerData } from "node:worker_threads";
import { extractorsFor } from "./registry.js";
import { runExtractors, type ExtractionResult } from "./run.js";
import type { PoolRequest, PoolResponse } from "./pool.js";

const port = parentPort;
if (!port) throw new Error("src/extract/worker.ts runs only as a worker thread");
// Which batch and file this thread is on, read by the pool's watchdog without any message: [batch id, file index].
const progress = new Int32Array((workerData as { progress: SharedArrayBuffer }).progress);
let previous: Promise<void> = Promise.resolve();
port.on("message", (msg: PoolRequest) => {
  previous = previous.then(() =>
    extractorsFor(msg.files.map((f) => f.path))
      .then((extractors) => {
        Atomics.store(progress, 1, -1);
        Atomics.store(progress, 0, msg.id);
        // One file at a time, so that the file named in `progress` is the one running.
        return runExtractors(msg.files, extractors, msg.ctx, 1, (i) => Atomics.store(progress, 1, i));
      })
      .finally(() => Atomics.store(progress, 0, -1))
      .then(
        (result: ExtractionResult) => port.postMessage({ id: msg.id, result } satisfies PoolResponse),
        (err: unknown) =>
          port.postMessage({ id: msg.id, error: (err as Error)?.stack ?? String(err) } satisfies PoolResponse),
      ),
  );
});
