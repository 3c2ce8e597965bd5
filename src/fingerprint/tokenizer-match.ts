/**
 * The scan's tokenizer stage: every `tokenizer.json` of the scanned tree (the `tokenizer` components the
 * `tokenizer-json` extractor found) is read again, streamed, for its core-vocabulary numbers and compared with the
 * knowledge base's known tokenizers (`./tokenizer-known.ts`). A match becomes {@link TokenizerEvidenceInput} for the
 * lineage graph: a `tokenizer-of` edge (structural) to the known tokenizer. Reads the scanned tree only; a file that
 * cannot be read becomes a diagnostic and the scan goes on.
 */
import { createReadStream } from "node:fs";
import type { DiscoveredFile } from "../discover/walk.js";
import { readTokenizerJson, TokenizerError } from "../formats/tokenizer.js";
import type { Diagnostic, LocalComponent } from "../model/types.js";
import type { KnowledgeBase, KnownTokenizer } from "../resolve/knowledge/knowledge-base.js";
import { knownTokenizerNumbers, matchKnownTokenizers, type KnownTokenizerMatch } from "./tokenizer-known.js";

/** One project tokenizer that equals, extends or overlaps a known one. */
export interface TokenizerEvidenceInput {
  /** Key of the local `tokenizer` component. */
  subject: string;
  known: KnownTokenizer;
  verdict: KnownTokenizerMatch["verdict"];
  overlap: number;
  newTokens: number;
  specialTokensDiffer: boolean;
  mergesEqual?: boolean;
  /** Every known tokenizer with the same (strongest) verdict: releases that share one vocabulary. */
  candidates: string[];
  /** The project's core vocabulary size. */
  coreVocabSize: number;
}

/**
 * Compares each local tokenizer.json with every known tokenizer. Only the strongest verdict's matches are kept (an
 * identical Llama 3.1 tokenizer is not also reported as overlapping Llama 3's).
 */
export async function matchLocalTokenizers(
  components: readonly LocalComponent[],
  files: readonly DiscoveredFile[],
  kb: Pick<KnowledgeBase, "tokenizers">,
): Promise<{ tokenizers: TokenizerEvidenceInput[]; diagnostics: Diagnostic[] }> {
  const out: TokenizerEvidenceInput[] = [];
  const diagnostics: Diagnostic[] = [];
  if (kb.tokenizers.length === 0) return { tokenizers: out, diagnostics };
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const c of components) {
    if (c.role !== "tokenizer" || !c.location.file.endsWith("tokenizer.json")) continue;
    const f = byPath.get(c.location.file);
    if (!f) continue;
    try {
      const summary = await readTokenizerJson(createReadStream(f.absolutePath), { collectEntries: true });
      if (!summary.vocabEntries?.length) continue;
      const matches = matchKnownTokenizers(knownTokenizerNumbers(summary), kb);
      const best = matches.filter((m) => m.verdict === matches[0]?.verdict);
      for (const m of best) {
        out.push({
          subject: c.key,
          known: m.known,
          verdict: m.verdict,
          overlap: m.overlap,
          newTokens: m.newTokens,
          specialTokensDiffer: m.specialTokensDiffer,
          ...(m.mergesEqual !== undefined ? { mergesEqual: m.mergesEqual } : {}),
          candidates: best.map((b) => b.known.id),
          coreVocabSize: summary.vocabEntries.length,
        });
      }
    } catch (err) {
      const message = err instanceof TokenizerError ? err.message : `could not be read: ${(err as Error).message}`;
      diagnostics.push({
        code: "tokenizer-unreadable",
        severity: "warning",
        message: `tokenizer not compared with known tokenizers: ${message}`,
        location: { file: c.location.file },
      });
    }
  }
  return { tokenizers: out, diagnostics };
}
