/**
 * Text rendering of `aiprov compare` results: per component, the verdict, then every signal with its numbers and its
 * control, and what each signal does and does not prove. Pure: a function of the {@link ModelComparison}.
 */
import type { ComponentComparison, ModelComparison, SideLayout } from "../fingerprint/compare.js";

const REASONS: Record<string, string> = {
  "all-hashes-equal": "every tensor of A's component is in B with byte-identical contents (SHA-256)",
  "values-equal-up-to-dtype-rounding":
    "every tensor of A's component is in B with equal values up to the rounding of the coarser dtype (re-serialized copy)",
  "pearson-above-derived-threshold":
    "the component's weights correlate far beyond independent initialisation while the control stays at chance",
  "pearson-at-control-level": "the component's weights correlate no more than independently initialised weights do",
  "pearson-between-thresholds":
    "the correlation lies between the calibrated thresholds: neither proven related nor proven unrelated",
  "component-absent": "neither model has tensors of this component",
  "component-absent-in-a": "A has no tensors of this component",
  "component-absent-in-b": "B has no tensors of this component",
  "weights-unreadable-in-a": "A's weight files could not be read (see problems)",
  "weights-unreadable-in-b": "B's weight files could not be read (see problems)",
  "no-same-shape-tensors": "no tensor name of the component has the same shape on both sides",
  "no-large-matrices": "no large matrix (2-D, enough values) to correlate",
  "dtype-not-compared":
    "the weights use dtypes aiprov does not decode (quantized or integer), so only hashes were compared",
  "permuted-copy":
    "the Gram matrices over rows or columns are equal: a copy with reordered neurons or heads (same function)",
  "pearson-after-permutation-alignment":
    "element by element the weights do not correlate, but their Gram matrices over rows or columns, which a reordering of neurons or heads (same function) leaves unchanged, correlate far beyond independent initialisation",
  "permutation-aligned-pearson-between-thresholds":
    "element by element the weights do not correlate; the permutation-invariant (Gram) correlation lies between the thresholds: neither proven related nor unrelated",
  "permutation-not-checked":
    "element by element the weights do not correlate, but no matrix was small enough to test for reordered neurons or heads, so a permuted copy is not ruled out",
};

const VERDICT: Record<ComponentComparison["verdict"], string> = {
  identical: "IDENTICAL",
  derived: "DERIVED",
  "same-architecture-only": "SAME ARCHITECTURE ONLY",
  unrelated: "UNRELATED",
  undetermined: "UNDETERMINED",
};

/** Human-readable byte count (decimal units). */
export function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function side(l: SideLayout | undefined): string {
  if (!l) return "none";
  const dtypes = Object.entries(l.dtypes)
    .map(([d, n]) => `${n} ${d}`)
    .join(", ");
  return `${l.prefixes.map((p) => p || "(root)").join(" ")} ${l.tensors} tensors, ${l.parameters} parameters (${dtypes})`;
}

const f4 = (x: number): string => x.toFixed(4);

function renderComponent(c: ComponentComparison): string[] {
  const lines = [`${c.component}: ${VERDICT[c.verdict]}: ${REASONS[c.reason] ?? c.reason}`];
  lines.push(`  layout      A: ${side(c.a)}`, `              B: ${side(c.b)}`);
  if (c.a && c.b)
    lines.push(
      `              ${c.layout.common} names in common, ${c.layout.sameShape} same shape, ${c.layout.shapeMismatch} shape mismatches, ${c.layout.onlyA} only in A, ${c.layout.onlyB} only in B`,
    );
  if (c.config.a || c.config.b) {
    const eq =
      c.config.architectureEqual === undefined
        ? ""
        : c.config.architectureEqual
          ? " (equal)"
          : c.config.familyEqual
            ? " (differ; same family)"
            : " (differ)";
    lines.push(
      `  config      architecture hash A ${c.config.a?.architectureHash ?? "-"} B ${c.config.b?.architectureHash ?? "-"}${eq}; proves architecture only, never weights`,
    );
  }
  if (c.hashes.compared > 0)
    lines.push(
      `  hashes      ${c.hashes.equal} of ${c.hashes.compared} same-shape tensors byte-identical (SHA-256 of raw bytes)`,
    );
  const s = c.similarity;
  if (s) {
    lines.push(
      `  similarity  ${s.matrices} matrices, ${s.elements} values: Pearson ${f4(s.pearson)} (control ${f4(s.control.pearson)}), cosine ${f4(s.cosine)} (control ${f4(s.control.cosine)})`,
    );
    lines.push(
      `              per-matrix Pearson min ${f4(s.perTensorPearson.min)}, median ${f4(s.perTensorPearson.median)}, max ${f4(s.perTensorPearson.max)}; largest |control| ${f4(s.controlMaxAbsPearson)}`,
    );
    lines.push(
      `              control: the same statistic against an independent reference with B's mean and deviation (fixed seed)`,
    );
  }
  if (c.permutation)
    lines.push(
      `  permuted    ${c.permutation.matrices} matrices, ${c.permutation.elements} values: Gram Pearson ${f4(c.permutation.pearson)} (${c.permutation.axes.join(", ")}: the axis a reordering may have permuted); a reordering of neurons or heads keeps the function, so a low element-wise Pearson alone never proves unrelated`,
    );
  if (c.valuesEqual !== undefined)
    lines.push(`  values      ${c.valuesEqual ? "all compared values equal up to dtype rounding" : "values differ"}`);
  if (c.smallOrOneDimensional > 0)
    lines.push(
      `  1-D/small   ${c.smallOrOneDimensional} tensors (norms, biases, small)${c.smallCosine !== undefined ? `: cosine ${f4(c.smallCosine)}` : ""}; checked for equality only, never for a verdict: norm weights start at 1.0 in every model, so their cosine proves nothing`,
    );
  const nc = Object.entries(c.notCompared);
  if (nc.length > 0)
    lines.push(
      `  not decoded ${nc.map(([d, n]) => `${n} ${d}`).join(", ")} tensors (quantized/integer dtypes are compared by hash only)`,
    );
  return lines;
}

function renderTokenizer(t: NonNullable<ModelComparison["tokenizer"]>): string[] {
  const yn = (v: boolean | undefined): string => (v === undefined ? "n/a" : v ? "equal" : "differ");
  const lines = [`tokenizer: ${t.verdict.toUpperCase()} (proves tokenizer lineage only, never weights)`];
  lines.push(
    `  vocabulary  size A ${t.vocabSize.a ?? "-"} B ${t.vocabSize.b ?? "-"}; hash ${yn(t.vocabHashEqual)}; merges ${yn(t.mergesHashEqual)}${t.jaccard !== undefined ? `; Jaccard ${t.jaccard.toFixed(4)}${t.jaccardExact ? "" : " (MinHash estimate)"}` : ""}`,
  );
  lines.push(
    `  specials    ${t.specialTokensEqual ? "equal" : "differ"} (A ${t.a?.specialTokens.length ?? 0}, B ${t.b?.specialTokens.length ?? 0} special tokens with ids); pre-tokenizer ${yn(t.preTokenizerEqual)}; chat template ${yn(t.chatTemplateEqual)}`,
  );
  return lines;
}

/** Renders a comparison as text. */
export function renderComparisonText(r: ModelComparison): string {
  const out: string[] = [];
  out.push(`A: ${r.a.label} (${r.a.files} weight files, ${formatBytes(r.a.bytes)})`);
  out.push(`B: ${r.b.label} (${r.b.files} weight files, ${formatBytes(r.b.bytes)})`);
  out.push("");
  for (const c of r.components) out.push(...renderComponent(c), "");
  if (r.tokenizer) out.push(...renderTokenizer(r.tokenizer), "");
  out.push(
    `thresholds: derived when pooled Pearson >= ${r.thresholds.derivedMin} with |control| <= ${r.thresholds.unrelatedMax}; unrelated when |Pearson| <= ${r.thresholds.unrelatedMax}; matrices of >= ${r.thresholds.minMatrixElements} values (calibrated: see README)`,
  );
  out.push(
    `bytes read: A ${formatBytes(r.a.bytesRead)} of ${formatBytes(r.a.bytes)}, B ${formatBytes(r.b.bytesRead)} of ${formatBytes(r.b.bytes)}`,
  );
  if (r.problems.length > 0) {
    out.push("problems:");
    for (const p of r.problems) out.push(`  ${p.side.toUpperCase()} ${p.file}: ${p.message}`);
  }
  return `${out.join("\n")}\n`;
}
