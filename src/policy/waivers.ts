/**
 * Waivers: accepted findings. A waiver names a rule and a component (and optionally a path), gives a reason from a
 * closed list, a comment and an owner, and may expire. Modelled on ORT's rule-violation resolutions (a reason from a
 * closed list plus a comment, https://oss-review-toolkit.org/ort/docs/configuration/ort-yml#resolutions) and
 * osv-scanner's `ignoreUntil` (https://google.github.io/osv-scanner/configuration/#ignore-vulnerabilities-by-id).
 *
 * An expired waiver stops applying and is reported; a waiver that matches no finding of an applied pack is reported
 * as stale. Dates are read against the one clock (`src/util/clock.ts`: `--now`, `SOURCE_DATE_EPOCH`).
 */
import { readFileSync } from "node:fs";
import { yaml } from "../util/yaml.js";
import { ConfigError, UsageError } from "../errors.js";
import type { Diagnostic, Finding, LineageNode, PolicyRun } from "../model/types.js";
import { validate } from "../util/schema.js";
import { wildcardMatch } from "../util/glob.js";
import { cutAtAny } from "../util/text.js";

/** Why a finding is accepted (closed list; `schemas/waivers.schema.json`). */
export type WaiverReason =
  | "risk-accepted"
  | "false-positive"
  | "not-applicable"
  | "licence-obtained"
  | "government-waiver"
  | "mitigated"
  | "under-review";

/** All waiver reasons, in a stable order. */
export const WAIVER_REASONS: readonly WaiverReason[] = [
  "risk-accepted",
  "false-positive",
  "not-applicable",
  "licence-obtained",
  "government-waiver",
  "mitigated",
  "under-review",
];

/** One waiver as written. */
export interface Waiver {
  /** `rule-id` or `pack/rule-id`. */
  rule: string;
  /** The component: a lineage node id, a node name or Hub repo (`*` globs, case-insensitive), or a file path. */
  component: string;
  /** Optional `*` glob on the file of the finding's location or of any of its evidence. */
  path?: string;
  reason: WaiverReason;
  comment: string;
  owner: string;
  /** Last day the waiver applies (ISO 8601 date, UTC, inclusive). */
  expires?: string;
}

/** A waiver and where it was written (file and JSON pointer), for diagnostics. */
export interface LoadedWaiver extends Waiver {
  source: { file: string; pointer: string };
}

/** Waivers from a config file's `waivers` list (already schema-validated with the config). */
export function waiversFromConfig(list: readonly Record<string, unknown>[] | undefined, file: string): LoadedWaiver[] {
  return (list ?? []).map((w, i) => ({ ...(w as unknown as Waiver), source: { file, pointer: `/waivers/${i}` } }));
}

/**
 * Loads a separate waivers file (YAML or JSON: `{ waivers: [...] }`), validated by `schemas/waivers.schema.json`.
 * @throws UsageError when the file does not exist; ConfigError listing every problem as `file:path: message`.
 */
export function loadWaiversFile(file: string): LoadedWaiver[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${file}: waivers file not found`);
  }
  const doc = yaml().parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      "invalid waivers file:",
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split("\n")[0]}`),
    );
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new ConfigError("invalid waivers file:", [
      `${file}: ${(err as Error).message.split("\n")[0]} (too many YAML alias expansions)`,
    ]);
  }
  const problems = validate("waivers.schema.json", data, file);
  if (problems.length > 0) throw new ConfigError("invalid waivers file:", problems);
  return waiversFromConfig((data as { waivers?: Record<string, unknown>[] }).waivers, file);
}

/** True when the waiver's expiry date lies before `now` (a waiver applies through the whole of its last day, UTC). */
export function isExpired(w: Waiver, now: Date): boolean {
  if (!w.expires) return false;
  const end = new Date(`${w.expires.slice(0, 10)}T23:59:59.999Z`);
  return end.getTime() < now.getTime();
}

/** Whether a waiver covers a finding (rule, component and optional path all match). */
export function waiverMatches(w: Waiver, f: Finding, node: LineageNode | undefined): boolean {
  const rule = w.rule.includes("/") ? `${f.pack}/${f.rule}` : f.rule;
  if (rule !== w.rule) return false;
  const names = [
    f.node,
    node?.name,
    node?.repo,
    node?.location?.file,
    cutAtAny(f.node.replace(/^local:/, ""), "#"),
  ].filter((x): x is string => !!x);
  if (!names.some((n) => wildcardMatch(w.component, n))) return false;
  if (w.path) {
    const files = [f.location?.file, ...f.evidence.map((e) => e.location.file)].filter((x): x is string => !!x);
    if (!files.some((p) => wildcardMatch(w.path!, p))) return false;
  }
  return true;
}

/**
 * Marks the findings covered by an active waiver as `waived`, and reports expired and stale waivers as diagnostics
 * (`waiver-expired`, `waiver-stale`, both warnings, located at the waiver in its file).
 * A waiver whose rule belongs to no applied pack is neither applied nor called stale.
 */
export function applyWaivers(
  findings: readonly Finding[],
  waivers: readonly LoadedWaiver[],
  nodes: readonly LineageNode[],
  runs: readonly PolicyRun[],
  now: Date,
): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const diagnostics: Diagnostic[] = [];
  const used = new Set<LoadedWaiver>();
  const active = waivers.filter((w) => {
    if (!isExpired(w, now)) return true;
    diagnostics.push({
      code: "waiver-expired",
      severity: "warning",
      message: `waiver for ${w.rule} on ${w.component} (owner ${w.owner}) expired on ${w.expires}; it no longer applies`,
      location: w.source,
    });
    return false;
  });
  const out = findings.map((f) => {
    const w = active.find((x) => waiverMatches(x, f, byId.get(f.node)));
    if (!w) return f;
    used.add(w);
    return {
      ...f,
      waived: { reason: w.reason, comment: w.comment, owner: w.owner, ...(w.expires ? { expires: w.expires } : {}) },
    };
  });
  const applied = new Set(runs.flatMap((r) => r.rules.flatMap((x) => [x.id, `${r.pack}/${x.id}`])));
  const appliedPacks = new Set(runs.map((r) => r.pack));
  for (const w of active) {
    if (used.has(w)) continue;
    // `pack/rule` for an applied pack that has no such rule is a typo: say so rather than ignore the waiver.
    const slash = w.rule.indexOf("/");
    if (!applied.has(w.rule) && slash > 0 && appliedPacks.has(w.rule.slice(0, slash))) {
      diagnostics.push({
        code: "waiver-unknown-rule",
        severity: "warning",
        message: `waiver names rule ${w.rule}, which pack ${w.rule.slice(0, slash)} does not have; it applies to nothing`,
        location: w.source,
      });
      continue;
    }
    if (!applied.has(w.rule)) continue;
    diagnostics.push({
      code: "waiver-stale",
      severity: "warning",
      message: `waiver for ${w.rule} on ${w.component} matches no finding; remove it`,
      location: w.source,
    });
  }
  return { findings: out, diagnostics };
}
