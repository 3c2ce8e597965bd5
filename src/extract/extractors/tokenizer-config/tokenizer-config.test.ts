import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { tokenizerConfigExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("tokenizer-config extractor", () => {
  it("Qwen2.5-VL: Qwen2Tokenizer, ChatML and vision markers, special token ids", async () => {
    const out = await extractFile(tokenizerConfigExtractor, FIX, "qwen2.5-vl-7b-instruct/tokenizer_config.json");
    const t = out.components![0]!;
    expect(t).toMatchObject({
      role: "tokenizer",
      parent: "folder:qwen2.5-vl-7b-instruct",
      facts: { tokenizerClass: "Qwen2Tokenizer", eosToken: "<|im_end|>", chatTemplate: true },
    });
    expect(t.facts?.specialTokens).toContain("<|im_start|>=151644");
    expect(t.facts?.tokenFamilies).toEqual(["chatml", "qwen", "qwen2-vl"]);
    expect(out.references).toEqual([]);
  });

  it("Ultravox: a Llama 3.1 tokenizer saved with the processor class", async () => {
    const out = await extractFile(tokenizerConfigExtractor, FIX, "ultravox-whisper-llama31/tokenizer_config.json");
    expect(out.components![0]!.facts).toMatchObject({
      tokenizerClass: "PreTrainedTokenizer",
      processorClass: "UltravoxProcessor",
      bosToken: "<|begin_of_text|>",
    });
    expect(out.components![0]!.facts?.tokenFamilies).toContain("llama3");
  });

  it("name_or_path names the repo the tokenizer was saved from; bad JSON is a diagnostic", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const root = mkdtempSync(join(tmpdir(), "aiprov-tc-"));
    writeFileSync(
      join(root, "tokenizer_config.json"),
      '{\n  "tokenizer_class": "LlamaTokenizer",\n  "name_or_path": "lmsys/vicuna-7b-v1.5"\n}\n',
    );
    const out = await extractFile(tokenizerConfigExtractor, root, "tokenizer_config.json");
    expect(out.references?.[0]).toMatchObject({
      target: "lmsys/vicuna-7b-v1.5",
      role: "tokenizer",
      location: { line: 3 },
    });
    writeFileSync(join(root, "tokenizer_config.json"), "{");
    expect((await extractFile(tokenizerConfigExtractor, root, "tokenizer_config.json")).diagnostics?.[0]?.code).toBe(
      "parse-error",
    );
  });
});
