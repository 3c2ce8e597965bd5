/**
 * Baselines: compare a scan's findings with a previous report's, so CI fails only on what is new.
 * Findings are matched by a fingerprint of the pack, rule, component identity (the lineage node id: file and JSON
 * pointer for components in the tree, the Hub repo or known-component id upstream), the upstream the rule found and
 * the file of the finding's location, without line or column, so moving lines does not make a finding new.
 */
import { readFileSync } from "node:fs";
import { UsageError, ConfigError } from "../errors.js";
import type { Finding } from "../model/types.js";
import { stableId } from "../util/hash.js";

/** Stable fingerprint of a finding: survives line moves and added evidence. */
export function findingFingerprint(f: Pick<Finding, "pack" | "rule" | "node" | "path" | "location">): string {
  return stableId([f.pack, f.rule, f.node, f.path[f.path.length - 1], f.location?.file]);
}

/**
 * Reads the fingerprints of a previous JSON report (`aiprov scan --format json`).
 * @throws UsageError when the file is missing; ConfigError when it is not an aiprov JSON report.
 */
export function loadBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${file}: baseline report not found`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError("invalid baseline:", [
      `${file}: not JSON (${(err as Error).message}); write it with aiprov scan --format json`,
    ]);
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (!Array.isArray(findings) || (data as { tool?: { name?: string } }).tool?.name !== "aiprov") {
    throw new ConfigError("invalid baseline:", [
      `${file}:/findings: not an aiprov JSON report (write it with aiprov scan --format json)`,
    ]);
  }
  const out = new Set<string>();
  findings.forEach((f: Finding) => {
    if (f && typeof f.rule === "string" && Array.isArray(f.path)) out.add(findingFingerprint(f));
  });
  return out;
}

/** Marks each finding `baseline: existing` when its fingerprint is in the baseline, `new` otherwise. */
export function applyBaseline(findings: readonly Finding[], baseline: ReadonlySet<string>): Finding[] {
  return findings.map((f) => ({ ...f, baseline: baseline.has(findingFingerprint(f)) ? "existing" : "new" }));
}
