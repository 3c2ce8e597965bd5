/**
 * Reads a source's tokenizer: the tokenizer.json summary through the one streamed reader
 * (`src/formats/tokenizer.ts`, vocabulary collected for Jaccard) and the side files, into a
 * {@link TokenizerSignature}.
 */
import { readTokenizerJson, TokenizerError } from "../formats/tokenizer.js";
import type { ModelSource } from "./source.js";
import { tokenizerSignatureOf, type TokenizerSignature, type TokenizerSummaryInput } from "./tokenizer-signature.js";

/** A source's tokenizer signature, its vocabulary when read, and a problem when tokenizer.json is unreadable. */
export async function sourceTokenizer(
  source: ModelSource,
): Promise<{ signature?: TokenizerSignature; vocabulary?: ReadonlySet<string>; problem?: string }> {
  let summary: TokenizerSummaryInput | undefined;
  let problem: string | undefined;
  const stream = source.sideStream("tokenizer.json");
  if (stream) {
    try {
      summary = await readTokenizerJson(stream, { collectVocabulary: true });
    } catch (err) {
      // A malformed file or a failed download is this file's problem; the weights are still compared.
      problem = err instanceof TokenizerError ? err.message : `could not be read: ${(err as Error).message}`;
    }
  }
  const signature = tokenizerSignatureOf(summary, source.sideFiles);
  return {
    ...(signature ? { signature } : {}),
    ...(summary?.vocabulary ? { vocabulary: summary.vocabulary } : {}),
    ...(problem ? { problem } : {}),
  };
}
