import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync, createWriteStream, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { jaccard, readTokenizerFile, readTokenizerJson, TokenizerError } from "./tokenizer.js";

const FIX = join(import.meta.dirname, "fixtures");

/** Splits a string into chunks of `n` bytes, so tests exercise values split across chunk boundaries. */
function chunked(text: string, n: number): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += n) parts.push(bytes.subarray(i, i + n));
  return Readable.from(parts);
}

describe("readTokenizerJson", () => {
  it("summarises a byte-level BPE tokenizer (Qwen2 shape)", async () => {
    const s = await readTokenizerFile(join(FIX, "bpe-tokenizer.json"), { collectVocabulary: true });
    expect(s.modelType).toBe("BPE");
    expect(s.vocabSize).toBe(40);
    expect(s.idSpace).toBe(151646);
    expect(s.mergesCount).toBe(4);
    expect(s.preTokenizer).toBe("Sequence(Split,ByteLevel)");
    expect(s.normalizer).toBe("NFC");
    expect(s.decoder).toBe("ByteLevel");
    expect(s.byteFallback).toBe(false);
    expect(s.specialTokens.map((t) => [t.id, t.content])).toEqual([
      [151643, "<|endoftext|>"],
      [151644, "<|im_start|>"],
      [151645, "<|im_end|>"],
    ]);
    expect(s.vocabulary?.has("Ġthe")).toBe(true);
    // The vocabulary hash is the documented one: SHA-256 over [id, token] lines sorted by id.
    const expected = createHash("sha256");
    const syms = [..."!\"#$%&'()*+,-./0123456789:;<=>?@", "Ġ", "t", "h", "e", "Ġt", "he", "Ġthe", "in"];
    syms.forEach((t, i) => expected.update(JSON.stringify([i, t]) + "\n"));
    expect(s.vocabHash).toBe(expected.digest("hex"));
  });

  it("gives the same hashes for the pair serialisation of merges, another key order and compact JSON", async () => {
    const a = await readTokenizerFile(join(FIX, "bpe-tokenizer.json"));
    const b = await readTokenizerFile(join(FIX, "bpe-tokenizer-pairs.json"));
    expect(b.vocabHash).toBe(a.vocabHash);
    expect(b.mergesHash).toBe(a.mergesHash);
    expect(b.mergesCount).toBe(4);
  });

  it("reads a Unigram vocabulary ([piece, score] list) with index ids", async () => {
    const s = await readTokenizerFile(join(FIX, "unigram-tokenizer.json"), { collectVocabulary: true });
    expect(s.modelType).toBe("Unigram");
    expect(s.vocabSize).toBe(8);
    expect(s.mergesCount).toBe(0);
    expect(s.mergesHash).toBeUndefined();
    expect(s.preTokenizer).toBe("Metaspace");
    expect([...s.vocabulary!].slice(0, 3)).toEqual(["<pad>", "</s>", "<unk>"]);
  });

  it("does not depend on where chunk boundaries fall", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(join(FIX, "bpe-tokenizer.json"), "utf8");
    const whole = await readTokenizerJson(chunked(text, 1 << 20));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 97 }), async (n) => {
        const s = await readTokenizerJson(chunked(text, n));
        expect(s.vocabHash).toBe(whole.vocabHash);
        expect(s.mergesHash).toBe(whole.mergesHash);
      }),
      { numRuns: 25 },
    );
  });

  it("streams a tokenizer.json of tens of MB (200k tokens, 150k merges)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-tok-"));
    const path = join(dir, "tokenizer.json");
    const out = createWriteStream(path);
    out.write(
      '{"version":"1.0","added_tokens":[{"id":200000,"content":"<|eot|>","special":true}],"model":{"type":"BPE","vocab":{',
    );
    for (let i = 0; i < 200_000; i++)
      out.write(`${i ? "," : ""}"tok_${i.toString(36)}_ĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠĠ":${i}`);
    out.write('},"merges":[');
    for (let i = 0; i < 150_000; i++) out.write(`${i ? "," : ""}["tok_${i.toString(36)}","x"]`);
    out.write("]}}");
    await new Promise<void>((res) => out.end(res));
    const s = await readTokenizerFile(path);
    rmSync(dir, { recursive: true, force: true });
    expect(s.vocabSize).toBe(200_000);
    expect(s.mergesCount).toBe(150_000);
    expect(s.idSpace).toBe(200_001);
  }, 60_000);

  it("rejects truncated, non-object, empty and oversized input with a TokenizerError", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(join(FIX, "bpe-tokenizer.json"), "utf8");
    await expect(readTokenizerJson(chunked(text.slice(0, 500), 64))).rejects.toBeInstanceOf(TokenizerError);
    await expect(readTokenizerJson(chunked("[1,2]", 4))).rejects.toThrow(/not a JSON object/);
    await expect(readTokenizerJson(chunked("   ", 4))).rejects.toThrow(/empty/);
    await expect(readTokenizerJson(chunked(text, 64), { maxBytes: 100 })).rejects.toThrow(/limit/);
    const dir = mkdtempSync(join(tmpdir(), "aiprov-tok-"));
    writeFileSync(join(dir, "t.json"), '{"model": {"type": "BPE", "vocab": {"a": 0,}}}');
    await expect(readTokenizerFile(join(dir, "t.json"))).rejects.toBeInstanceOf(TokenizerError);
  });

  it("any truncation of a valid file is an error, never a wrong summary", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(join(FIX, "bpe-tokenizer-pairs.json"), "utf8");
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: text.length - 1 }), async (cut) => {
        await expect(readTokenizerJson(chunked(text.slice(0, cut), 50))).rejects.toBeInstanceOf(TokenizerError);
      }),
      { numRuns: 50 },
    );
  });
});

describe("jaccard", () => {
  it("is 1 for equal vocabularies, the overlap share otherwise", () => {
    expect(jaccard(new Set(["a", "b"]), new Set(["b", "a"]))).toBe(1);
    expect(jaccard(new Set(["a", "b", "c"]), new Set(["b", "c", "d"]))).toBe(0.5);
    expect(jaccard(new Set(), new Set())).toBe(1);
    expect(jaccard(new Set(["a"]), new Set())).toBe(0);
  });
});
