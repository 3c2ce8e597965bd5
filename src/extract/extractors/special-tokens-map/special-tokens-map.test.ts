import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { specialTokensMapExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("special-tokens-map extractor", () => {
  it("Llama 3.1 merge: <|begin_of_text|> / <|eot_id|> hint the llama3 family", async () => {
    const out = await extractFile(
      specialTokensMapExtractor,
      FIX,
      "mergekit-model-stock-llama31-8b/special_tokens_map.json",
    );
    expect(out.folders?.[0]?.facts).toMatchObject({
      "specialTokens.bos": "<|begin_of_text|>",
      "specialTokens.eos": "<|eot_id|>",
      tokenFamilies: ["llama3"],
    });
  });

  it("Yi-1.5: <|startoftext|> / <|im_end|>", async () => {
    const out = await extractFile(specialTokensMapExtractor, FIX, "mergekit-slerp-yi15-6b/special_tokens_map.json");
    expect(out.folders?.[0]?.facts).toMatchObject({
      "specialTokens.bos": "<|startoftext|>",
      "specialTokens.eos": "<|im_end|>",
    });
    expect(out.folders?.[0]?.facts?.tokenFamilies).toContain("yi");
  });

  it("added_tokens.json: TinyLLaVA's Gemma 3 image token", async () => {
    const out = await extractFile(
      specialTokensMapExtractor,
      FIX,
      "tinyllava-gemma3-siglip2-checkpoint/added_tokens.json",
    );
    expect(out.folders?.[0]?.facts).toMatchObject({
      addedTokens: ["<image_soft_token>=262144"],
      tokenFamilies: ["gemma3"],
    });
  });
});
