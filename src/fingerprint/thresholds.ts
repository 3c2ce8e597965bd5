/**
 * Calibrated decision thresholds for tensor similarity. Set by `scripts/calibrate-fingerprint.js` (run it with
 * `npm run calibrate`); the numbers it printed are in the README ("Weight fingerprints: thresholds and error rates").
 *
 * The statistic is the pooled, per-tensor-centred Pearson correlation over a component's large matrices (2-D or more,
 * at least {@link MIN_MATRIX_ELEMENTS} elements each). Under independence it is about normal with standard deviation
 * 1/sqrt(n); at n = 4096 (the smallest pooled sample allowed) that is 0.0156, so {@link UNRELATED_MAX} is 6.4 sigma
 * and the largest |r| seen over the calibration's independent pairs stays below it. A fine-tune modelled as weights
 * plus Gaussian noise of `k` times the weights' standard deviation has r = 1/sqrt(1 + k^2); {@link DERIVED_MIN} keeps
 * k up to 3 (r = 0.316) detected.
 */

/** Smallest tensor (elements) whose values enter the similarity statistics; smaller ones are only hashed. */
export const MIN_MATRIX_ELEMENTS = 4096;
/** Smallest pooled sample (elements) for a similarity verdict. */
export const MIN_POOLED_ELEMENTS = 4096;
/** Pooled Pearson at or above this (with the control below {@link UNRELATED_MAX}) means derived. Calibrated. */
export const DERIVED_MIN = 0.3;
/** |pooled Pearson| at or below this means unrelated. Calibrated: FPR 0 over the independent pairs. */
export const UNRELATED_MAX = 0.1;
/** Sketch values per sampled matrix in a fingerprint entry (one contiguous window at a name-seeded offset). */
export const SKETCH_VALUES = 1024;
/** Matrices sketched per component in a fingerprint entry (evenly spaced in name order). */
export const SKETCH_MATRICES = 16;
