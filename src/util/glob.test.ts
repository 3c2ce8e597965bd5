import { describe, expect, it } from "vitest";
import { wildcardMatch } from "./glob.js";

describe("wildcardMatch", () => {
  it("treats * as any run of characters and everything else literally, case-insensitively", () => {
    expect(wildcardMatch("meta-llama/Llama-3*", "meta-llama/Llama-3.1-8B")).toBe(true);
    expect(wildcardMatch("cc-by-nc-*", "CC-BY-NC-4.0")).toBe(true);
    expect(wildcardMatch("models/*", "models/a/b/config.json")).toBe(true);
    expect(wildcardMatch("Qwen/Qwen2.5-7B", "Qwen/Qwen2x5-7B")).toBe(false);
    expect(wildcardMatch("llama3.1", "llama3.1-extra")).toBe(false);
    expect(wildcardMatch("(a)+", "(a)+")).toBe(true);
  });
});

describe("wildcardMatch on hostile patterns", () => {
  it("answers a many-star pattern against a long value at once (no backtracking regex)", () => {
    const value = "a".repeat(100_000);
    expect(wildcardMatch("*a*a*a*a*a*a*a*a*b", value)).toBe(false);
    expect(wildcardMatch("*a*a*a*a*a*a*a*a*", value)).toBe(true);
    expect(wildcardMatch("a*b*c", "aXXbYYc")).toBe(true);
    expect(wildcardMatch("a*b*c", "aXXcYYb")).toBe(false);
    expect(wildcardMatch("*", "")).toBe(true);
    expect(wildcardMatch("", "x")).toBe(false);
  });
});
