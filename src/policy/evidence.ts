/** Evidence lists of findings: one entry per code, place and text. */
import type { Evidence } from "../model/types.js";

/** Drops repeated evidence (same code, file, pointer, line and raw text), keeping the first of each. Pure. */
export function dedupeEvidence(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const k = `${e.code}|${e.location.file}|${e.location.pointer ?? ""}|${e.location.line ?? ""}|${e.raw ?? ""}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
