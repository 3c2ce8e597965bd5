/**
 * Worker-thread entry of the extraction pool (`./pool.ts`). It loads each extractor once, when a batch first needs it,
 * and answers each `{ id, files, ctx }` message with `{ id, result }` (an {@link ExtractionResult} for exactly those
 * files) or `{ id, error }`. Batches run one after the other (the pool sends the next while one runs, so the thread
 * never idles), which keeps each batch's counts its own. It reads files only through the extractors' bounded readers
 * and never writes.
 */
import { parentPort } from "node:worker_threads";
import { extractorsFor } from "./registry.js";
import { runExtractors, type ExtractionResult } from "./run.js";
import type { PoolRequest, PoolResponse } from "./pool.js";

const port = parentPort;
if (!port) throw new Error("src/extract/worker.ts runs only as a worker thread");
let previous: Promise<void> = Promise.resolve();
port.on("message", (msg: PoolRequest) => {
  previous = previous.then(() =>
    extractorsFor(msg.files.map((f) => f.path))
      .then((extractors) => runExtractors(msg.files, extractors, msg.ctx))
      .then(
        (result: ExtractionResult) => port.postMessage({ id: msg.id, result } satisfies PoolResponse),
        (err: unknown) => port.postMessage({ id: msg.id, error: (err as Error)?.stack ?? String(err) } satisfies PoolResponse),
      ),
  );
});
