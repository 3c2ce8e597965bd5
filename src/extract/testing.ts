/**
 * Test support for extractor tests: runs one extractor on a fixture file the way the core does (a bounded reader,
 * a root-relative path), and links outputs. Used only by `*.test.ts` files.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { createFileReader } from "./file-reader.js";
import { link, type LinkedInventory } from "./link.js";
import type { Extractor, ExtractOutput } from "./types.js";

/** Default text limit of the tests (the scan's default). */
export const TEST_TEXT_LIMIT = 8 * 1024 * 1024;

/**
 * Runs `extractor` on `<root>/<path>` as the scan would, with `path` as the root-relative path.
 * @throws whatever the extractor throws (the core would turn it into a diagnostic).
 */
export async function extractFile(extractor: Extractor, root: string, path: string, maxTextBytes = TEST_TEXT_LIMIT): Promise<ExtractOutput> {
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
