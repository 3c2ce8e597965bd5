import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { generationConfigExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("generation-config extractor", () => {
  it("reads Qwen2.5-VL's token ids (Qwen2 vocabulary layout)", async () => {
    const out = await extractFile(generationConfigExtractor, FIX, "qwen2.5-vl-7b-instruct/generation_config.json");
    expect(out.folders?.[0]?.facts).toMatchObject({
      "generation.bos_token_id": 151643,
      "generation.eos_token_id": ["151645", "151643"],
    });
  });

  it("reads Ultravox's Llama 3.1 ids", async () => {
    const out = await extractFile(generationConfigExtractor, FIX, "ultravox-whisper-llama31/generation_config.json");
    expect(out.folders?.[0]?.facts?.["generation.eos_token_id"]).toEqual(["128001", "128008", "128009"]);
    expect(out.folders?.[0]?.dir).toBe("ultravox-whisper-llama31");
  });
});
