/**
 * Tensor content: streaming SHA-256 of raw tensor bytes, and streaming similarity statistics between two same-shape
 * tensors (cosine, centred Pearson, a value-equality check up to dtype rounding), each beside a control: the same
 * statistic against a reference drawn independently (fixed seed) with the second tensor's mean and standard
 * deviation. Values are decoded from F32/F16/BF16 in bounded chunks ({@link CHUNK_ELEMENTS}); nothing is loaded whole.
 */
import { createHash } from "node:crypto";
import { COMPARABLE_DTYPES, DTYPE_UNIT_ROUNDOFF, decodeFloats, encodeFloats } from "../formats/safetensors.js";
import { mulberry32, seedOf } from "./prng.js";
import type { ModelSource, SourceTensor } from "./source.js";

/** Elements decoded per chunk (4 MiB of float32 per side). */
export const CHUNK_ELEMENTS = 1 << 20;
/** Bytes per hashing read. */
export const HASH_CHUNK_BYTES = 8 << 20;

/**
 * SHA-256 (hex) of each tensor's raw bytes, read sequentially per file in {@link HASH_CHUNK_BYTES} reads with one read
 * in flight ahead of the hashing (so disk and hash overlap).
 */
export async function hashTensors(source: ModelSource, tensors: readonly SourceTensor[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byFile = new Map<string, SourceTensor[]>();
  for (const t of tensors) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  for (const [file, list] of [...byFile.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    list.sort((a, b) => a.start - b.start);
    const jobs: { t: SourceTensor; start: number; end: number }[] = [];
    for (const t of list)
      for (let p = t.start; p < t.end || (p === t.start && t.start === t.end); p += HASH_CHUNK_BYTES) {
        jobs.push({ t, start: p, end: Math.min(t.end, p + HASH_CHUNK_BYTES) });
        if (t.start === t.end) break;
      }
    let current: ReturnType<typeof createHash> | undefined;
    let currentName = "";
    let next = jobs.length > 0 ? source.read(file, jobs[0]!.start, jobs[0]!.end) : undefined;
    for (let i = 0; i < jobs.length; i++) {
      const bytes = await next!;
      next = i + 1 < jobs.length ? source.read(file, jobs[i + 1]!.start, jobs[i + 1]!.end) : undefined;
      const job = jobs[i]!;
      if (job.t.name !== currentName) {
        if (current) out.set(currentName, current.digest("hex"));
        current = createHash("sha256");
        currentName = job.t.name;
      }
      current!.update(bytes);
    }
    if (current) out.set(currentName, current.digest("hex"));
  }
  return out;
}

/**
 * SHA-256 (hex) of a tensor's values re-encoded in `dtype`, when the re-encoding is lossless (every value decodes back
 * bit for bit; a BF16 checkpoint re-serialised as F32 re-encodes to its original bytes), else undefined. Streams the
 * tensor in {@link CHUNK_ELEMENTS} chunks.
 * @throws SafetensorsError when a dtype is not decoded or a read fails.
 */
export async function hashTensorAs(source: ModelSource, t: SourceTensor, dtype: string): Promise<string | undefined> {
  if (!COMPARABLE_DTYPES.has(t.dtype) || !COMPARABLE_DTYPES.has(dtype)) return undefined;
  const n = elementsOf(t);
  const width = (t.end - t.start) / Math.max(1, n);
  const h = createHash("sha256");
  const buf = new Float32Array(CHUNK_ELEMENTS);
  for (let i = 0; i < n; i += CHUNK_ELEMENTS) {
    const m = Math.min(CHUNK_ELEMENTS, n - i);
    const values = decodeFloats(
      await source.read(t.file, t.start + i * width, t.start + (i + m) * width),
      t.dtype,
      buf,
    );
    const bytes = encodeFloats(values, dtype);
    const back = decodeFloats(bytes, dtype);
    for (let j = 0; j < values.length; j++) if (!Object.is(back[j], values[j])) return undefined;
    h.update(bytes);
  }
  return h.digest("hex");
}

/** Running sums for one tensor pair (float64 accumulators). */
export interface PairSums {
  n: number;
  sa: number;
  sb: number;
  saa: number;
  sbb: number;
  sab: number;
  /** Control reference z (uniform, unit variance, fixed seed): its sums and its products with a. */
  sz: number;
  szz: number;
  saz: number;
  /** Elements whose difference exceeds the dtype rounding tolerance. */
  differing: number;
  maxAbsDiff: number;
  /** Pairs where either value is NaN or infinite: left out of every statistic (one NaN must not zero a correlation). */
  nonFinite?: number;
}

/** Statistics of one pair or of a pooled set of pairs. */
export interface PairStats {
  elements: number;
  cosine: number;
  pearson: number;
  control: { cosine: number; pearson: number };
  /** True when every element agrees within the rounding of the coarser dtype (exactly, for equal dtypes). */
  valuesEqual: boolean;
  maxAbsDiff: number;
  /** Value pairs left out because either was NaN or infinite. */
  nonFinite: number;
  /** True when either side has no variance over the finite values: no correlation can be computed. */
  degenerate: boolean;
}

/** Fresh zero sums. */
export function emptySums(): PairSums {
  return {
    n: 0,
    sa: 0,
    sb: 0,
    saa: 0,
    sbb: 0,
    sab: 0,
    sz: 0,
    szz: 0,
    saz: 0,
    differing: 0,
    maxAbsDiff: 0,
    nonFinite: 0,
  };
}

const SQRT3 = Math.sqrt(3);

/**
 * Accumulates a chunk of values into `sums`. `tol` is the relative tolerance for the equality check (0: exact).
 * `rand` draws the control reference.
 */
export function accumulate(sums: PairSums, a: Float32Array, b: Float32Array, tol: number, rand: () => number): void {
  let { sa, sb, saa, sbb, sab, sz, szz, saz, differing, maxAbsDiff } = sums;
  let nonFinite = sums.nonFinite ?? 0;
  let counted = 0;
  // Below the F16 normal range rounding is absolute (subnormal spacing 2^-24); with tol 0 equality is exact.
  const absTol = tol > 0 ? 2 ** -24 : 0;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      nonFinite++;
      if (!Object.is(x, y)) differing++;
      continue;
    }
    counted++;
    const z = (2 * rand() - 1) * SQRT3;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
    sz += z;
    szz += z * z;
    saz += x * z;
    const d = Math.abs(x - y);
    if (d > maxAbsDiff) maxAbsDiff = d;
    if (d > tol * Math.max(Math.abs(x), Math.abs(y)) + absTol) differing++;
  }
  sums.n += counted;
  Object.assign(sums, { sa, sb, saa, sbb, sab, sz, szz, saz, differing, maxAbsDiff, nonFinite });
}

function safeDiv(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/**
 * Turns sums into statistics; with several sums, pools them with each tensor centred on its own mean (so tensors with
 * different means never create correlation between unrelated models, the LayerNorm trap).
 */
export function statsOf(list: readonly PairSums[]): PairStats {
  let cov = 0,
    va = 0,
    vb = 0,
    dot = 0,
    na = 0,
    nb = 0,
    covZ = 0,
    vz = 0,
    dotR = 0,
    nr = 0,
    elements = 0,
    differing = 0,
    maxAbsDiff = 0,
    nonFinite = 0;
  for (const s of list) {
    nonFinite += s.nonFinite ?? 0;
    differing += s.n === 0 ? s.differing : 0;
    if (s.n === 0) continue;
    elements += s.n;
    differing += s.differing;
    maxAbsDiff = Math.max(maxAbsDiff, s.maxAbsDiff);
    cov += s.sab - (s.sa * s.sb) / s.n;
    va += Math.max(0, s.saa - (s.sa * s.sa) / s.n);
    vb += Math.max(0, s.sbb - (s.sb * s.sb) / s.n);
    dot += s.sab;
    na += s.saa;
    nb += s.sbb;
    covZ += s.saz - (s.sa * s.sz) / s.n;
    vz += Math.max(0, s.szz - (s.sz * s.sz) / s.n);
    // Control for cosine: reference r = muB + sdB * z.
    const mu = s.sb / s.n;
    const sd = Math.sqrt(Math.max(0, s.sbb / s.n - mu * mu));
    dotR += mu * s.sa + sd * s.saz;
    nr += s.n * mu * mu + 2 * mu * sd * s.sz + sd * sd * s.szz;
  }
  return {
    elements,
    cosine: safeDiv(dot, Math.sqrt(na * nb)),
    pearson: safeDiv(cov, Math.sqrt(va * vb)),
    control: { cosine: safeDiv(dotR, Math.sqrt(na * nr)), pearson: safeDiv(covZ, Math.sqrt(va * vz)) },
    valuesEqual: elements > 0 && differing === 0,
    maxAbsDiff,
    nonFinite,
    degenerate: !(va > 0 && vb > 0),
  };
}

/** Relative tolerance for the equality check between two dtypes: 0 when equal, else the coarser dtype's roundoff. */
export function equalityTolerance(dtypeA: string, dtypeB: string): number {
  if (dtypeA === dtypeB) return 0;
  return Math.max(DTYPE_UNIT_ROUNDOFF[dtypeA] ?? 1, DTYPE_UNIT_ROUNDOFF[dtypeB] ?? 1) * 1.0000001;
}

/**
 * Streams two same-shape tensors (F32/F16/BF16) chunk by chunk and returns their sums. The control draws from a
 * generator seeded by the tensor's relative name, so runs are reproducible.
 * @throws SafetensorsError when a dtype is not comparable or a read fails (truncated file).
 */
export async function compareTensors(
  a: { source: ModelSource; tensor: SourceTensor },
  b: { source: ModelSource; tensor: SourceTensor },
  buffers?: { a: Float32Array; b: Float32Array },
): Promise<PairSums & { sha256: { a: string; b: string } }> {
  const ta = a.tensor;
  const tb = b.tensor;
  const wa = (ta.end - ta.start) / Math.max(1, elementsOf(ta));
  const wb = (tb.end - tb.start) / Math.max(1, elementsOf(tb));
  const n = elementsOf(ta);
  const bufA = buffers?.a ?? new Float32Array(CHUNK_ELEMENTS);
  const bufB = buffers?.b ?? new Float32Array(CHUNK_ELEMENTS);
  const sums = emptySums();
  const rand = mulberry32(seedOf(ta.relative));
  const tol = equalityTolerance(ta.dtype, tb.dtype);
  const ha = createHash("sha256");
  const hb = createHash("sha256");
  for (let i = 0; i < n; i += CHUNK_ELEMENTS) {
    const m = Math.min(CHUNK_ELEMENTS, n - i);
    const [ba, bb] = await Promise.all([
      a.source.read(ta.file, ta.start + i * wa, ta.start + (i + m) * wa),
      b.source.read(tb.file, tb.start + i * wb, tb.start + (i + m) * wb),
    ]);
    ha.update(ba);
    hb.update(bb);
    accumulate(sums, decodeFloats(ba, ta.dtype, bufA), decodeFloats(bb, tb.dtype, bufB), tol, rand);
  }
  return { ...sums, sha256: { a: ha.digest("hex"), b: hb.digest("hex") } };
}

/** Element count of a tensor. */
export function elementsOf(t: { shape: number[] }): number {
  return t.shape.reduce((a, d) => a * d, 1);
}

/** True for tensors that enter similarity statistics: comparable dtype, 2-D or more, at least `minElements`. */
export function isLargeMatrix(t: { shape: number[]; dtype: string }, minElements: number): boolean {
  return COMPARABLE_DTYPES.has(t.dtype) && t.shape.length >= 2 && elementsOf(t) >= minElements;
}
