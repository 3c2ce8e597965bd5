import { describe, expect, it } from "vitest";
import { redact, redactDeep, SECRET_KEY } from "./redact.js";

const HF = "hf_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef12";

describe("redact", () => {
  it("removes Hub tokens, API keys and URL credentials", () => {
    expect(redact(`HF_TOKEN=${HF}`)).toBe("HF_TOKEN=[REDACTED]");
    expect(redact("sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")).toBe("[REDACTED]");
    expect(redact(`https://user:${HF}@huggingface.co/Qwen/Qwen2-VL-7B`)).toBe(
      "https://[REDACTED]@huggingface.co/Qwen/Qwen2-VL-7B",
    );
    expect(redact("Authorization: Bearer abcdefghijklmnopqrstuvwxyz")).toBe("Authorization: Bearer [REDACTED]");
  });
  it("removes tokens glued to other text (a token pasted into a repo name or a variable)", () => {
    expect(redact(`org/${HF}_backup`)).toBe("org/[REDACTED]_backup");
    expect(redact(`org/x${HF}`)).toBe("org/x[REDACTED]");
    expect(redact("my_task-ABCDEFGHIJKLMNOPQRSTUVWXYZ")).toBe("my_task-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  });
  it("keeps model ids and ordinary text", () => {
    expect(redact("Qwen/Qwen2.5-VL-7B-Instruct")).toBe("Qwen/Qwen2.5-VL-7B-Instruct");
    expect(redact("hf_hub:timm/vit_base_patch16_224")).toBe("hf_hub:timm/vit_base_patch16_224");
  });
});

describe("redactDeep", () => {
  it("redacts every string and every value under a credential key, deep", () => {
    const out = redactDeep({
      config: {
        hub_token: "anything",
        api_key: "x",
        eos_token: "<|im_end|>",
        license: HF,
        nested: [{ url: `https://a:${HF}@h/x` }],
      },
    });
    expect(out).toEqual({
      config: {
        hub_token: "[REDACTED]",
        api_key: "[REDACTED]",
        eos_token: "<|im_end|>",
        license: "[REDACTED]",
        nested: [{ url: "https://[REDACTED]@h/x" }],
      },
    });
    expect(JSON.stringify(out)).not.toContain("hf_ABC");
  });
  it("treats special-token keys as data, credential keys as secrets", () => {
    for (const k of ["pad_token", "eos_token", "bos_token", "tokenizer", "author", "auto_map"])
      expect(SECRET_KEY.test(k), k).toBe(false);
    for (const k of [
      "token",
      "hf_token",
      "HUGGING_FACE_HUB_TOKEN",
      "api_key",
      "OPENAI_API_KEY",
      "password",
      "access_token",
      "secret_key",
    ])
      expect(SECRET_KEY.test(k), k).toBe(true);
  });
});

describe("printable", () => {
  it("escapes terminal control characters but keeps tabs, newlines and unicode", async () => {
    const { printable } = await import("./redact.js");
    expect(printable("a\u001b[31mRED\u0007b")).toBe("a\\x1b[31mRED\\x07b");
    expect(printable("한국어\tok\n")).toBe("한국어\tok\n");
  });
});
