import { describe, expect, it } from "vitest";
import { accumulate, emptySums, statsOf } from "./content.js";

const rand = (() => {
  let s = 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
})();

function noise(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647;
    out[i] = s / 2147483647 - 0.5;
  }
  return out;
}

describe("statistics over values with NaN and infinities", () => {
  it("one NaN does not zero the correlation of a derived copy", () => {
    const a = noise(50_000, 7);
    const b = a.map((x, i) => x + 0.1 * (((i * 7919) % 1000) / 1000 - 0.5));
    b[123] = Number.NaN;
    const sums = emptySums();
    accumulate(sums, a, b, 0, rand);
    const st = statsOf([sums]);
    expect(st.nonFinite).toBe(1);
    expect(st.pearson).toBeGreaterThan(0.9);
    expect(st.valuesEqual).toBe(false);
    expect(st.degenerate).toBe(false);
  });

  it("a constant or all-NaN side is degenerate (no correlation to read), not 'unrelated'", () => {
    const a = noise(10_000, 3);
    for (const b of [new Float32Array(10_000).fill(1), new Float32Array(10_000).fill(Number.NaN)]) {
      const sums = emptySums();
      accumulate(sums, a, b, 0, rand);
      expect(statsOf([sums]).degenerate).toBe(true);
    }
  });

  it("NaNs in the same places on both sides are equal values", () => {
    const a = noise(1000, 5);
    a[10] = Number.NaN;
    const sums = emptySums();
    accumulate(sums, a, Float32Array.from(a), 0, rand);
    const st = statsOf([sums]);
    expect(st.valuesEqual).toBe(true);
    expect(st.pearson).toBeCloseTo(1, 6);
  });
});
