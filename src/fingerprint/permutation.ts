/**
 * A permutation-invariant similarity: a copy whose hidden neurons or attention heads are reordered computes the same
 * function, yet its tensors correlate with the original at about 0 element by element. Such a reordering permutes one
 * axis of each matrix (the rows of an MLP's up/gate projection and of q/k/v by head blocks, the columns of the down and
 * output projections) and leaves the other in place. The Gram matrix over the permuted axis is unchanged by it:
 * for B = P A, Bᵀ B = Aᵀ A. So for each matrix pair both Gram matrices are taken (over rows, and over columns), on at
 * most {@link GRAM_SAMPLE} indices of the kept axis (the same seeded indices on both sides), and the Pearson
 * correlation of their off-diagonal entries is the statistic; the larger of the two is kept.
 *
 * Under independence the off-diagonal entries of the two Grams are uncorrelated (about N(0, 1/entries)); a permuted
 * exact copy gives 1; a permuted fine-tune with noise k times the weights' deviation gives about 1/(1 + k²). The
 * diagonal (row or column norms) is left out: norms of unrelated initialisations agree in distribution.
 */
import { decodeFloats } from "../formats/safetensors.js";
import { accumulate, elementsOf, emptySums, type PairSums } from "./content.js";
import { mulberry32, seedOf } from "./prng.js";
import type { ModelSource, SourceTensor } from "./source.js";

/** Largest matrix (elements per side) loaded whole for the statistic (64 MiB of float32 per side). */
export const PERMUTATION_MAX_ELEMENTS = 16 * 1024 * 1024;
/** Matrices used per component (the smallest large ones first). */
export const PERMUTATION_MATRICES = 4;
/** Indices of the kept axis sampled for a Gram matrix. */
export const GRAM_SAMPLE = 128;

async function loadMatrix(source: ModelSource, t: SourceTensor): Promise<Float32Array> {
  const bytes = await source.read(t.file, t.start, t.end);
  return Float32Array.from(decodeFloats(bytes, t.dtype));
}

/** `count` distinct indices below `n`, sorted, from a seeded generator (all of them when n <= count). */
function sample(n: number, count: number, seed: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(seed);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(rand() * n));
  return [...picked].sort((a, b) => a - b);
}

/**
 * Off-diagonal Gram entries over the permuted axis: `byColumns` takes G[i][j] = Σ_r m[r][c_i] m[r][c_j] (invariant to a
 * row permutation); otherwise G[i][j] = Σ_c m[r_i][c] m[r_j][c] (invariant to a column permutation).
 */
function gram(m: Float32Array, rows: number, cols: number, idx: readonly number[], byColumns: boolean): Float32Array {
  const s = idx.length;
  const out = new Float64Array((s * (s - 1)) / 2);
  const v = new Float64Array(s);
  const outer = byColumns ? rows : cols;
  for (let t = 0; t < outer; t++) {
    for (let i = 0; i < s; i++) {
      const x = byColumns ? m[t * cols + idx[i]!]! : m[idx[i]! * cols + t]!;
      v[i] = Number.isFinite(x) ? x : 0;
    }
    let p = 0;
    for (let i = 0; i < s; i++) {
      const vi = v[i]!;
      for (let j = i + 1; j < s; j++) out[p++]! += vi * v[j]!;
    }
  }
  return Float32Array.from(out);
}

/** Result for one matrix pair. */
export interface GramPair {
  tensor: string;
  /** The axis whose permutation the better statistic ignores. */
  axis: "rows" | "columns";
  sums: PairSums;
  pearson: number;
}

function pearsonOf(s: PairSums): number {
  if (s.n === 0) return 0;
  const cov = s.sab - (s.sa * s.sb) / s.n;
  const va = s.saa - (s.sa * s.sa) / s.n;
  const vb = s.sbb - (s.sb * s.sb) / s.n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/**
 * The permutation-invariant statistic of one same-shape matrix pair (2-D, or more with trailing axes flattened into
 * the columns). Reads both tensors whole; the caller bounds their size.
 * @throws SafetensorsError when a read fails or a dtype is not decoded.
 */
export async function gramPair(
  a: { source: ModelSource; tensor: SourceTensor },
  b: { source: ModelSource; tensor: SourceTensor },
): Promise<GramPair> {
  const rows = a.tensor.shape[0]!;
  const cols = elementsOf(a.tensor) / rows;
  const [ma, mb] = await Promise.all([loadMatrix(a.source, a.tensor), loadMatrix(b.source, b.tensor)]);
  const seed = seedOf(a.tensor.relative);
  let best: GramPair | undefined;
  for (const axis of ["rows", "columns"] as const) {
    // A row permutation leaves the column Gram unchanged, and the other way round.
    const byColumns = axis === "rows";
    const keptLength = byColumns ? cols : rows;
    if (keptLength < 3) continue;
    const idx = sample(keptLength, GRAM_SAMPLE, seed ^ (byColumns ? 0x9e3779b9 : 0x7f4a7c15));
    const sums = emptySums();
    accumulate(sums, gram(ma, rows, cols, idx, byColumns), gram(mb, rows, cols, idx, byColumns), 0, mulberry32(seed));
    const p = pearsonOf(sums);
    if (!best || p > best.pearson) best = { tensor: a.tensor.relative, axis, sums, pearson: p };
  }
  return best ?? { tensor: a.tensor.relative, axis: "rows", sums: emptySums(), pearson: 0 };
}
