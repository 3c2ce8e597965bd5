/**
 * Tokenizer signatures and their comparison. What identifies a tokenizer: vocabulary hash and size, merges hash,
 * special tokens with their ids, pre-tokenizer, chat template hash, and the vocabulary itself (Jaccard overlap; a
 * 128-value MinHash in knowledge entries, so an entry can be compared without storing the vocabulary). A shared
 * tokenizer proves tokenizer lineage, never weights: many independently trained models reuse a tokenizer.
 *
 * The `tokenizer.json` summary comes from the one reader in `src/formats/tokenizer.ts` through the small
 * {@link TokenizerSummaryInput} interface; `tokenizer_config.json` (chat template, tokenizer class,
 * `added_tokens_decoder`) and `chat_template.jinja` are read here (transformers' `PreTrainedTokenizerBase` files,
 * shared/research/manifests-and-apis.md "tokenizer_config.json").
 */
import { stableId } from "../util/hash.js";
import { seedOf } from "./prng.js";

/** What the signature needs from a tokenizer.json summary (a subset of `TokenizerSummary`). */
export interface TokenizerSummaryInput {
  modelType?: string;
  vocabSize: number;
  vocabHash?: string;
  mergesCount: number;
  mergesHash?: string;
  specialTokens: { id: number; content: string }[];
  preTokenizer?: string;
  normalizer?: string;
  vocabulary?: ReadonlySet<string>;
}

export type { TokenizerSignature } from "../model/fingerprint-entry.js";
import type { TokenizerSignature } from "../model/fingerprint-entry.js";

/** Number of MinHash values: the Jaccard estimate's standard error is about sqrt(J(1-J)/128) <= 0.044. */
export const MINHASH_SIZE = 128;

function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** MinHash of a set of strings. */
export function minHash(tokens: Iterable<string>): number[] {
  const mins = new Array<number>(MINHASH_SIZE).fill(0xffffffff);
  const seeds = Array.from({ length: MINHASH_SIZE }, (_, i) => mix32(i * 0x9e3779b9 + 1));
  for (const t of tokens) {
    const base = seedOf(t);
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = mix32(base ^ seeds[i]!);
      if (h < mins[i]!) mins[i] = h;
    }
  }
  return mins;
}

/** Estimated Jaccard similarity from two MinHashes. */
export function minHashJaccard(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let eq = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) eq++;
  return n === 0 ? 0 : eq / n;
}

/** First 16 hex digits of the SHA-256 of `text` (the project's one short-hash function). */
function hash16(text: string): string {
  return stableId([text]);
}

function chatTemplateText(config: Record<string, unknown> | undefined, jinja: string | undefined): string | undefined {
  if (jinja !== undefined) return jinja;
  const t = config?.chat_template;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return JSON.stringify(t);
  return undefined;
}

/**
 * Builds a signature from a tokenizer.json summary and the tokenizer side files (names as in the model folder:
 * `tokenizer_config.json`, `chat_template.jinja`). Returns undefined when there is nothing to sign.
 */
export function tokenizerSignatureOf(
  summary: TokenizerSummaryInput | undefined,
  sideFiles: ReadonlyMap<string, string>,
): TokenizerSignature | undefined {
  let config: Record<string, unknown> | undefined;
  const cfgText = sideFiles.get("tokenizer_config.json");
  if (cfgText !== undefined) {
    try {
      const v = JSON.parse(cfgText) as unknown;
      if (v && typeof v === "object" && !Array.isArray(v)) config = v as Record<string, unknown>;
    } catch {
      config = undefined;
    }
  }
  const template = chatTemplateText(config, sideFiles.get("chat_template.jinja"));
  let specials = summary?.specialTokens.map((t) => ({ id: t.id, content: t.content })) ?? [];
  if (specials.length === 0 && config?.added_tokens_decoder && typeof config.added_tokens_decoder === "object") {
    for (const [id, v] of Object.entries(config.added_tokens_decoder as Record<string, unknown>)) {
      const o = v as { content?: unknown; special?: unknown };
      if (typeof o?.content === "string" && o.special === true && /^\d+$/.test(id))
        specials.push({ id: Number(id), content: o.content });
    }
  }
  specials = specials.sort((a, b) => a.id - b.id || a.content.localeCompare(b.content));
  if (!summary && !config && template === undefined) return undefined;
  return {
    ...(summary?.modelType ? { modelType: summary.modelType } : {}),
    ...(summary ? { vocabSize: summary.vocabSize, mergesCount: summary.mergesCount } : {}),
    ...(summary?.vocabHash ? { vocabHash: summary.vocabHash } : {}),
    ...(summary?.mergesHash ? { mergesHash: summary.mergesHash } : {}),
    specialTokens: specials,
    ...(summary?.preTokenizer ? { preTokenizer: summary.preTokenizer } : {}),
    ...(summary?.normalizer ? { normalizer: summary.normalizer } : {}),
    ...(typeof config?.tokenizer_class === "string" ? { tokenizerClass: config.tokenizer_class } : {}),
    ...(template !== undefined ? { chatTemplateHash: hash16(template) } : {}),
    ...(summary?.vocabulary ? { vocabMinHash: minHash(summary.vocabulary) } : {}),
  };
}

/** Comparison of two tokenizer signatures. */
export interface TokenizerComparison {
  /**
   * `identical`: vocabulary and merges hashes equal; `same-vocabulary`: vocabulary equal, merges or special tokens
   * differ; `overlapping`: vocabulary Jaccard >= 0.5; `different`; `undetermined`: a side has no tokenizer.json.
   */
  verdict: "identical" | "same-vocabulary" | "overlapping" | "different" | "undetermined";
  vocabHashEqual?: boolean;
  mergesHashEqual?: boolean;
  specialTokensEqual: boolean;
  preTokenizerEqual?: boolean;
  chatTemplateEqual?: boolean;
  vocabSize: { a?: number; b?: number };
  /** Exact when both vocabularies were read, else estimated from the MinHashes. */
  jaccard?: number;
  jaccardExact?: boolean;
}

/** Jaccard similarity of two vocabularies: exact when both were read, else estimated from the MinHashes. */
function vocabularyJaccard(
  a: TokenizerSignature | undefined,
  b: TokenizerSignature | undefined,
  vocab?: { a?: ReadonlySet<string>; b?: ReadonlySet<string> },
): { jaccard: number; jaccardExact: boolean } | undefined {
  if (vocab?.a && vocab.b) {
    const [small, large] = vocab.a.size <= vocab.b.size ? [vocab.a, vocab.b] : [vocab.b, vocab.a];
    let inter = 0;
    for (const t of small) if (large.has(t)) inter++;
    const union = vocab.a.size + vocab.b.size - inter;
    return { jaccard: union === 0 ? 1 : inter / union, jaccardExact: true };
  }
  if (a?.vocabMinHash && b?.vocabMinHash)
    return { jaccard: minHashJaccard(a.vocabMinHash, b.vocabMinHash), jaccardExact: false };
  return undefined;
}

/**
 * The verdict from what is known: equal vocabulary hashes (and merges) make `identical` or `same-vocabulary`; else a
 * Jaccard of at least 0.5 is `overlapping`; nothing comparable is `undetermined`.
 */
function tokenizerVerdict(
  vocabEq: boolean | undefined,
  mergesEq: boolean | undefined,
  jaccard: number | undefined,
): TokenizerComparison["verdict"] {
  if (vocabEq === undefined && jaccard === undefined) return "undetermined";
  if (vocabEq) return mergesEq ? "identical" : "same-vocabulary";
  return jaccard !== undefined && jaccard >= 0.5 ? "overlapping" : "different";
}

/** `{ [key]: value }` when the value is defined, else `{}` (optional fields of a JSON result). */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Compares two signatures; `vocab` gives the exact vocabularies when both were read (exact Jaccard), else the
 * MinHash estimate is used.
 */
export function compareTokenizers(
  a: TokenizerSignature | undefined,
  b: TokenizerSignature | undefined,
  vocab?: { a?: ReadonlySet<string>; b?: ReadonlySet<string> },
): TokenizerComparison {
  const both = <T>(x: T | undefined, y: T | undefined): boolean | undefined =>
    x === undefined || y === undefined ? undefined : x === y;
  const overlap = vocabularyJaccard(a, b, vocab);
  const vocabEq = both(a?.vocabHash, b?.vocabHash);
  // A tokenizer without merges (WordPiece, Unigram) has nothing to differ in when the vocabularies compare.
  const mergesEq =
    a?.mergesHash === undefined && b?.mergesHash === undefined && vocabEq !== undefined
      ? true
      : both(a?.mergesHash, b?.mergesHash);
  return {
    verdict: tokenizerVerdict(vocabEq, mergesEq, overlap?.jaccard),
    ...defined("vocabHashEqual", vocabEq),
    ...defined("mergesHashEqual", mergesEq),
    specialTokensEqual: JSON.stringify(a?.specialTokens ?? []) === JSON.stringify(b?.specialTokens ?? []),
    ...defined("preTokenizerEqual", both(a?.preTokenizer, b?.preTokenizer)),
    ...defined("chatTemplateEqual", both(a?.chatTemplateHash, b?.chatTemplateHash)),
    vocabSize: { ...defined("a", a?.vocabSize), ...defined("b", b?.vocabSize) },
    ...(overlap ?? {}),
  };
}
