/**
 * The terminal report: inventory grouped by component with its lineage tree, findings with their evidence chain,
 * coverage and diagnostics. A pure function of the result (colour is decided by the caller: none when stdout is not
 * a TTY or `NO_COLOR` is set, https://no-color.org).
 */
import { Chalk } from "chalk";
import { printableDeep } from "../util/redact.js";
import type { AuditResult, Evidence, LineageEdge, LineageNode, SourceLocation, WeightComparison } from "../model/types.js";
import { STATUS_LABEL } from "./common.js";
import { resultVerdict } from "../policy/verdict.js";

/** Options of {@link renderText}. */
export interface TextOptions {
  color: boolean;
}

/** `file:line:column` (or the Hub repo@revision:file) of a location. */
export function formatLocation(l: SourceLocation): string {
  if (l.hub) return `${l.hub.repo}${l.hub.revision ? `@${l.hub.revision.slice(0, 12)}` : ""}:${l.file}`;
  return `${l.file}${l.line ? `:${l.line}${l.column ? `:${l.column}` : ""}` : ""}`;
}

/** One-line description of a node: name, role, publisher and country, licence. */
export function describeNode(n: LineageNode): string {
  const bits: string[] = [n.role];
  if (n.publisher) bits.push(`${n.publisher.entity}, ${n.publisher.country}`);
  if (n.license) bits.push(`licence ${n.license}`);
  if (n.revision) bits.push(`@${n.revision.slice(0, 12)}`);
  return `${n.name} (${bits.join("; ")})`;
}


/** Human text for a status reason code. */
export function reasonText(r: LineageNode["statusReason"]): string {
  if (!r) return "";
  const a = r.args ?? {};
  switch (r.code) {
    case "manifest-unparsable":
      return `its manifest ${String(a.file)} could not be parsed`;
    case "checkpoint-signature-match":
      if (Array.isArray(a.compare) && a.compare.length > 0) return `its configuration equals ${String(a.known)}'s; weights not compared with ${[a.upstreams].flat().join(", ")} (${[a.weights].flat().join(", ")}); compare them with: ${a.compare.join(" ; ")}`;
      return `its configuration equals ${String(a.known)}'s; weights not compared`;
    case "unresolved-reference":
      return `reference ${JSON.stringify(a.raw)} not resolved (${String(a.reason)})`;
    case "repackager-origin-unresolved":
      return `${String(a.org)} is a re-packager; its upstream origin was not resolved`;
    case "manifest-not-read":
      return `its manifest ${String(a.file)} was not read (${String(a.reason)})`;
    case "part-third-party":
      return `its part(s) ${[a.parts].flat().join(", ")} have a third-party origin`;
    case "part-undetermined":
      return `the origin of its part(s) ${[a.parts].flat().join(", ")} is undetermined`;
    case "lineage-not-looked-up":
      return "its own lineage was not looked up (offline)";
    case "hosted-model":
      return `reached over ${String(a.provider)}'s API (no weights in the product)`;
    default:
      return [r.code, ...Object.entries(a).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`)].join(" ");
  }
}

function evidenceLine(e: Evidence): string {
  const raw = e.raw ? ` ${JSON.stringify(e.raw.length > 120 ? `${e.raw.slice(0, 117)}...` : e.raw)}` : "";
  const ptr = e.location.pointer ? ` ${e.location.pointer}` : "";
  return `${e.strength} ${e.code} at ${formatLocation(e.location)}${ptr}${raw}`;
}

const OUTCOME_LABEL: Record<WeightComparison["outcome"], string> = { identical: "IDENTICAL (weight-identical)", derived: "DERIVED (weight-similar)", "not-derived": "NOT DERIVED", undetermined: "UNDETERMINED" };

/** The lines of one automatic weight comparison: outcome, statistic with its control, bytes read, the command. */
function weightComparisonLines(w: WeightComparison, name: string, c: InstanceType<typeof Chalk>): string[] {
  const label = OUTCOME_LABEL[w.outcome];
  const coloured = w.outcome === "not-derived" ? c.green(label) : w.outcome === "undetermined" ? c.yellow(label) : c.red(label);
  const up = `${w.upstream.repo}${w.upstream.revision ? `@${w.upstream.revision.slice(0, 12)}` : ""}`;
  const out = [`  ${name} (${w.part}) vs ${up}: ${coloured} ${c.dim(`[${w.reason}${w.phase ? `, ${w.phase === "sketch" ? "sketch windows" : "whole component"}` : ""}]`)}`];
  if (w.statistic) out.push(`    pooled Pearson ${w.statistic.value.toFixed(4)}, control ${w.statistic.control.toFixed(4)} (${w.statistic.matrices} matrices, ${w.statistic.elements} values; derived >= ${w.statistic.derivedMin}, unrelated <= ${w.statistic.unrelatedMax})`);
  if (w.layout && (w.reason === "layout-mismatch" || w.layout.paired === 0)) out.push(`    layout: ${w.layout.paired} large matrices paired by name; local ${w.layout.localTensors} tensors under ${w.layout.localPrefixes.map((p) => JSON.stringify(p)).join(", ") || "none"}, upstream ${w.layout.upstreamTensors} under ${w.layout.upstreamPrefixes.map((p) => JSON.stringify(p)).join(", ") || "none"}`);
  const share = w.upstreamBytes ? ` (${((100 * w.bytesRead.remote) / w.upstreamBytes).toFixed(2)}% of the ${w.upstreamBytes}-byte upstream component)` : "";
  out.push(w.cached ? `    bytes read: 0 (cached result; the first comparison read ${w.firstBytesRead?.remote ?? 0} bytes from the Hub and ${w.firstBytesRead?.local ?? 0} locally)` : `    bytes read: ${w.bytesRead.remote} from the Hub${share}, ${w.bytesRead.local} locally`);
  if (w.outcome === "undetermined") out.push(`    compare by hand: ${w.command}`);
  return out;
}

/** Renders the result as terminal text. */
export function renderText(input: AuditResult, options: TextOptions): string {
  // Names and paths come from the scanned repository: escape control characters before they reach a terminal.
  const result = printableDeep(input);
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const nodes = new Map(result.lineage.nodes.map((n) => [n.id, n]));
  const out = new Map<string, LineageEdge[]>();
  const parts = new Map<string, string[]>();
  for (const e of result.lineage.edges) {
    if (e.relation === "component-of") {
      parts.set(e.to, [...(parts.get(e.to) ?? []), e.from]);
      if (nodes.get(e.from)?.kind === "local") continue;
    }
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
  }
  const lines: string[] = [];
  lines.push(c.bold(`aiprov ${result.tool.version}`) + c.dim(` · ${result.root} · knowledge base ${result.tool.knowledgeBaseVersion}`));
  lines.push(result.settings.policies.length > 0 ? `Policies: ${result.settings.policies.join(", ")}` : c.yellow("No policy applied: inventory and lineage only (use --policy <pack>)."));
  lines.push("");

  const statusColor = (n: LineageNode): string => {
    const t = STATUS_LABEL[n.status];
    return n.status === "third-party" ? c.red(t) : n.status === "undetermined" ? c.yellow(t) : c.green(t);
  };
  const printed = new Set<string>();
  const tree = (id: string, indent: string, seen: Set<string>): void => {
    for (const e of out.get(id) ?? []) {
      const to = nodes.get(e.to);
      if (!to) continue;
      const strengths = [...new Set(e.evidence.map((x) => x.strength))].join("+");
      const again = printed.has(e.to) && (out.get(e.to)?.length ?? 0) > 0;
      lines.push(`${indent}└─ ${c.cyan(e.relation)} → ${describeNode(to)} ${c.dim(`[${strengths}]`)}${again ? c.dim(" (lineage shown above)") : ""}`);
      for (const ev of e.evidence) lines.push(`${indent}     ${c.dim(evidenceLine(ev))}`);
      if (!seen.has(e.to) && !again) {
        printed.add(e.to);
        tree(e.to, `${indent}   `, new Set([...seen, e.to]));
      }
    }
  };
  const locals = result.lineage.nodes.filter((n) => n.kind === "local");
  const direct = result.lineage.nodes.filter((n) => n.kind === "upstream" && n.inProduct);
  lines.push(c.bold(`Components (${locals.length} in the tree, ${direct.length} loaded from elsewhere)`));
  const printNode = (n: LineageNode, indent: string): void => {
    lines.push(`${indent}● ${c.bold(n.name)} ${c.dim(`[${n.role}]`)}${n.location ? c.dim(`  ${formatLocation(n.location)}${n.location.pointer ? ` ${n.location.pointer}` : ""}`) : ""}`);
    lines.push(`${indent}  ${statusColor(n)}${n.statusReason ? `: ${reasonText(n.statusReason)}` : ""}${n.license ? c.dim(` · licence ${n.license}`) : ""}`);
    if (n.status === "no-third-party-lineage" && n.checked?.length) lines.push(`${indent}  ${c.dim(`checked: ${n.checked.join("; ")}`)}`);
    tree(n.id, `${indent}  `, new Set([n.id]));
    for (const p of (parts.get(n.id) ?? []).sort()) {
      const pn = nodes.get(p);
      if (pn && pn.kind === "local") printNode(pn, `${indent}    `);
    }
  };
  const isPart = new Set(result.lineage.edges.filter((e) => e.relation === "component-of" && nodes.get(e.from)?.kind === "local").map((e) => e.from));
  for (const n of locals.filter((x) => !isPart.has(x.id))) printNode(n, "  ");
  for (const n of direct) {
    lines.push(`  ● ${c.bold(n.name)} ${c.dim(`[${n.role}, loaded by the product]`)}`);
    lines.push(`    ${statusColor(n)}${n.statusReason ? `: ${reasonText(n.statusReason)}` : ""}${n.publisher ? c.dim(` · ${n.publisher.entity}, ${n.publisher.country}`) : ""}`);
    const refs = result.references.filter((r) => (n.repo !== undefined && r.target === n.repo) || `ref:${r.id}` === n.id).slice(0, 5);
    for (const r of refs) lines.push(c.dim(`    referenced at ${formatLocation(r.location)} ${JSON.stringify(r.raw)}${r.usage && r.usage !== "load" ? ` (${r.usage}${r.relation ? `, ${r.relation}` : ""})` : ""}`));
    tree(n.id, "    ", new Set([n.id]));
  }
  const hosted = result.lineage.nodes.filter((n) => n.kind === "hosted");
  if (locals.length === 0 && direct.length === 0 && hosted.length === 0) lines.push(c.dim("  (no model or model component found)"));
  lines.push("");
  if (hosted.length > 0) {
    // One line per provider: the models the product sends requests to there, and where the provider is.
    const byProvider = new Map<string, LineageNode[]>();
    for (const n of hosted) byProvider.set(n.provider?.id ?? "", [...(byProvider.get(n.provider?.id ?? "") ?? []), n]);
    lines.push(c.bold(`Hosted models (${hosted.length}, at ${byProvider.size} provider${byProvider.size === 1 ? "" : "s"})`));
    for (const ns of [...byProvider.values()].sort((a, b) => (a[0]!.provider?.name ?? "").localeCompare(b[0]!.provider?.name ?? ""))) {
      const p = ns[0]!;
      lines.push(`  ● ${c.bold(p.provider?.name ?? p.publisher?.org ?? "")}${p.publisher ? c.dim(` · ${p.publisher.entity}, ${p.publisher.country}`) : ""}: ${ns.map((n) => n.name).sort().join(", ")}`);
    }
    lines.push("");
  }

  if (result.settings.policies.length > 0) {
    const f = result.summary.findings;
    // With --baseline, findings already in the baseline are counted but not listed: the report shows what is new.
    const existing = result.findings.filter((x) => x.baseline === "existing").length;
    const extra = [result.findings.some((x) => x.waived) ? `${result.findings.filter((x) => x.waived).length} waived` : "", existing > 0 ? `${existing} in the baseline, not shown` : ""].filter(Boolean).join(", ");
    lines.push(c.bold(`Findings: ${f.error} error, ${f.warning} warning, ${f.note} note`) + (extra ? c.dim(` (${extra})`) : ""));
    for (const x of result.findings.filter((y) => y.baseline !== "existing")) {
      const sev = x.severity === "error" ? c.red("✖ error") : x.severity === "warning" ? c.yellow("▲ warning") : c.blue("ℹ note");
      lines.push(`  ${sev} ${c.bold(`${x.pack}/${x.rule}`)}${x.verdict === "undetermined" ? c.yellow(" (undetermined)") : ""}${x.baseline === "new" ? c.bold(" [new]") : ""}${x.waived ? c.dim(` [waived: ${x.waived.reason}, ${x.waived.owner}${x.waived.expires ? `, until ${x.waived.expires}` : ""}]`) : ""}`);
      lines.push(`    ${x.message.text}`);
      if (x.location) lines.push(c.dim(`    at ${formatLocation(x.location)}${x.location.pointer ? ` ${x.location.pointer}` : ""}`));
      lines.push(c.dim(`    lineage: ${x.path.map((id) => nodes.get(id)?.name ?? id).join(" → ")}`));
      for (const ev of x.evidence) lines.push(c.dim(`    evidence: ${evidenceLine(ev)}`));
      if (x.howToFix) lines.push(c.dim(`    fix: ${x.howToFix.trim()}`));
    }
    if (result.findings.length === 0) lines.push(c.green("  no findings"));
    else if (existing === result.findings.length) lines.push(c.green("  no new findings"));
    lines.push("");
  }

  if (result.weightComparisons?.length) {
    lines.push(c.bold(`Weight comparisons (${result.weightComparisons.length})`));
    for (const w of result.weightComparisons) lines.push(...weightComparisonLines(w, nodes.get(`local:${w.component}`)?.name ?? w.component, c));
    lines.push("");
  }

  const cov = result.coverage;
  const skippedText = Object.entries(cov.skippedByReason)
    .sort()
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  lines.push(c.bold("Coverage") + c.dim(`: ${cov.filesSeen} files seen, ${cov.filesScanned} manifests read (${cov.bytesRead} bytes)${skippedText ? `, skipped: ${skippedText}` : ""}`));
  if (result.diagnostics.length > 0) {
    lines.push(c.bold(`Diagnostics (${result.diagnostics.length})`));
    for (const d of result.diagnostics.slice(0, 50)) lines.push(`  ${d.severity === "error" ? c.red(d.severity) : d.severity === "warning" ? c.yellow(d.severity) : c.dim(d.severity)} ${d.location ? `${formatLocation(d.location)}: ` : ""}${d.message}`);
    if (result.diagnostics.length > 50) lines.push(c.dim(`  ... ${result.diagnostics.length - 50} more (see --format json)`));
  }
  lines.push("");
  const v = resultVerdict(result);
  lines.push(v === "fail" ? c.red.bold(`Verdict: FAIL (findings at or above --fail-on ${result.settings.failOn})`) : v === "pass" ? c.green.bold("Verdict: PASS") : c.bold("Verdict: no policy applied"));
  return `${lines.join("\n")}\n`;
}
