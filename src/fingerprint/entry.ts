/**
 * Fingerprint knowledge entries (`schemas/knowledge-fingerprint.schema.json`): per component, the config signature,
 * the tensor layout with each tensor's SHA-256, and small sketches (one contiguous window of {@link SKETCH_VALUES}
 * values at a name-seeded offset) of up to {@link SKETCH_MATRICES} large matrices. A scan matches a local model
 * against an entry by reading only the sketched windows (a few kilobytes), and hashes the component only when the
 * sketches already correlate.
 */
import { COMPARABLE_DTYPES, decodeFloats } from "../formats/safetensors.js";
import { COMPONENT_KINDS, type ComponentKind } from "./components.js";
import { configSignature } from "./config-signature.js";
import {
  accumulate,
  elementsOf,
  emptySums,
  equalityTolerance,
  hashTensorAs,
  hashTensors,
  isLargeMatrix,
  statsOf,
  type PairStats,
  type PairSums,
} from "./content.js";
import { mulberry32, seedOf } from "./prng.js";
import type { ModelSource, SourceTensor } from "./source.js";
import { standalone } from "./compare.js";
import {
  DERIVED_MIN,
  MIN_MATRIX_ELEMENTS,
  MIN_POOLED_ELEMENTS,
  SKETCH_MATRICES,
  SKETCH_VALUES,
  UNRELATED_MAX,
} from "./thresholds.js";
import type { TokenizerSignature } from "./tokenizer-signature.js";

/** Version of the fingerprint entry format. */
export const FINGERPRINT_SCHEMA_VERSION = 1;

export type { FingerprintEntry } from "../model/fingerprint-entry.js";
import type { EntryComponent, EntrySketch, FingerprintEntry } from "../model/fingerprint-entry.js";

/** Offset of the sketch window of a matrix of `n` elements: seeded by its relative name, reproducible. */
export function sketchOffset(relative: string, n: number): number {
  return n <= SKETCH_VALUES ? 0 : Math.floor(mulberry32(seedOf(relative))() * (n - SKETCH_VALUES + 1));
}

function evenlySpaced<T>(xs: readonly T[], k: number): T[] {
  if (xs.length <= k) return [...xs];
  return Array.from({ length: k }, (_, i) => xs[Math.floor((i * xs.length) / k)]!);
}

async function readWindow(source: ModelSource, t: SourceTensor, offset: number, count: number): Promise<Float32Array> {
  const width = (t.end - t.start) / elementsOf(t);
  const bytes = await source.read(t.file, t.start + offset * width, t.start + (offset + count) * width);
  return decodeFloats(bytes, t.dtype);
}

/**
 * Builds an entry from a source: hashes every tensor of the chosen components (streaming) and sketches their large
 * matrices.
 */
export async function createFingerprint(
  source: ModelSource,
  opts: {
    id: string;
    name?: string;
    repo?: string;
    revision?: string;
    components?: ComponentKind[];
    knownComponents?: Partial<Record<ComponentKind, string>>;
    tokenizer?: TokenizerSignature;
    createdWith: string;
  },
): Promise<FingerprintEntry> {
  const components: EntryComponent[] = [];
  for (const kind of opts.components ?? COMPONENT_KINDS) {
    const ts = source.tensors.filter((t) => t.kind === kind).sort((p, q) => p.relative.localeCompare(q.relative));
    if (ts.length === 0) continue;
    const hashes = await hashTensors(source, ts);
    const sketches: EntrySketch[] = [];
    for (const t of evenlySpaced(
      ts.filter((t) => isLargeMatrix(t, MIN_MATRIX_ELEMENTS)),
      SKETCH_MATRICES,
    )) {
      const offset = sketchOffset(t.relative, elementsOf(t));
      const vals = await readWindow(source, t, offset, Math.min(SKETCH_VALUES, elementsOf(t)));
      sketches.push({ name: t.relative, offset, values: Array.from(vals, (v) => Number(v.toPrecision(9))) });
    }
    const config = configSignature(source.config, kind);
    components.push({
      component: kind,
      ...(opts.knownComponents?.[kind] ? { knownComponent: opts.knownComponents[kind] } : {}),
      prefixes: [...new Set(ts.map((t) => t.prefix))].sort(),
      parameters: ts.reduce((a, t) => a + elementsOf(t), 0),
      bytes: ts.reduce((a, t) => a + t.end - t.start, 0),
      ...(config ? { config } : {}),
      tensors: ts.map((t) => ({ name: t.relative, dtype: t.dtype, shape: t.shape, sha256: hashes.get(t.name)! })),
      sketches,
    });
  }
  return {
    schemaVersion: FINGERPRINT_SCHEMA_VERSION,
    id: opts.id,
    name: opts.name ?? opts.id,
    source: {
      ...(opts.repo ? { repo: opts.repo } : {}),
      ...(opts.revision ? { revision: opts.revision } : {}),
      ...(!opts.repo ? { folder: source.label } : {}),
    },
    createdWith: opts.createdWith,
    components,
    ...(opts.tokenizer ? { tokenizer: opts.tokenizer } : {}),
  };
}

/** How a source's component matches an entry's component. */
export interface FingerprintMatch {
  entry: FingerprintEntry;
  component: ComponentKind;
  /**
   * `weight-identical` when every entry tensor is present with equal bytes (or equal values re-serialised in another
   * dtype, losslessly); `weight-similar` when sketches correlate; `inconclusive` (only with `opts.inconclusive`) when
   * the sketches' correlation lies between the calibrated thresholds: neither related nor unrelated.
   */
  strength: "weight-identical" | "weight-similar" | "inconclusive";
  sketch: PairStats & { matrices: number };
  hashes?: { compared: number; equal: number; entryTensors: number; reencoded?: number };
}

/**
 * Matches one source against one entry, component by component. Reads only the sketched windows; when they
 * correlate and `hash` is set, also hashes the component's tensors named by the entry.
 * @returns the matching components (empty when nothing matches or nothing could be compared).
 */
export async function matchFingerprint(
  source: ModelSource,
  entry: FingerprintEntry,
  opts: { hash?: boolean; inconclusive?: boolean } = {},
): Promise<FingerprintMatch[]> {
  const out: FingerprintMatch[] = [];
  for (const ec of entry.components) {
    let mine = source.tensors.filter((t) => t.kind === ec.component);
    if (mine.length === 0)
      mine = standalone(
        source,
        ec.tensors.map((t) => ({ relative: t.name })),
      );
    const local = new Map(mine.map((t) => [t.relative, t]));
    if (local.size === 0) continue;
    const shapes = new Map(ec.tensors.map((t) => [t.name, t]));
    const sums: PairSums[] = [];
    for (const s of ec.sketches) {
      const t = local.get(s.name);
      const et = shapes.get(s.name);
      if (
        !t ||
        !et ||
        !COMPARABLE_DTYPES.has(t.dtype) ||
        t.shape.length !== et.shape.length ||
        !t.shape.every((d, i) => d === et.shape[i])
      )
        continue;
      if (s.offset + s.values.length > elementsOf(t)) continue;
      const mine = await readWindow(source, t, s.offset, s.values.length);
      const sum = emptySums();
      // Argument order: entry first (A), local second (B), so the control is drawn with the local tensor's moments.
      accumulate(
        sum,
        Float32Array.from(s.values),
        mine,
        equalityTolerance(et.dtype, t.dtype),
        mulberry32(seedOf(s.name)),
      );
      sums.push(sum);
    }
    if (sums.length === 0) continue;
    const st = statsOf(sums);
    if (st.elements < MIN_POOLED_ELEMENTS && !st.valuesEqual) continue;
    const correlated = st.pearson >= DERIVED_MIN && Math.abs(st.control.pearson) <= UNRELATED_MAX;
    // Equal values count only when they vary (two all-zero windows are equal and prove nothing).
    if (!correlated && !(st.valuesEqual && st.pearson > 0.999)) {
      // Between the thresholds (or with a control that is not at chance) the data settles nothing either way.
      const unrelated = Math.abs(st.pearson) <= UNRELATED_MAX && !st.degenerate;
      if (opts.inconclusive && st.elements >= MIN_POOLED_ELEMENTS && !unrelated)
        out.push({
          entry,
          component: ec.component,
          strength: "inconclusive",
          sketch: { ...st, matrices: sums.length },
        });
      continue;
    }
    let strength: FingerprintMatch["strength"] = "weight-similar";
    let hashes: FingerprintMatch["hashes"];
    if (opts.hash) {
      const named = ec.tensors.map((t) => local.get(t.name)).filter((t): t is SourceTensor => t !== undefined);
      const got = await hashTensors(source, named);
      let equal = 0;
      let reencoded = 0;
      for (const t of named) {
        const want = shapes.get(t.relative)!;
        if (got.get(t.name) === want.sha256) equal++;
        // A copy re-serialised in a wider dtype (BF16 -> F32) is identical when its values re-encode to the bytes.
        else if (
          t.dtype === "F32" &&
          (want.dtype === "BF16" || want.dtype === "F16") &&
          (await hashTensorAs(source, t, want.dtype)) === want.sha256
        ) {
          equal++;
          reencoded++;
        }
      }
      hashes = { compared: named.length, equal, entryTensors: ec.tensors.length, ...(reencoded ? { reencoded } : {}) };
      if (equal === ec.tensors.length) strength = "weight-identical";
    }
    out.push({
      entry,
      component: ec.component,
      strength,
      sketch: { ...st, matrices: sums.length },
      ...(hashes ? { hashes } : {}),
    });
  }
  return out;
}
