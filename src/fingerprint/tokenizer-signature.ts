/**
 * Tokenizer signature (placeholder until the tokenizer summary reader lands; filled in later).
 */
export interface TokenizerSignature {
  vocabSize?: number;
  vocabHash?: string;
}

/** Signature of a model's tokenizer files, or undefined when there are none. */
export function tokenizerSignature(sideFiles: ReadonlyMap<string, string>): TokenizerSignature | undefined {
  void sideFiles;
  return undefined;
}
