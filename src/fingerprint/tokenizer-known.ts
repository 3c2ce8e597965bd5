/**
 * Known tokenizers: the numbers that identify a released tokenizer (`schemas/knowledge-tokenizer.schema.json`) and the
 * comparison of a project's tokenizer.json with them.
 *
 * Definitions (shared by the entry generator `scripts/knowledge/known-tokenizers.js` and the scan):
 * - core vocabulary: the `model.vocab` entries whose id is not the id of an `added_tokens` entry. Special tokens are
 *   added tokens, so renaming them (`<|begin_of_text|>` -> `<|acme_bos|>`) leaves the core unchanged, also for
 *   SentencePiece conversions that keep `<bos>` / `<eos>` in the vocabulary itself;
 * - coreVocabHash: SHA-256 (hex) over the core entries sorted by id, each as the UTF-8 of
 *   `JSON.stringify([id, token]) + "\n"` (the vocabulary hash of `src/formats/tokenizer.ts` restricted to the core);
 * - minHash: {@link minHash} of the core tokens' strings (128 values);
 * - merges hash: as in `src/formats/tokenizer.ts`.
 *
 * Verdicts, strongest first: `identical` (core hashes equal, no new tokens), `extended` (the project's core entries
 * with ids up to the known tokenizer's highest core id hash to the known core hash, and the project has more tokens:
 * the known vocabulary kept, ids unchanged, new tokens appended), `overlapping` (MinHash estimate: at least 90% of the
 * known core vocabulary is in the project's), else no match. A shared tokenizer proves tokenizer lineage, never
 * weights.
 */
import { createHash } from "node:crypto";
import type { TokenizerSummary } from "../formats/tokenizer.js";
import type { KnowledgeBase, KnownTokenizer, KnownTokenizerSignature } from "../resolve/knowledge/knowledge-base.js";
import { minHash, minHashJaccard } from "./tokenizer-signature.js";

/** Least estimated share of a known core vocabulary inside a project's for an `overlapping` verdict. */
export const OVERLAP_CONTAINMENT = 0.9;

/** A project tokenizer's numbers, computed like a known entry's, plus what the prefix check needs. */
export interface LocalTokenizerNumbers {
  signature: KnownTokenizerSignature;
  /** Core entries sorted by id (kept for the prefix hash against each known entry). */
  core: [number, string][];
  specialTokens: string[];
}

function coreEntries(summary: Pick<TokenizerSummary, "vocabEntries" | "addedTokens">): [number, string][] {
  const added = new Set(summary.addedTokens.map((t) => t.id));
  return (summary.vocabEntries ?? []).filter((e) => !added.has(e[0]));
}

function hashEntries(entries: readonly [number, string][]): string {
  const h = createHash("sha256");
  for (const e of entries) h.update(JSON.stringify(e) + "\n");
  return h.digest("hex");
}

/**
 * The known-tokenizer signature of a tokenizer.json summary read with `collectEntries: true`.
 * @throws Error when the summary has no vocabulary entries (read without `collectEntries`, or an empty vocabulary).
 */
export function knownTokenizerNumbers(summary: TokenizerSummary): LocalTokenizerNumbers {
  const core = coreEntries(summary);
  if (core.length === 0)
    throw new Error(
      "tokenizer.json has no vocabulary entries outside its added tokens (or was read without collectEntries)",
    );
  const specials = summary.specialTokens.map((t) => `${t.content}=${t.id}`);
  const signature: KnownTokenizerSignature = {
    model: summary.modelType ?? "unknown",
    vocabSize: summary.vocabSize,
    coreVocabSize: core.length,
    coreVocabHash: hashEntries(core),
    maxCoreId: core[core.length - 1]![0],
    mergesCount: summary.mergesCount,
    ...(summary.mergesHash ? { mergesHash: summary.mergesHash } : {}),
    addedTokens: summary.addedTokens.length,
    specialTokens: specials.slice(0, 64),
    ...(summary.preTokenizer ? { preTokenizer: summary.preTokenizer } : {}),
    minHash: minHash(core.map((e) => e[1])),
  };
  return { signature, core, specialTokens: specials };
}

/** How a project tokenizer relates to a known one. */
export interface KnownTokenizerMatch {
  known: KnownTokenizer;
  verdict: "identical" | "extended" | "overlapping";
  /** Share of the known core vocabulary found in the project's (1 for identical and extended; estimated otherwise). */
  overlap: number;
  /** Tokens the project has beyond the known tokenizer (core and added). */
  newTokens: number;
  /** True when the special tokens (content=id) differ: renamed, added or removed. */
  specialTokensDiffer: boolean;
  mergesEqual?: boolean;
}

/** Estimated |known ∩ local| / |known| from the MinHash Jaccard and the two sizes. */
function containment(known: KnownTokenizerSignature, local: KnownTokenizerSignature): number {
  const j = minHashJaccard(known.minHash, local.minHash);
  const inter = (j * (known.coreVocabSize + local.coreVocabSize)) / (1 + j);
  return Math.min(1, inter / known.coreVocabSize);
}

/**
 * Compares a project tokenizer with every known tokenizer; strongest verdict first, then by id. Known entries that
 * share one core vocabulary (two releases of one tokenizer) are all returned: the evidence lists every candidate.
 */
export function matchKnownTokenizers(
  local: LocalTokenizerNumbers,
  kb: Pick<KnowledgeBase, "tokenizers">,
): KnownTokenizerMatch[] {
  const out: KnownTokenizerMatch[] = [];
  const prefixHashes = new Map<number, string>();
  const total = (s: KnownTokenizerSignature) => s.coreVocabSize + (s.addedTokens ?? 0);
  for (const known of kb.tokenizers) {
    const k = known.signature;
    const l = local.signature;
    const specialsDiffer = JSON.stringify(k.specialTokens ?? []) !== JSON.stringify(local.specialTokens.slice(0, 64));
    const mergesEqual = k.mergesHash && l.mergesHash ? k.mergesHash === l.mergesHash : undefined;
    const extra = Math.max(0, total(l) - total(k));
    if (k.coreVocabHash === l.coreVocabHash) {
      out.push({
        known,
        verdict: extra > 0 ? "extended" : "identical",
        overlap: 1,
        newTokens: extra,
        specialTokensDiffer: specialsDiffer,
        ...(mergesEqual !== undefined ? { mergesEqual } : {}),
      });
      continue;
    }
    if (k.maxCoreId !== undefined && l.coreVocabSize > k.coreVocabSize) {
      let h = prefixHashes.get(k.maxCoreId);
      if (h === undefined) {
        h = hashEntries(local.core.filter((e) => e[0] <= k.maxCoreId!));
        prefixHashes.set(k.maxCoreId, h);
      }
      if (h === k.coreVocabHash) {
        out.push({
          known,
          verdict: "extended",
          overlap: 1,
          newTokens: extra,
          specialTokensDiffer: specialsDiffer,
          ...(mergesEqual !== undefined ? { mergesEqual } : {}),
        });
        continue;
      }
    }
    const c = containment(k, l);
    if (c >= OVERLAP_CONTAINMENT)
      out.push({
        known,
        verdict: "overlapping",
        overlap: Math.round(c * 1000) / 1000,
        newTokens: extra,
        specialTokensDiffer: specialsDiffer,
        ...(mergesEqual !== undefined ? { mergesEqual } : {}),
      });
  }
  const rank = { identical: 0, extended: 1, overlapping: 2 } as const;
  return out.sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.known.id.localeCompare(b.known.id));
}
