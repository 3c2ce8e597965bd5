/**
 * Test support: runs one extractor over one fixture file exactly as the scan does (same bounded reader), so extractor
 * tests exercise the real read path. Used by the tests beside each extractor.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { posix } from "node:path";
import { createFileReader } from "./file-reader.js";
import type { Extractor, ExtractOutput } from "./types.js";

/** Runs `extractor` on `root/rel` (rel is the root-relative path the extractor sees). @throws when it does not match. */
export async function runOn(extractor: Extractor, root: string, rel: string, maxTextBytes = 8 * 1024 * 1024): Promise<ExtractOutput> {
  if (!extractor.matches(rel, posix.basename(rel))) throw new Error(`${extractor.id} does not want ${rel}`);
  const abs = join(root, rel);
  return extractor.extract(createFileReader(rel, abs, statSync(abs).size, maxTextBytes, { bytes: 0 }), { maxTextBytes });
}
