/**
 * The one test helper of the extract stage: runs extractors on fixture files the way the core does (the path test, a
 * bounded reader, a root-relative path) and links their outputs. Used only by `*.test.ts` files, and kept out of
 * `dist/` (tsconfig.build.json excludes it).
 */
import { stat } from "node:fs/promises";
import { statSync } from "node:fs";
import { join, posix } from "node:path";
import { loadExtractors } from "./registry.js";
import { runExtractors } from "./run.js";
import { createFileReader } from "./file-reader.js";
import { link, type LinkedInventory } from "./link.js";
import type { Extractor, ExtractOutput } from "./types.js";

/** Default text limit of the tests (the scan's default). */
export const TEST_TEXT_LIMIT = 8 * 1024 * 1024;

/**
 * Runs `extractor` on `<root>/<path>` as the scan would, with `path` as the root-relative path.
 * `opts.pathTest: false` reads a file the extractor's path test turns away (a test of what the parse would do; the
 * scan never hands it that file).
 * @throws Error when the extractor's path test does not want `path`; whatever the extractor throws (the core would
 * turn it into a diagnostic).
 */
export async function extractFile(
  extractor: Extractor,
  root: string,
  path: string,
  opts: { maxTextBytes?: number; pathTest?: boolean } = {},
): Promise<ExtractOutput> {
  const maxTextBytes = opts.maxTextBytes ?? TEST_TEXT_LIMIT;
  if (opts.pathTest !== false && !extractor.matches(path, posix.basename(path)))
    throw new Error(`${extractor.id} does not want ${path}`);
  const abs = join(root, path);
  const reader = createFileReader(path, abs, statSync(abs).size, maxTextBytes, { bytes: 0 });
  return extractor.extract(reader, { maxTextBytes });
}

/** Runs several (extractor, path) pairs and links their outputs, as the scan does for one tree. */
export async function extractAndLink(root: string, jobs: readonly [Extractor, string][]): Promise<LinkedInventory> {
  const outputs: ExtractOutput[] = [];
  for (const [x, p] of jobs) outputs.push(await extractFile(x, root, p));
  return link(outputs);
}

/**
 * Runs every registered extractor on the given files, as the scan does, and links the outputs.
 * @param files absolute path and the root-relative path the scan would report.
 */
export async function extractFiles(files: readonly { abs: string; rel: string }[]): Promise<LinkedInventory> {
  const discovered = await Promise.all(
    files.map(async (f) => ({ path: f.rel, absolutePath: f.abs, size: (await stat(f.abs)).size })),
  );
  const r = await runExtractors(discovered, await loadExtractors(), { maxTextBytes: TEST_TEXT_LIMIT });
  return link(r.outputs.map((o) => o.output));
}
