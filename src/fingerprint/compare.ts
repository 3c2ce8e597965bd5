/**
 * Compares two models component by component: config signatures, tensor layout, per-tensor SHA-256, and pooled
 * similarity over the component's large matrices with a control, then a verdict per component:
 *
 * - `identical`: every tensor of A's component is in B with equal bytes, or equal values up to dtype rounding;
 * - `derived`: pooled Pearson >= {@link DERIVED_MIN} while the control stays within {@link UNRELATED_MAX};
 * - `derived` also when the element-wise Pearson is low but the permutation-invariant one (`./permutation.ts`: Gram
 *   matrices over the permuted axis, unchanged by a reordering of neurons or heads) reaches {@link DERIVED_MIN};
 * - `unrelated`: |pooled Pearson| <= {@link UNRELATED_MAX} over at least {@link MIN_POOLED_ELEMENTS} values, and the
 *   permutation-invariant Pearson of at least one matrix pair stays within {@link UNRELATED_MAX} as well (when no matrix
 *   could be aligned, the verdict is `undetermined`: a permuted copy cannot be ruled out);
 * - `same-architecture-only`: config architecture hashes are equal but no weights could be compared;
 * - `undetermined`: anything else (component missing, no same-shape tensors, quantized only, read errors, or a
 *   Pearson between the two thresholds).
 * 1-D tensors (norms, biases) are hashed and checked for equality but never drive similarity: LayerNorm weights all
 * start at 1.0, so their cosine between unrelated models is about 1.
 */
import { COMPARABLE_DTYPES, SafetensorsError } from "../formats/safetensors.js";
import { COMPONENT_KINDS, type ComponentKind } from "./components.js";
import { configSignature, type ConfigSignature } from "./config-signature.js";
import {
  CHUNK_ELEMENTS,
  compareTensors,
  elementsOf,
  hashTensors,
  isLargeMatrix,
  statsOf,
  type PairStats,
  type PairSums,
} from "./content.js";
import type { ModelSource, SourceProblem, SourceTensor } from "./source.js";
import { compareTokenizers, type TokenizerComparison, type TokenizerSignature } from "./tokenizer-signature.js";
import { sourceTokenizer } from "./tokenizer-source.js";
import { DERIVED_MIN, MIN_MATRIX_ELEMENTS, MIN_POOLED_ELEMENTS, UNRELATED_MAX } from "./thresholds.js";
import { gramPair, PERMUTATION_MATRICES, PERMUTATION_MAX_ELEMENTS } from "./permutation.js";

/** A verdict for one component. */
export type Verdict = "identical" | "derived" | "same-architecture-only" | "unrelated" | "undetermined";

/** Which component(s) to compare. */
export type ComponentSelector = "vision" | "audio" | "text" | "all";

/** Layout facts of one side of a component. */
export interface SideLayout {
  prefixes: string[];
  tensors: number;
  parameters: number;
  bytes: number;
  dtypes: Record<string, number>;
}

/** Everything compared for one component. */
export interface ComponentComparison {
  component: ComponentKind;
  verdict: Verdict;
  /** Machine code for the verdict's reason (reporters turn it into words). */
  reason: string;
  a?: SideLayout;
  b?: SideLayout;
  config: { a?: ConfigSignature; b?: ConfigSignature; architectureEqual?: boolean; familyEqual?: boolean };
  layout: { common: number; sameShape: number; onlyA: number; onlyB: number; shapeMismatch: number };
  hashes: { compared: number; equal: number };
  /** Pooled statistics over the large matrices (2-D+, >= MIN_MATRIX_ELEMENTS), with the control. */
  similarity?: PairStats & {
    matrices: number;
    perTensorPearson: { min: number; median: number; max: number };
    controlMaxAbsPearson: number;
  };
  /** True when every compared tensor (1-D included) has equal values up to dtype rounding. */
  valuesEqual?: boolean;
  /** Same-shape tensors skipped because a dtype is not decoded (quantized or integer), by dtype. */
  notCompared: Record<string, number>;
  /** Tensors that are 1-D or small: hashed, not used for similarity. */
  smallOrOneDimensional: number;
  /** Pooled cosine over those 1-D/small tensors, shown to make the trap visible (never used for a verdict). */
  smallCosine?: number;
  /**
   * Pearson of the Gram matrices over rows or columns (unchanged by a reordering of neurons or heads), pooled over up to
   * {@link PERMUTATION_MATRICES} matrices; absent when the element-wise statistics already decided or no matrix fits.
   */
  permutation?: { pearson: number; matrices: number; elements: number; axes: string[] };
}

/** The result of {@link compareModels}. */
export interface ModelComparison {
  a: { label: string; files: number; bytes: number; bytesRead: number };
  b: { label: string; files: number; bytes: number; bytesRead: number };
  components: ComponentComparison[];
  /** Tokenizer signals (proves tokenizer lineage, never weights); absent when neither side has tokenizer files. */
  tokenizer?: TokenizerComparison & { a?: TokenizerSignature; b?: TokenizerSignature };
  thresholds: { derivedMin: number; unrelatedMax: number; minMatrixElements: number; minPooledElements: number };
  problems: (SourceProblem & { side: "a" | "b" })[];
}

function layoutOf(tensors: readonly SourceTensor[]): SideLayout {
  const dtypes: Record<string, number> = {};
  for (const t of tensors) dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
  return {
    prefixes: [...new Set(tensors.map((t) => t.prefix))].sort(),
    tensors: tensors.length,
    parameters: tensors.reduce((a, t) => a + elementsOf(t), 0),
    bytes: tensors.reduce((a, t) => a + (t.end - t.start), 0),
    dtypes,
  };
}

/** The tensors of `source` when it is a standalone copy of a component whose tensors are `other`, else none. */
export function standalone(source: ModelSource, other: readonly { relative: string }[]): SourceTensor[] {
  const mine = new Map<string, SourceTensor>();
  for (const t of source.tensors) mine.set(t.name, t);
  const hits = other.filter((o) => mine.has(o.relative)).length;
  if (hits === 0 || hits < other.length / 2) return [];
  return source.tensors.map((t) => ({ ...t, prefix: "", relative: t.name }));
}

function kindsFor(selector: ComponentSelector): ComponentKind[] {
  return selector === "all" ? [...COMPONENT_KINDS] : [selector];
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The component's tensors on both sides; a standalone checkpoint of the component (no prefix) is taken whole. */
function componentTensors(a: ModelSource, b: ModelSource, kind: ComponentKind): [SourceTensor[], SourceTensor[]] {
  let ta = a.tensors.filter((t) => t.kind === kind);
  let tb = b.tensors.filter((t) => t.kind === kind);
  // A standalone checkpoint of the component (a vision tower saved on its own, names without a prefix) is the
  // component: take it whole when most of the other side's component names appear in it.
  if (ta.length === 0 && tb.length > 0) ta = standalone(a, tb);
  else if (tb.length === 0 && ta.length > 0) tb = standalone(b, ta);
  return [ta, tb];
}

function configComparison(a: ModelSource, b: ModelSource, kind: ComponentKind): ComponentComparison["config"] {
  const ca = configSignature(a.config, kind);
  const cb = configSignature(b.config, kind);
  return {
    ...(ca ? { a: ca } : {}),
    ...(cb ? { b: cb } : {}),
    ...(ca && cb
      ? { architectureEqual: ca.architectureHash === cb.architectureHash, familyEqual: ca.familyHash === cb.familyHash }
      : {}),
  };
}

type TensorPair = [SourceTensor, SourceTensor];

/** Pairs A's tensors with B's of the same name inside the component; same-shape pairs are returned, the rest counted. */
function pairByName(
  ta: readonly SourceTensor[],
  tb: readonly SourceTensor[],
): { pairs: TensorPair[]; layout: ComponentComparison["layout"] } {
  const byRelB = new Map(tb.map((t) => [t.relative, t]));
  const pairs: TensorPair[] = [];
  let common = 0;
  let shapeMismatch = 0;
  for (const x of ta) {
    const y = byRelB.get(x.relative);
    if (!y) continue;
    common++;
    if (x.shape.length === y.shape.length && x.shape.every((d, i) => d === y.shape[i])) pairs.push([x, y]);
    else shapeMismatch++;
  }
  return {
    pairs,
    layout: { common, sameShape: pairs.length, onlyA: ta.length - common, onlyB: tb.length - common, shapeMismatch },
  };
}

const comparable = ([x, y]: TensorPair): boolean => COMPARABLE_DTYPES.has(x.dtype) && COMPARABLE_DTYPES.has(y.dtype);

/** What one read of every pair measured. */
interface Measurements {
  /** Sums over large matrices (drive similarity) and over 1-D/small tensors (shown, never decide). */
  large: PairSums[];
  small: PairSums[];
  /** Pearson and |control Pearson| of each large matrix. */
  perTensor: number[];
  controls: number[];
  /** Pairs whose dtype is not decoded (compared by hash only). */
  uncomparable: TensorPair[];
  /** Every compared pair equal (bytes for the uncomparable, values up to dtype rounding for the rest). */
  allEqual: boolean;
  comparedValues: number;
}

/**
 * Reads every pair once, in bounded chunks (the same bytes feed SHA-256 and the statistics); counts hashes, dtypes not
 * decoded and small tensors into `base`.
 * @throws SafetensorsError when a tensor cannot be read.
 */
async function measure(
  a: ModelSource,
  b: ModelSource,
  pairs: readonly TensorPair[],
  base: ComponentComparison,
): Promise<Measurements> {
  const buffers = { a: new Float32Array(CHUNK_ELEMENTS), b: new Float32Array(CHUNK_ELEMENTS) };
  const m: Measurements = {
    large: [],
    small: [],
    perTensor: [],
    controls: [],
    uncomparable: pairs.filter((p) => !comparable(p)),
    allEqual: true,
    comparedValues: 0,
  };
  const ha = await hashTensors(
    a,
    m.uncomparable.map((p) => p[0]),
  );
  const hb = await hashTensors(
    b,
    m.uncomparable.map((p) => p[1]),
  );
  for (const [x, y] of m.uncomparable) {
    const key = COMPARABLE_DTYPES.has(x.dtype) ? y.dtype : x.dtype;
    base.notCompared[key] = (base.notCompared[key] ?? 0) + 1;
    if (ha.get(x.name) === hb.get(y.name)) base.hashes.equal++;
    else m.allEqual = false;
  }
  for (const [x, y] of pairs.filter(comparable)) {
    const big = isLargeMatrix(x, MIN_MATRIX_ELEMENTS);
    const sums = await compareTensors({ source: a, tensor: x }, { source: b, tensor: y }, buffers);
    if (sums.sha256.a === sums.sha256.b) base.hashes.equal++;
    m.comparedValues++;
    if (sums.differing > 0) m.allEqual = false;
    if (!big) {
      base.smallOrOneDimensional++;
      m.small.push(sums);
      continue;
    }
    m.large.push(sums);
    const st = statsOf([sums]);
    m.perTensor.push(st.pearson);
    m.controls.push(Math.abs(st.control.pearson));
  }
  base.hashes.compared = pairs.length;
  return m;
}

/** Adds the pooled statistics of the measurements to `base`. */
function summarise(base: ComponentComparison, m: Measurements): void {
  if (m.large.length > 0) {
    const pooled = statsOf(m.large);
    const perTensorPearson = {
      min: m.perTensor.reduce((p, q) => Math.min(p, q), Infinity),
      median: median(m.perTensor),
      max: m.perTensor.reduce((p, q) => Math.max(p, q), -Infinity),
    };
    base.similarity = {
      ...pooled,
      matrices: m.large.length,
      perTensorPearson,
      controlMaxAbsPearson: m.controls.reduce((p, q) => Math.max(p, q), 0),
    };
  }
  base.valuesEqual = m.comparedValues > 0 && m.allEqual;
  if (m.small.length > 0) base.smallCosine = statsOf(m.small).cosine;
}

type Decided = Pick<ComponentComparison, "verdict" | "reason">;

/**
 * The verdict the element-wise measurements support (`base` summarised): identical by hashes or values, derived by
 * pooled Pearson, undetermined for too little or degenerate data; `check-permutation` when the weights do not
 * correlate element-wise, which a copy with reordered neurons or heads also shows.
 */
export function elementwiseVerdict(
  base: ComponentComparison,
  m: Pick<Measurements, "large" | "uncomparable">,
  pairCount: number,
): Decided | "check-permutation" {
  const everyTensorOfA = base.layout.onlyA === 0 && base.layout.shapeMismatch === 0;
  const notDecoded = Object.keys(base.notCompared).length > 0;
  const noWeights = (reason: string): Decided => ({
    verdict: base.config.architectureEqual ? "same-architecture-only" : "undetermined",
    reason,
  });
  // Equal 1-D tensors alone (all-ones norms, zero biases) prove nothing: identity needs a large matrix.
  const substantive =
    m.large.length > 0 || m.uncomparable.some(([x]) => x.shape.length >= 2 && elementsOf(x) >= MIN_MATRIX_ELEMENTS);
  if (!substantive) return noWeights("no-large-matrices");
  if (base.hashes.equal === pairCount && everyTensorOfA) return { verdict: "identical", reason: "all-hashes-equal" };
  if (base.valuesEqual && everyTensorOfA && !notDecoded)
    return { verdict: "identical", reason: "values-equal-up-to-dtype-rounding" };
  const sim = base.similarity;
  if (!sim || sim.elements < MIN_POOLED_ELEMENTS)
    return noWeights(notDecoded ? "dtype-not-compared" : "no-large-matrices");
  // A side with no variance (constant, or nothing finite) has no correlation: that is no evidence either way.
  if (sim.degenerate) return { verdict: "undetermined", reason: "no-variance" };
  if (sim.pearson >= DERIVED_MIN && Math.abs(sim.control.pearson) <= UNRELATED_MAX)
    return { verdict: "derived", reason: "pearson-above-derived-threshold" };
  return "check-permutation";
}

/**
 * The verdict after aligning up to {@link PERMUTATION_MATRICES} of the smallest large matrices by their Gram
 * matrices: derived (a permuted copy or fine-tune), unrelated only when both the element-wise and the aligned Pearson
 * stay at the control's level, else undetermined. Sets `base.permutation`.
 */
async function permutationVerdict(
  a: ModelSource,
  b: ModelSource,
  pairs: readonly TensorPair[],
  base: ComponentComparison,
  elementwisePearson: number,
): Promise<Decided> {
  const atControl = Math.abs(elementwisePearson) <= UNRELATED_MAX;
  const candidates = pairs
    .filter(
      ([x, y]) =>
        isLargeMatrix(x, MIN_MATRIX_ELEMENTS) &&
        COMPARABLE_DTYPES.has(y.dtype) &&
        elementsOf(x) <= PERMUTATION_MAX_ELEMENTS,
    )
    .sort((p, q) => elementsOf(p[0]) - elementsOf(q[0]) || p[0].relative.localeCompare(q[0].relative))
    .slice(0, PERMUTATION_MATRICES);
  const aligned = [];
  for (const [x, y] of candidates) aligned.push(await gramPair({ source: a, tensor: x }, { source: b, tensor: y }));
  if (aligned.length === 0)
    return { verdict: "undetermined", reason: atControl ? "permutation-not-checked" : "pearson-between-thresholds" };
  const st = statsOf(aligned.map((p) => p.sums));
  base.permutation = {
    pearson: st.pearson,
    matrices: aligned.length,
    elements: st.elements,
    axes: aligned.map((p) => `${p.tensor}:${p.axis}`),
  };
  if (st.pearson >= DERIVED_MIN && Math.abs(st.control.pearson) <= UNRELATED_MAX)
    return {
      verdict: "derived",
      reason: st.pearson > 0.9999 ? "permuted-copy" : "pearson-after-permutation-alignment",
    };
  if (atControl && Math.abs(st.pearson) <= UNRELATED_MAX)
    return { verdict: "unrelated", reason: "pearson-at-control-level" };
  return {
    verdict: "undetermined",
    reason: atControl ? "permutation-aligned-pearson-between-thresholds" : "pearson-between-thresholds",
  };
}

/**
 * Compares one component of two sources: pairs the tensors by name, reads every pair once (SHA-256 and statistics
 * from the same bytes), then decides element-wise and, when the weights do not correlate, after permutation
 * alignment. Reads nothing outside the component; a read error makes the verdict undetermined (`read-error: ...`).
 */
export async function compareComponent(
  a: ModelSource,
  b: ModelSource,
  kind: ComponentKind,
): Promise<ComponentComparison> {
  const [ta, tb] = componentTensors(a, b, kind);
  const config = configComparison(a, b, kind);
  const { pairs, layout } = pairByName(ta, tb);
  const base: ComponentComparison = {
    component: kind,
    verdict: "undetermined",
    reason: "",
    ...(ta.length ? { a: layoutOf(ta) } : {}),
    ...(tb.length ? { b: layoutOf(tb) } : {}),
    config,
    layout,
    hashes: { compared: 0, equal: 0 },
    notCompared: {},
    smallOrOneDimensional: 0,
  };
  const noWeights = (reason: string): ComponentComparison => ({
    ...base,
    verdict: config.architectureEqual ? "same-architecture-only" : "undetermined",
    reason,
  });
  if (ta.length === 0 && tb.length === 0) return noWeights("component-absent");
  if (ta.length === 0) return noWeights(a.problems.length > 0 ? "weights-unreadable-in-a" : "component-absent-in-a");
  if (tb.length === 0) return noWeights(b.problems.length > 0 ? "weights-unreadable-in-b" : "component-absent-in-b");
  if (pairs.length === 0) return noWeights("no-same-shape-tensors");
  try {
    const m = await measure(a, b, pairs, base);
    summarise(base, m);
    const decided = elementwiseVerdict(base, m, pairs.length);
    if (decided !== "check-permutation") return { ...base, ...decided };
    // permutationVerdict adds base.permutation: read base after it.
    const aligned = await permutationVerdict(a, b, pairs, base, base.similarity!.pearson);
    return { ...base, ...aligned };
  } catch (err) {
    if (!(err instanceof SafetensorsError)) throw err;
    return { ...base, verdict: "undetermined", reason: `read-error: ${err.message}` };
  }
}

/** Compares the selected components of two opened sources. */
export async function compareModels(
  a: ModelSource,
  b: ModelSource,
  selector: ComponentSelector = "all",
): Promise<ModelComparison> {
  const components: ComponentComparison[] = [];
  for (const kind of kindsFor(selector)) {
    const c = await compareComponent(a, b, kind);
    // With `all`, kinds absent on both sides are noise.
    if (selector === "all" && c.reason === "component-absent" && !c.config.a && !c.config.b) continue;
    components.push(c);
  }
  const ta = await sourceTokenizer(a);
  const tb = await sourceTokenizer(b);
  const problems: ModelComparison["problems"] = [
    ...a.problems.map((p) => ({ ...p, side: "a" as const })),
    ...b.problems.map((p) => ({ ...p, side: "b" as const })),
  ];
  if (ta.problem) problems.push({ side: "a", file: "tokenizer.json", message: ta.problem });
  if (tb.problem) problems.push({ side: "b", file: "tokenizer.json", message: tb.problem });
  const tokenizer =
    ta.signature || tb.signature
      ? {
          ...compareTokenizers(ta.signature, tb.signature, {
            ...(ta.vocabulary ? { a: ta.vocabulary } : {}),
            ...(tb.vocabulary ? { b: tb.vocabulary } : {}),
          }),
          ...(ta.signature ? { a: ta.signature } : {}),
          ...(tb.signature ? { b: tb.signature } : {}),
        }
      : undefined;
  return {
    a: { label: a.label, files: a.files.length, bytes: a.totalBytes(), bytesRead: a.bytesRead() },
    b: { label: b.label, files: b.files.length, bytes: b.totalBytes(), bytesRead: b.bytesRead() },
    components,
    ...(tokenizer ? { tokenizer } : {}),
    thresholds: {
      derivedMin: DERIVED_MIN,
      unrelatedMax: UNRELATED_MAX,
      minMatrixElements: MIN_MATRIX_ELEMENTS,
      minPooledElements: MIN_POOLED_ELEMENTS,
    },
    problems,
  };
}
