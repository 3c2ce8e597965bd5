import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  compareTokenizers,
  minHash,
  minHashJaccard,
  tokenizerSignatureOf,
  type TokenizerSummaryInput,
} from "./tokenizer-signature.js";

const vocab = (n: number, offset = 0): Set<string> => new Set(Array.from({ length: n }, (_, i) => `tok${i + offset}`));
function summary(
  v: Set<string>,
  mergesHash: string,
  specials = [{ id: 151643, content: "<|endoftext|>" }],
): TokenizerSummaryInput {
  return {
    modelType: "BPE",
    vocabSize: v.size,
    vocabHash: createHash("sha256")
      .update([...v].sort().join("\n"))
      .digest("hex"),
    mergesCount: 10,
    mergesHash,
    specialTokens: specials,
    preTokenizer: "Sequence(Split,ByteLevel)",
    vocabulary: v,
  };
}
// tokenizer_config.json shaped as Qwen2's (chat_template string, added_tokens_decoder, tokenizer_class).
const qwenConfig = JSON.stringify({
  tokenizer_class: "Qwen2Tokenizer",
  chat_template: "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}",
  added_tokens_decoder: {
    "151643": { content: "<|endoftext|>", special: true },
    "151644": { content: "<|im_start|>", special: true },
    "151665": { content: "<tool_call>", special: false },
  },
});

describe("tokenizer signatures", () => {
  it("reads special tokens and the chat template hash from tokenizer_config.json when there is no summary", () => {
    const s = tokenizerSignatureOf(undefined, new Map([["tokenizer_config.json", qwenConfig]]))!;
    expect(s.specialTokens).toEqual([
      { id: 151643, content: "<|endoftext|>" },
      { id: 151644, content: "<|im_start|>" },
    ]);
    expect(s.tokenizerClass).toBe("Qwen2Tokenizer");
    expect(s.chatTemplateHash).toMatch(/^[0-9a-f]{16}$/);
    // chat_template.jinja wins over the config's template (newer repos move it out).
    expect(
      tokenizerSignatureOf(
        undefined,
        new Map([
          ["tokenizer_config.json", qwenConfig],
          ["chat_template.jinja", "other"],
        ]),
      )!.chatTemplateHash,
    ).not.toBe(s.chatTemplateHash);
    expect(tokenizerSignatureOf(undefined, new Map())).toBeUndefined();
  });

  it("calls equal vocab and merges identical, and an extended vocabulary overlapping with its Jaccard", () => {
    const v = vocab(1000);
    const a = tokenizerSignatureOf(summary(v, "1".repeat(64)), new Map())!;
    expect(
      compareTokenizers(a, tokenizerSignatureOf(summary(v, "1".repeat(64)), new Map()), { a: v, b: v }),
    ).toMatchObject({ verdict: "identical", jaccard: 1, jaccardExact: true });
    expect(compareTokenizers(a, tokenizerSignatureOf(summary(v, "2".repeat(64)), new Map())).verdict).toBe(
      "same-vocabulary",
    );
    const extended = new Set([...v, ...vocab(250, 5000)]);
    const c = compareTokenizers(a, tokenizerSignatureOf(summary(extended, "3".repeat(64)), new Map()), {
      a: v,
      b: extended,
    });
    expect(c).toMatchObject({ verdict: "overlapping", jaccardExact: true });
    expect(c.jaccard).toBeCloseTo(1000 / 1250, 6);
    const other = vocab(1000, 100000);
    expect(
      compareTokenizers(a, tokenizerSignatureOf(summary(other, "4".repeat(64)), new Map()), { a: v, b: other }),
    ).toMatchObject({ verdict: "different", jaccard: 0 });
    expect(compareTokenizers(undefined, a).verdict).toBe("undetermined");
  });

  it("estimates Jaccard from MinHashes within a few standard errors", () => {
    const a = vocab(5000);
    const b = new Set([...vocab(4000), ...vocab(1000, 90000)]); // J = 4000 / 6000
    const est = minHashJaccard(minHash(a), minHash(b));
    expect(Math.abs(est - 4000 / 6000)).toBeLessThan(0.15);
    expect(minHashJaccard(minHash(a), minHash(a))).toBe(1);
    expect(minHashJaccard(minHash(a), minHash(vocab(5000, 50000)))).toBeLessThan(0.1);
  });
});
