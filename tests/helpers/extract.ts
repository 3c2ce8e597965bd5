/** Runs the registered extractors on real files, as the scan does, for unit tests. */
import { stat } from "node:fs/promises";
import { EXTRACTORS } from "../../src/extract/registry.js";
import { runExtractors } from "../../src/extract/run.js";
import { link, type LinkedInventory } from "../../src/extract/link.js";

/** Extracts and links the given files; `rel` is the path the scan would report. */
export async function extractFiles(files: { abs: string; rel: string }[]): Promise<LinkedInventory> {
  const discovered = await Promise.all(files.map(async (f) => ({ path: f.rel, absolutePath: f.abs, size: (await stat(f.abs)).size })));
  const r = await runExtractors(discovered, EXTRACTORS, { maxTextBytes: 8 * 1024 * 1024 });
  return link(r.outputs.map((o) => o.output));
}
