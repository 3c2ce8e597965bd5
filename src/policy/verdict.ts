/**
 * The one home of severity order, `--fail-on`, finding order and pass/fail. The scan's exit code, `summary.verdict`
 * and every report format (the text and HTML headers, the HTML per-pack table, JUnit failures, SARIF, CycloneDX and
 * SPDX properties, the Markdown title) take their answer from these functions, so no two of them can disagree (under
 * `--baseline` the HTML header once said PASS while its per-pack table said FAIL).
 */
import type { AuditResult, Finding, PolicyRun, Severity } from "../model/types.js";

/** Finding severities, most severe first (SARIF's levels `error`, `warning`, `note`). */
export const SEVERITIES = ["error", "warning", "note"] as const satisfies readonly Severity[];

/** `--fail-on`: the lowest severity that fails the run, or `never`. */
export type FailOn = Severity | "never";

/** The `--fail-on` choices, in the order `--help` lists them. */
export const FAIL_ON_CHOICES = [...SEVERITIES, "never"] as const satisfies readonly FailOn[];

const RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** Negative when `a` is more severe than `b` (a sort comparator: errors first). */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

/** True when `severity` is at or above the `failOn` threshold (`never`: nothing is). */
export function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== "never" && RANK[severity] <= RANK[failOn];
}

/** The stable order of findings for the engine and every reporter: severity (errors first), pack, rule, node, id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    a.pack.localeCompare(b.pack) ||
    a.rule.localeCompare(b.rule) ||
    a.node.localeCompare(b.node) ||
    a.id.localeCompare(b.id)
  );
}

/** A sorted copy of `findings` ({@link compareFindings}). */
export function sortedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/**
 * What a finding does to the run: `fails` it, or does not because it is `waived`, already in the `baseline`, or
 * `below-fail-on`. Reporters that show every finding (JUnit) use this to say why one does not fail.
 */
export type FindingOutcome = "fails" | "waived" | "baseline" | "below-fail-on";

/** The outcome of one finding under `failOn` (waivers first, then the baseline, then the threshold). */
export function findingOutcome(f: Finding, failOn: FailOn): FindingOutcome {
  if (f.waived) return "waived";
  if (f.baseline === "existing") return "baseline";
  return atOrAbove(f.severity, failOn) ? "fails" : "below-fail-on";
}

/** The verdict of a set of findings: `fail` when one of them fails the run, else `pass`. */
export function findingsVerdict(findings: readonly Finding[], failOn: FailOn): "pass" | "fail" {
  return findings.some((f) => findingOutcome(f, failOn) === "fails") ? "fail" : "pass";
}

/** The run's verdict: `no-policy` when no pack was applied, else {@link findingsVerdict} of all findings. */
export function resultVerdict(result: Pick<AuditResult, "findings" | "settings">): "pass" | "fail" | "no-policy" {
  if (result.settings.policies.length === 0) return "no-policy";
  return findingsVerdict(result.findings, result.settings.failOn);
}

/** One pack's verdict: {@link findingsVerdict} of its findings. */
export function packVerdict(
  result: Pick<AuditResult, "findings" | "settings">,
  pack: Pick<PolicyRun, "pack">,
): "pass" | "fail" {
  return findingsVerdict(
    result.findings.filter((f) => f.pack === pack.pack),
    result.settings.failOn,
  );
}
