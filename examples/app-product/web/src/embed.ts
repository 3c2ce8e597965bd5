// Browser-side query embeddings for Hana Assist (written for aiprov's example).
import { pipeline } from "@huggingface/transformers";

const MODEL_ID = "Xenova/multilingual-e5-small";

export async function embed(text: string): Promise<number[]> {
  const extractor = await pipeline("feature-extraction", MODEL_ID, { dtype: "q8" });
  const output = await extractor(text, { pooling: "mean", normalize: true });
  return Array.from(output.data as Float32Array);
}
