import { describe, expect, it } from "vitest";
import { accumulate, emptySums, statsOf } from "./content.js";
import { fillGaussian, mulberry32 } from "./prng.js";
import { DERIVED_MIN, MIN_POOLED_ELEMENTS, UNRELATED_MAX } from "./thresholds.js";

// A guard on the shipped thresholds, at the smallest sample a verdict uses; the full calibration (9,000 pairs over
// shapes and dtypes, fine-tune noise levels) is `npm run calibrate`.
function pearson(a: Float32Array, b: Float32Array, seed: number): number {
  const s = emptySums();
  accumulate(s, a, b, 0, mulberry32(seed));
  return statsOf([s]).pearson;
}

describe("shipped thresholds", () => {
  it("call none of 1,000 independent pairs derived, and all of them unrelated", () => {
    const rand = mulberry32(424242);
    let worst = 0;
    for (let i = 0; i < 1000; i++) {
      const a = fillGaussian(new Float32Array(MIN_POOLED_ELEMENTS), rand, 0, 0.02);
      const b = fillGaussian(new Float32Array(MIN_POOLED_ELEMENTS), rand, 0, 0.02);
      worst = Math.max(worst, Math.abs(pearson(a, b, i)));
    }
    expect(worst).toBeLessThanOrEqual(UNRELATED_MAX);
    expect(worst).toBeLessThan(DERIVED_MIN);
  });

  it("call every fine-tune with noise up to 2x the weights' deviation derived", () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 200; i++) {
      const a = fillGaussian(new Float32Array(MIN_POOLED_ELEMENTS), rand, 0, 0.02);
      const noise = fillGaussian(new Float32Array(MIN_POOLED_ELEMENTS), rand, 0, 0.04);
      expect(
        pearson(
          a,
          a.map((v, j) => v + noise[j]!),
          i,
        ),
      ).toBeGreaterThanOrEqual(DERIVED_MIN);
    }
  });
});
