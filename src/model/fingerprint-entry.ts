/**
 * The stored fingerprint entry format (`schemas/knowledge-fingerprint.schema.json`): data the knowledge base loads and
 * the fingerprint stage writes and compares. Kept with the shared model so that `resolve` (which loads entries) does not
 * import the `fingerprint` stage (which imports resolve's HTTP client and knowledge base).
 */

/** The part of a model a tensor belongs to. */
export type ComponentKind = "vision" | "audio" | "projector" | "text" | "other";

/** A component's config signature. */
export interface ConfigSignature {
  /** JSON pointer of the sub-config the signature was taken from (`` for the top level). */
  pointer: string;
  /** First 16 hex digits of SHA-256 over the canonical JSON of the architecture keys present. */
  architectureHash: string;
  familyHash: string;
  /** The values hashed, for reports. */
  values: Record<string, unknown>;
}

/** A tokenizer signature (stored in fingerprint entries; `schemas/knowledge-fingerprint.schema.json` `tokenizer`). */
export interface TokenizerSignature {
  modelType?: string;
  vocabSize?: number;
  vocabHash?: string;
  mergesCount?: number;
  mergesHash?: string;
  /** Special tokens with their ids, sorted by id (from tokenizer.json, else tokenizer_config.json). */
  specialTokens: { id: number; content: string }[];
  preTokenizer?: string;
  normalizer?: string;
  tokenizerClass?: string;
  /** SHA-256 of the chat template text (the first 16 hex digits), from chat_template.jinja or tokenizer_config.json. */
  chatTemplateHash?: string;
  /** MinHash of the vocabulary (128 (`MINHASH_SIZE` in src/fingerprint/tokenizer-signature.ts) minima of seeded 32-bit hashes of the token strings). */
  vocabMinHash?: number[];
}

/** One tensor of an entry (name relative to the component prefix). */
export interface EntryTensor {
  name: string;
  dtype: string;
  shape: number[];
  sha256: string;
}

/** A sampled window of a matrix: `values` are elements [offset, offset + values.length) in row-major order. */
export interface EntrySketch {
  name: string;
  offset: number;
  values: number[];
}

/** One component of an entry. */
export interface EntryComponent {
  component: ComponentKind;
  /** Known component id of the knowledge base this component is (e.g. `qwen2.5-vl-vit`), when known. */
  knownComponent?: string;
  prefixes: string[];
  parameters: number;
  bytes: number;
  config?: ConfigSignature;
  tensors: EntryTensor[];
  sketches: EntrySketch[];
}

/** A fingerprint entry of the knowledge base. */
export interface FingerprintEntry {
  schemaVersion: number;
  id: string;
  name: string;
  /** Where the weights came from: a Hub repo (and revision) or a description of a local folder. */
  source: { repo?: string; revision?: string; folder?: string };
  createdWith: string;
  components: EntryComponent[];
  tokenizer?: TokenizerSignature;
  /** File the entry was read from (set by the loader). */
  file?: string;
}
