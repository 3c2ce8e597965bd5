#!/usr/bin/env node
/**
 * Calibrates the weight-similarity thresholds of src/fingerprint/thresholds.ts.
 *
 * For each shape and dtype, draws PAIRS independently initialised matrix pairs (three init families: N(0, 0.02),
 * Kaiming-uniform, and N(0.1, 0.02) whose non-zero mean makes raw cosine high), encodes them in the dtype and decodes
 * them exactly as `aiprov compare` does, and computes the centred Pearson correlation and the cosine. A pair counts as
 * a false positive when Pearson >= DERIVED_MIN (a "derived" verdict), and as "not unrelated" when |Pearson| >
 * UNRELATED_MAX. Then, for fine-tunes modelled as weights + k * sd * noise, counts false negatives (Pearson <
 * DERIVED_MIN). Prints the rates and exits 1 if any independent pair would be called derived.
 *
 * Usage: npm run calibrate [-- --pairs 1000]
 */
import { encodeFloats, decodeFloats } from "../dist/formats/safetensors.js";
import { accumulate, emptySums, statsOf } from "../dist/fingerprint/content.js";
import { fillGaussian, mulberry32 } from "../dist/fingerprint/prng.js";
import { DERIVED_MIN, UNRELATED_MAX, MIN_POOLED_ELEMENTS } from "../dist/fingerprint/thresholds.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const PAIRS = arg("pairs", 1000);
const SHAPES = [
  [64, 64],
  [96, 128],
  [256, 256],
];
const DTYPES = ["F32", "BF16", "F16"];
const NOISE = [0.1, 0.5, 1, 2, 3, 4];

function init(family, n, rand, fanIn) {
  const v = new Float32Array(n);
  if (family === "normal") return fillGaussian(v, rand, 0, 0.02);
  if (family === "shifted") return fillGaussian(v, rand, 0.1, 0.02);
  const bound = 1 / Math.sqrt(fanIn);
  for (let i = 0; i < n; i++) v[i] = (2 * rand() - 1) * bound;
  return v;
}

function roundTrip(v, dtype) {
  return decodeFloats(encodeFloats(v, dtype), dtype);
}

function stats(a, b, seed) {
  const s = emptySums();
  accumulate(s, a, b, 0, mulberry32(seed));
  return statsOf([s]);
}

const started = Date.now();
let totalIndependent = 0;
let totalFalsePositives = 0;
console.log(
  `aiprov fingerprint calibration: ${PAIRS} pairs per shape x dtype; DERIVED_MIN=${DERIVED_MIN}, UNRELATED_MAX=${UNRELATED_MAX}, minimum pooled sample ${MIN_POOLED_ELEMENTS}`,
);
console.log("\nIndependent pairs (false-positive rate):");
console.log("shape      dtype  pairs  max|Pearson|  max|control|  max cosine  derived (FP)  not-unrelated");
for (const shape of SHAPES) {
  const n = shape[0] * shape[1];
  for (const dtype of DTYPES) {
    const rand = mulberry32(0x5eed ^ (n * 31 + dtype.length));
    let maxR = 0,
      maxC = 0,
      maxCos = 0,
      fp = 0,
      notUnrelated = 0;
    for (let i = 0; i < PAIRS; i++) {
      const family = ["normal", "uniform", "shifted"][i % 3];
      const a = roundTrip(init(family, n, rand, shape[1]), dtype);
      const b = roundTrip(init(family, n, rand, shape[1]), dtype);
      const s = stats(a, b, i);
      maxR = Math.max(maxR, Math.abs(s.pearson));
      maxC = Math.max(maxC, Math.abs(s.control.pearson));
      maxCos = Math.max(maxCos, s.cosine);
      if (s.pearson >= DERIVED_MIN) fp++;
      if (Math.abs(s.pearson) > UNRELATED_MAX) notUnrelated++;
    }
    totalIndependent += PAIRS;
    totalFalsePositives += fp;
    console.log(
      `${shape.join("x").padEnd(10)} ${dtype.padEnd(6)} ${String(PAIRS).padStart(5)}  ${maxR.toFixed(4).padStart(12)}  ${maxC.toFixed(4).padStart(12)}  ${maxCos.toFixed(4).padStart(10)}  ${String(fp).padStart(12)}  ${String(notUnrelated).padStart(13)}`,
    );
  }
}

console.log(
  "\nFine-tunes: weights + k * sd * N(0,1) noise (false-negative rate at DERIVED_MIN), shape 64x64 (the smallest sample):",
);
console.log("k     dtype  pairs  min Pearson  median Pearson  FN (not derived)  FNR");
const fnr = [];
for (const k of NOISE) {
  for (const dtype of ["F32", "BF16"]) {
    const rand = mulberry32(0xf17e ^ Math.round(k * 1000));
    const rs = [];
    let fn = 0;
    for (let i = 0; i < PAIRS; i++) {
      const base = init(["normal", "uniform", "shifted"][i % 3], 4096, rand, 64);
      let s = 0,
        ss = 0;
      for (const v of base) {
        s += v;
        ss += v * v;
      }
      const sd = Math.sqrt(ss / base.length - (s / base.length) ** 2);
      const noise = fillGaussian(new Float32Array(base.length), rand, 0, k * sd);
      const tuned = roundTrip(
        base.map((v, j) => v + noise[j]),
        dtype,
      );
      const r = stats(roundTrip(base, dtype), tuned, i).pearson;
      rs.push(r);
      if (r < DERIVED_MIN) fn++;
    }
    rs.sort((x, y) => x - y);
    fnr.push({ k, dtype, fnr: fn / PAIRS });
    console.log(
      `${String(k).padEnd(5)} ${dtype.padEnd(6)} ${String(PAIRS).padStart(5)}  ${rs[0].toFixed(4).padStart(11)}  ${rs[rs.length >> 1].toFixed(4).padStart(14)}  ${String(fn).padStart(16)}  ${(fn / PAIRS).toFixed(3)}`,
    );
  }
}

console.log(
  `\nSummary: ${totalIndependent} independent pairs, ${totalFalsePositives} called derived: FPR ${(totalFalsePositives / totalIndependent).toFixed(4)}.`,
);
console.log(
  `FNR by noise k (expected Pearson 1/sqrt(1+k^2)): ${fnr.map((x) => `k=${x.k} ${x.dtype} ${x.fnr.toFixed(3)}`).join(", ")}`,
);
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exitCode = totalFalsePositives > 0 ? 1 : 0;
