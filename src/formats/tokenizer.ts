/**
 * The tokenizer summary reader: THE one implementation that both the `tokenizer-json` extractor and the fingerprint
 * work use. It reads a Hugging Face `tokenizer.json` (the `tokenizers` library's serialisation,
 * https://huggingface.co/docs/tokenizers/api/tokenizer and `tokenizers/src/tokenizer/serialization.rs`) as a stream,
 * so files of tens of MB are read in bounded memory (only the vocabulary's tokens and the merges' hash state are
 * kept), and summarises what identifies a tokenizer family:
 *
 * - `model.type` (`BPE`, `WordPiece`, `Unigram`, `WordLevel`), vocabulary size, a vocabulary hash and a merges hash;
 * - added tokens with their ids and the special ones among them;
 * - the pre-tokenizer, normaliser and decoder types (e.g. `Sequence(Split,ByteLevel)`);
 * - optionally the vocabulary itself as a set of token strings, for Jaccard similarity between two tokenizers.
 *
 * Hash definitions (stable across key order and whitespace of the JSON):
 * - vocabulary hash: SHA-256 (hex) over the entries sorted by id, then token, each as the UTF-8 of
 *   `JSON.stringify([id, token]) + "\n"`. `Unigram` vocabularies (`[[token, score], ...]`) use the array index as id.
 * - merges hash: SHA-256 (hex) over the merges in file order, each as `JSON.stringify([left, right]) + "\n"`; the
 *   legacy string form `"a b"` is split on its single space, so both serialisations of one merge list hash alike.
 *
 * Parsing uses `@streamparser/json` (maintained, pure TypeScript, ~5M downloads a month) with path filters, so
 * only the selected parts are ever built as objects.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { JSONParser } from "@streamparser/json";

/** One entry of `added_tokens`. */
export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

/** What identifies a tokenizer, read from `tokenizer.json`. */
export interface TokenizerSummary {
  /** `model.type`: `BPE`, `WordPiece`, `Unigram`, `WordLevel`; undefined when the file does not say. */
  modelType?: string;
  /** Entries in `model.vocab` (added tokens not counted). */
  vocabSize: number;
  /** Highest token id seen (vocabulary or added tokens) plus one: the embedding rows a model needs. */
  idSpace: number;
  /** See the module comment; undefined when the vocabulary is empty. */
  vocabHash?: string;
  /** Number of BPE merges (0 for other models). */
  mergesCount: number;
  /** See the module comment; undefined when there are no merges. */
  mergesHash?: string;
  /** `added_tokens`, in file order. */
  addedTokens: AddedToken[];
  /** The added tokens flagged `special`, in file order. */
  specialTokens: AddedToken[];
  /** Pre-tokenizer type; a `Sequence` is written `Sequence(A,B)`. */
  preTokenizer?: string;
  normalizer?: string;
  decoder?: string;
  /** `model.byte_fallback` for BPE (SentencePiece-converted tokenizers set it). */
  byteFallback?: boolean;
  /** `model.unk_token`. */
  unkToken?: string;
  /** The vocabulary's tokens, only when `collectVocabulary` was asked for. */
  vocabulary?: Set<string>;
  /** `model.vocab` as `[id, token]` sorted by id then token, only when `collectEntries` was asked for. */
  vocabEntries?: [number, string][];
}

/** The input is not a readable tokenizer.json; `message` says why. */
export class TokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenizerError";
  }
}

/** Options of {@link readTokenizerJson}. */
export interface ReadTokenizerOptions {
  /** Keep the vocabulary's token strings in `vocabulary` (for {@link jaccard}). Default false. */
  collectVocabulary?: boolean;
  /** Keep the vocabulary's `[id, token]` entries in `vocabEntries` (for known-tokenizer hashes). Default false. */
  collectEntries?: boolean;
  /** Stop with a TokenizerError after this many bytes (default 512 MiB). */
  maxBytes?: number;
}

/** Default cap on bytes read from one tokenizer.json. */
export const MAX_TOKENIZER_BYTES = 512 * 1024 * 1024;

const PATHS = [
  "$.model.type",
  "$.model.vocab.*",
  "$.model.merges.*",
  "$.model.byte_fallback",
  "$.model.unk_token",
  "$.added_tokens.*",
  "$.pre_tokenizer",
  "$.normalizer",
  "$.decoder",
];

/** `{"type":"Sequence","pretokenizers":[{type:A},{type:B}]}` -> `Sequence(A,B)`; `{"type":"X"}` -> `X`. */
export function describeComponent(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const type = typeof o.type === "string" ? o.type : undefined;
  if (!type) return undefined;
  const parts = [o.pretokenizers, o.normalizers, o.decoders, o.processors].find(Array.isArray) as unknown[] | undefined;
  if (type === "Sequence" && parts) return `Sequence(${parts.map((p) => describeComponent(p) ?? "?").join(",")})`;
  return type;
}

/** A `model.vocab` entry as `[id, token]`: BPE/WordPiece maps token -> id, Unigram lists `[token, score]` by id. */
function vocabEntry(key: string | number | undefined, value: unknown): [number, string] | undefined {
  if (typeof key === "string" && typeof value === "number") return [value, key];
  if (typeof key === "number" && Array.isArray(value) && typeof value[0] === "string") return [key, value[0]];
  return undefined;
}

/** A `model.merges` entry as a pair: `"a b"` (split at the first space) or `["a", "b"]`. */
function mergePair(value: unknown): [string, string] | undefined {
  if (typeof value === "string") {
    const i = value.indexOf(" ");
    return i >= 0 ? [value.slice(0, i), value.slice(i + 1)] : [value, ""];
  }
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string")
    return [value[0], value[1]];
  return undefined;
}

/** Top-level pipeline components described in the summary, by their tokenizer.json key. */
const COMPONENT_FIELDS = { pre_tokenizer: "preTokenizer", normalizer: "normalizer", decoder: "decoder" } as const;

/**
 * Reads a tokenizer.json from a byte or string stream and summarises it.
 * @param source a Node stream or any async iterable of chunks (UTF-8 bytes or strings).
 * @throws TokenizerError when the JSON is invalid or truncated, the top level is not an object, or the input exceeds
 *   `maxBytes`.
 */
export async function readTokenizerJson(
  source: AsyncIterable<Uint8Array | string>,
  opts: ReadTokenizerOptions = {},
): Promise<TokenizerSummary> {
  const maxBytes = opts.maxBytes ?? MAX_TOKENIZER_BYTES;
  const vocab: [number, string][] = [];
  const merges = createHash("sha256");
  let mergesCount = 0;
  const added: AddedToken[] = [];
  const summary: Omit<TokenizerSummary, "vocabSize" | "idSpace" | "mergesCount" | "addedTokens" | "specialTokens"> = {};
  let topLevelSeen = false;
  let topLevelIsObject = false;

  const parser = new JSONParser({ paths: PATHS, keepStack: false, stringBufferSize: undefined });
  parser.onValue = ({ value, key, stack }) => {
    // stack[0] is the root object; its depth tells which path matched.
    const depth = stack.length;
    const top = depth >= 2 ? (stack[1]!.key as string) : undefined;
    const second = depth >= 3 ? (stack[2]!.key as string) : undefined;
    if (top === "model" && depth === 2) {
      if (key === "type" && typeof value === "string") summary.modelType = value;
      else if (key === "byte_fallback" && typeof value === "boolean") summary.byteFallback = value;
      else if (key === "unk_token" && typeof value === "string") summary.unkToken = value;
    } else if (top === "model" && second === "vocab") {
      const entry = vocabEntry(key, value);
      if (entry) vocab.push(entry);
    } else if (top === "model" && second === "merges") {
      const pair = mergePair(value);
      if (pair) {
        merges.update(JSON.stringify(pair) + "\n");
        mergesCount++;
      }
    } else if (top === "added_tokens" && depth === 2) {
      const o = value as Record<string, unknown>;
      if (o && typeof o.id === "number" && typeof o.content === "string")
        added.push({ id: o.id, content: o.content, special: o.special === true });
    } else if (depth === 1 && typeof key === "string" && Object.hasOwn(COMPONENT_FIELDS, key)) {
      const d = describeComponent(value);
      if (d) summary[COMPONENT_FIELDS[key as keyof typeof COMPONENT_FIELDS]] = d;
    }
  };

  let bytes = 0;
  try {
    for await (const chunk of source) {
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      if (bytes > maxBytes) throw new TokenizerError(`tokenizer.json is larger than the ${maxBytes}-byte limit`);
      if (!topLevelSeen) {
        const text =
          typeof chunk === "string"
            ? chunk
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString("latin1");
        const first = /\S/.exec(text.replace(/^\uFEFF|^\xEF\xBB\xBF/, ""));
        if (first) {
          topLevelSeen = true;
          topLevelIsObject = first[0] === "{";
          if (!topLevelIsObject) throw new TokenizerError("tokenizer.json is not a JSON object");
        }
      }
      parser.write(typeof chunk === "string" ? chunk.replace(/^\uFEFF/, "") : stripBom(chunk, bytes === chunk.length));
    }
    if (!topLevelSeen) throw new TokenizerError("tokenizer.json is empty");
    if (!parser.isEnded) parser.end();
  } catch (err) {
    if (err instanceof TokenizerError) throw err;
    throw new TokenizerError(`invalid tokenizer.json: ${(err as Error).message}`);
  }

  vocab.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let vocabHash: string | undefined;
  if (vocab.length > 0) {
    const h = createHash("sha256");
    for (const e of vocab) h.update(JSON.stringify(e) + "\n");
    vocabHash = h.digest("hex");
  }
  const maxVocabId = vocab.length ? vocab[vocab.length - 1]![0] : -1;
  const maxAddedId = added.reduce((m, t) => Math.max(m, t.id), -1);
  return {
    ...summary,
    vocabSize: vocab.length,
    idSpace: Math.max(maxVocabId, maxAddedId) + 1,
    ...(vocabHash ? { vocabHash } : {}),
    mergesCount,
    ...(mergesCount > 0 ? { mergesHash: merges.digest("hex") } : {}),
    addedTokens: added,
    specialTokens: added.filter((t) => t.special),
    ...(opts.collectVocabulary ? { vocabulary: new Set(vocab.map((e) => e[1])) } : {}),
    ...(opts.collectEntries ? { vocabEntries: vocab } : {}),
  };
}

function stripBom(chunk: Uint8Array, isFirst: boolean): Uint8Array {
  return isFirst && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
}

/**
 * Reads a local tokenizer.json by path (a stream; never the whole file in one string).
 * @throws TokenizerError as {@link readTokenizerJson}; the fs error when the file cannot be opened.
 */
export function readTokenizerFile(path: string, opts: ReadTokenizerOptions = {}): Promise<TokenizerSummary> {
  return readTokenizerJson(createReadStream(path, { highWaterMark: 1 << 20 }), opts);
}

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of two vocabularies (1 for two empty sets). Tokenizers of one family
 * (Llama-3 and its fine-tunes) score 1; a vocabulary extended with new tokens scores |A| / |A ∪ B|.
 */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const t of small) if (large.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}
