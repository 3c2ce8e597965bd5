import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { tokenizerJsonExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("tokenizer-json extractor", () => {
  it("summarises the tokenizer as facts of a tokenizer component", async () => {
    const out = await extractFile(tokenizerJsonExtractor, FIX, "tokenizer.json");
    const t = out.components![0]!;
    expect(t).toMatchObject({
      role: "tokenizer",
      facts: {
        tokenizerModel: "BPE",
        vocabSize: 40,
        mergesCount: 4,
        preTokenizer: "Sequence(Split,ByteLevel)",
        idSpace: 151646,
      },
    });
    expect(String(t.facts?.vocabHash)).toMatch(/^[0-9a-f]{64}$/);
    expect(t.facts?.tokenFamilies).toEqual(["chatml", "qwen"]);
  });

  it("a truncated file and an LFS pointer are diagnostics", async () => {
    const root = mkdtempSync(join(tmpdir(), "aiprov-tj-"));
    writeFileSync(join(root, "tokenizer.json"), readFileSync(join(FIX, "tokenizer.json")).subarray(0, 300));
    expect((await extractFile(tokenizerJsonExtractor, root, "tokenizer.json")).diagnostics?.[0]?.code).toBe(
      "parse-error",
    );
    writeFileSync(
      join(root, "tokenizer.json"),
      "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 7031645\n",
    );
    expect((await extractFile(tokenizerJsonExtractor, root, "tokenizer.json")).diagnostics?.[0]?.code).toBe(
      "git-lfs-pointer",
    );
  });
});
