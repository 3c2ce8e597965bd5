/**
 * Reads a source's tokenizer: the tokenizer.json summary (through the one reader, `src/formats/tokenizer.ts`) and the
 * side files, into a {@link TokenizerSignature} plus the vocabulary for exact Jaccard.
 */
import type { ModelSource } from "./source.js";
import { tokenizerSignatureOf, type TokenizerSignature, type TokenizerSummaryInput } from "./tokenizer-signature.js";

/** Summarises tokenizer.json text; undefined until the shared reader is wired in. */
const summarize: ((text: string) => Promise<TokenizerSummaryInput>) | undefined = undefined;

/** A source's tokenizer signature, its vocabulary when read, and a problem when tokenizer.json is unreadable. */
export async function sourceTokenizer(source: ModelSource): Promise<{ signature?: TokenizerSignature; vocabulary?: ReadonlySet<string>; problem?: string }> {
  let summary: TokenizerSummaryInput | undefined;
  let problem: string | undefined;
  const text = source.sideFiles.get("tokenizer.json");
  if (text !== undefined && summarize) {
    try {
      summary = await summarize(text);
    } catch (err) {
      problem = `tokenizer.json: ${(err as Error).message}`;
    }
  }
  const signature = tokenizerSignatureOf(summary, source.sideFiles);
  return { ...(signature ? { signature } : {}), ...(summary?.vocabulary ? { vocabulary: summary.vocabulary } : {}), ...(problem ? { problem } : {}) };
}
