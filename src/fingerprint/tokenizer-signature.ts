/**
 * Tokenizer signature (placeholder type until the tokenizer summary reader lands; filled in later).
 */
export interface TokenizerSignature {
  vocabSize?: number;
  vocabHash?: string;
}
