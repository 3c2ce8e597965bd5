/**
 * The terminal report, read like an audit: the bill of materials by role (role, model, publisher, country, where
 * declared), datasets, findings grouped by rule with counts, then each rule's findings with where to look, coverage,
 * diagnostics and the verdict. Lists are cut with "+N more" and repeated messages fold, unless `verbose` (which also
 * prints the lineage tree with every piece of evidence); the JSON report always holds everything. A pure function of the result (colour is decided by the caller: none when stdout is not
 * a TTY or `NO_COLOR` is set, https://no-color.org).
 */
import { Chalk } from "chalk";
import { printableDeep } from "../util/redact.js";
import type {
  AuditResult,
  Evidence,
  Finding,
  LineageEdge,
  LineageNode,
  SourceLocation,
  WeightComparison,
} from "../model/types.js";
import { STATUS_LABEL, componentCounts, componentIndex, rulesById, weakeningLines } from "./common.js";
import { resultVerdict } from "../policy/verdict.js";

/** Options of {@link renderText}. */
export interface TextOptions {
  color: boolean;
  /** Every row, finding, location and piece of evidence, and the lineage tree; default: the audit view with cut lists. */
  verbose?: boolean;
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
      if (Array.isArray(a.compare) && a.compare.length > 0)
        return `its configuration equals ${String(a.known)}'s; weights not compared with ${[a.upstreams].flat().join(", ")} (${[a.weights].flat().join(", ")}); compare them with: ${a.compare.join(" ; ")}`;
      return Array.isArray(a.candidates)
        ? `its configuration equals that of ${a.candidates.length} known releases (${a.candidates.join(", ")}); none is picked; weights not compared`
        : `its configuration equals ${String(a.known)}'s; weights not compared`;
    case "unresolved-reference":
      return `reference ${JSON.stringify(a.raw)} not resolved (${String(a.reason)})`;
    case "repackager-origin-unresolved":
      return `${String(a.org)} is a re-packager; its upstream origin was not resolved`;
    case "manifest-not-read":
      return `its manifest ${String(a.file)} was not read (${String(a.reason)})`;
    case "folder-not-read":
      return `the folder ${String(a.folder)} could not be listed; what it holds (a model included) is unknown`;
    case "part-third-party":
      return `its part(s) ${[a.parts].flat().join(", ")} have a third-party origin`;
    case "part-undetermined":
      return `the origin of its part(s) ${[a.parts].flat().join(", ")} is undetermined`;
    case "tokenizer-of":
      return a.verdict === "extended"
        ? `it is ${String(a.known)}, extended by ${String(a.newTokens)} tokens (tokenizer lineage, not weights)`
        : `it is ${String(a.known)} (tokenizer lineage, not weights)`;
    case "weights-inconclusive":
      return `its ${String(a.component)} weights correlate with ${String(a.name)}'s at Pearson ${String(a.pearson)} (control ${String(a.controlPearson)}, ${String(a.values)} values): between the calibrated thresholds, neither related nor unrelated`;
    case "lineage-not-looked-up":
      return a.why === "unreachable"
        ? "its own lineage was not looked up (the Hub was unreachable)"
        : "its own lineage was not looked up (offline)";
    case "hosted-model":
      return `reached over ${String(a.provider)}'s API (no weights in the product)`;
    default:
      return [r.code, ...Object.entries(a).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`)].join(
        " ",
      );
  }
}

function evidenceLine(e: Evidence): string {
  const raw = e.raw ? ` ${JSON.stringify(e.raw.length > 120 ? `${e.raw.slice(0, 117)}...` : e.raw)}` : "";
  const ptr = e.location.pointer ? ` ${e.location.pointer}` : "";
  return `${e.strength} ${e.code} at ${formatLocation(e.location)}${ptr}${raw}`;
}

const OUTCOME_LABEL: Record<WeightComparison["outcome"], string> = {
  identical: "IDENTICAL (weight-identical)",
  derived: "DERIVED (weight-similar)",
  "not-derived": "NOT DERIVED",
  undetermined: "UNDETERMINED",
};

/** The lines of one automatic weight comparison: outcome, statistic with its control, bytes read, the command. */
function weightComparisonLines(w: WeightComparison, name: string, c: InstanceType<typeof Chalk>): string[] {
  const label = OUTCOME_LABEL[w.outcome];
  const coloured =
    w.outcome === "not-derived" ? c.green(label) : w.outcome === "undetermined" ? c.yellow(label) : c.red(label);
  const up = `${w.upstream.repo}${w.upstream.revision ? `@${w.upstream.revision.slice(0, 12)}` : ""}`;
  const out = [
    `  ${name} (${w.part}) vs ${up}: ${coloured} ${c.dim(`[${w.reason}${w.phase ? `, ${w.phase === "sketch" ? "sketch windows" : "whole component"}` : ""}]`)}`,
  ];
  if (w.statistic)
    out.push(
      `    pooled Pearson ${w.statistic.value.toFixed(4)}, control ${w.statistic.control.toFixed(4)} (${w.statistic.matrices} matrices, ${w.statistic.elements} values; derived >= ${w.statistic.derivedMin}, unrelated <= ${w.statistic.unrelatedMax})`,
    );
  if (w.layout && (w.reason === "layout-mismatch" || w.layout.paired === 0))
    out.push(
      `    layout: ${w.layout.paired} large matrices paired by name; local ${w.layout.localTensors} tensors under ${w.layout.localPrefixes.map((p) => JSON.stringify(p)).join(", ") || "none"}, upstream ${w.layout.upstreamTensors} under ${w.layout.upstreamPrefixes.map((p) => JSON.stringify(p)).join(", ") || "none"}`,
    );
  const share = w.upstreamBytes
    ? ` (${((100 * w.bytesRead.remote) / w.upstreamBytes).toFixed(2)}% of the ${w.upstreamBytes}-byte upstream component)`
    : "";
  out.push(
    w.cached
      ? `    bytes read: 0 (cached result; the first comparison read ${w.firstBytesRead?.remote ?? 0} bytes from the Hub and ${w.firstBytesRead?.local ?? 0} locally)`
      : `    bytes read: ${w.bytesRead.remote} from the Hub${share}, ${w.bytesRead.local} locally`,
  );
  if (w.outcome === "undetermined") out.push(`    compare by hand: ${w.command}`);
  return out;
}

/** Rows, findings per rule, locations and diagnostics shown before a list is cut (default view). */
export const TEXT_LIMITS = {
  bom: 40,
  unresolved: 10,
  datasets: 10,
  perRule: 8,
  locations: 3,
  evidence: 3,
  diagnostics: 10,
} as const;

/** Order of roles in the bill of materials: the model and its backbone first, then encoders, then the rest. */
const ROLE_ORDER = [
  "model",
  "backbone",
  "vision-encoder",
  "audio-encoder",
  "text-encoder",
  "projector",
  "adapter",
  "embedding",
  "reranker",
  "diffusion",
  "vae",
  "audio-decoder",
  "vision-decoder",
  "tokenizer",
  "processor",
  "other",
];

/** `a, b, c (+N more)`: the first `max` items of a list and how many were cut. */
function cut(items: readonly string[], max: number | undefined, sep = ", "): string {
  if (max === undefined || items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)} (+${items.length - max} more)`;
}

/** `file:line:col pointer` with "(+N more)" for the other places a node or finding is named. */
function where(locs: readonly SourceLocation[], max: number | undefined): string {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const l of locs) {
    const t = `${formatLocation(l)}${l.pointer ? ` ${l.pointer}` : ""}`;
    if (!seen.has(t)) {
      seen.add(t);
      texts.push(t);
    }
  }
  return cut(texts, max);
}

/** Pads a cell to a width (never cuts it: a long model id pushes the row, the country stays whole). */
const pad = (s: string, w: number): string => (s.length >= w ? `${s} ` : s.padEnd(w + 1));

/** What every section of the text report reads: the result, the options, and indexes over the lineage. */
interface TextCtx {
  result: AuditResult;
  c: InstanceType<typeof Chalk>;
  verbose: boolean;
  /** A display limit, or no limit with --verbose. */
  lim: (n: number) => number | undefined;
  nodes: Map<string, LineageNode>;
  /** Edges leaving each node, except a local part's edge to its model. */
  out: Map<string, LineageEdge[]>;
  /** Parts of each node (component-of edges, backwards). */
  parts: Map<string, string[]>;
  /** Local nodes that are a part of another local node. */
  isPart: Set<string>;
  locals: LineageNode[];
  /** Upstream nodes the product loads directly. */
  direct: LineageNode[];
  unresolved: LineageNode[];
  statusColor: (n: LineageNode) => string;
  lines: string[];
}

function textCtx(result: AuditResult, options: TextOptions): TextCtx {
  const verbose = options.verbose === true;
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
  const isPart = new Set(
    result.lineage.edges
      .filter((e) => e.relation === "component-of" && nodes.get(e.from)?.kind === "local")
      .map((e) => e.from),
  );
  const locals = result.lineage.nodes.filter((n) => n.kind === "local");
  const direct = result.lineage.nodes.filter((n) => n.kind === "upstream" && n.inProduct);
  // An unresolved reference folded into a component the bill of materials lists (`vicuna-7b-v1.5` beside
  // `lmsys/vicuna-7b-v1.5`) is that row's, not another entry: the sections sum to the header's component count.
  const { canon } = componentIndex(result);
  const groupOf = (n: LineageNode): string => canon.get(n.id) ?? n.id;
  const rowGroups = new Set(
    [...locals, ...direct.filter((n) => n.statusReason?.code !== "unresolved-reference")].map(groupOf),
  );
  const unresolved = direct.filter(
    (n) => n.statusReason?.code === "unresolved-reference" && !rowGroups.has(groupOf(n)),
  );
  const statusColor = (n: LineageNode): string => {
    const t = STATUS_LABEL[n.status];
    return n.status === "third-party" ? c.red(t) : n.status === "undetermined" ? c.yellow(t) : c.green(t);
  };
  return {
    result,
    c,
    verbose,
    lim: (n) => (verbose ? undefined : n),
    nodes,
    out,
    parts,
    isPart,
    locals,
    direct,
    unresolved,
    statusColor,
    lines: [],
  };
}

/** Unresolved references, one per expression: occurrences across functions and files fold into one entry with every place. */
function unresolvedExpressions(
  unresolved: readonly LineageNode[],
): Map<string, { raw: string; reason: string; locs: SourceLocation[]; role: string }> {
  const byRaw = new Map<string, { raw: string; reason: string; locs: SourceLocation[]; role: string }>();
  for (const n of unresolved) {
    const raw = String(n.statusReason?.args?.raw ?? n.name).replace(/\s+/g, " ");
    const e = byRaw.get(raw) ?? {
      raw,
      reason: String(n.statusReason?.args?.reason ?? "unresolved"),
      locs: [],
      role: n.role,
    };
    e.locs.push(...(n.locations ?? (n.location ? [n.location] : [])));
    byRaw.set(raw, e);
  }
  return byRaw;
}

/** Section 1: the bill of materials by role (a loaded checkpoint followed by its known parts). */
function bomSection(x: TextCtx): void {
  const { result, c, verbose, lim, nodes, out, parts, isPart, locals, direct, unresolved, statusColor, lines } = x;
  // One row per component (the shared identity of every report: `qwen/x` and `Qwen/x` are one row).
  const { canon } = componentIndex(result);
  const rowOf = new Set<string>();
  // The component's representative (its name and places, as every format shows it), once.
  const bom = [...locals, ...direct.filter((n) => n.statusReason?.code !== "unresolved-reference")]
    .map((n) => nodes.get(canon.get(n.id) ?? n.id) ?? n)
    .filter((n) => !rowOf.has(n.id) && (rowOf.add(n.id), true));
  const roleRank = (r: string): number => (ROLE_ORDER.indexOf(r) < 0 ? ROLE_ORDER.length : ROLE_ORDER.indexOf(r));
  bom.sort(
    (a, b) =>
      roleRank(a.role) - roleRank(b.role) ||
      Number(isPart.has(a.id)) - Number(isPart.has(b.id)) ||
      a.name.localeCompare(b.name),
  );
  const originOf = (n: LineageNode): LineageNode | undefined => {
    const e =
      (out.get(n.id) ?? []).find((x) => x.relation !== "component-of" && x.relation !== "same-architecture") ??
      (out.get(n.id) ?? []).find((x) => x.relation === "same-architecture");
    return e ? nodes.get(e.to) : undefined;
  };
  // The header and the unresolved section count the same thing: expressions.
  const byRaw = unresolvedExpressions(unresolved);
  lines.push(
    c.bold(
      `Bill of materials (${locals.length} in the tree, ${bom.length - locals.length} loaded from elsewhere${byRaw.size ? `, ${byRaw.size} unresolved expression${byRaw.size === 1 ? "" : "s"}` : ""})`,
    ),
  );
  if (bom.length === 0 && unresolved.length === 0 && !result.lineage.nodes.some((n) => n.kind === "hosted"))
    lines.push(c.dim("  (no model or model component found)"));
  else if (bom.length > 0) {
    const row = (n: LineageNode, knownPart: boolean) => {
      const origin = originOf(n);
      const pub =
        n.kind === "local" ? (origin?.publisher?.entity ?? "(in the tree)") : (n.publisher?.entity ?? "unknown");
      const country = n.kind === "local" ? (origin?.publisher?.country ?? "-") : (n.publisher?.country ?? "unknown");
      const locs = n.locations?.length ? n.locations : n.location ? [n.location] : [];
      const name = knownPart ? `  ◦ part ${n.name}` : `${isPart.has(n.id) ? "  " : ""}${n.name}`;
      return { n, role: n.role, name, pub, country, where: where(locs, lim(1)), origin, knownPart };
    };
    // A loaded checkpoint is followed by the parts the knowledge base knows it to hold (component-of edges).
    const rows = bom.flatMap((n) => [
      row(n, false),
      ...(n.kind === "local"
        ? []
        : (parts.get(n.id) ?? []).sort().flatMap((p) => {
            const pn = nodes.get(p);
            return pn && pn.kind !== "local" ? [row(pn, true)] : [];
          })),
    ]);
    const shown = verbose ? rows : rows.slice(0, TEXT_LIMITS.bom);
    const w = (k: "role" | "name" | "pub" | "country"): number =>
      Math.min(k === "name" ? 48 : 32, Math.max(k.length, ...shown.map((r) => r[k].length)));
    const [wr, wn, wp, wc] = [w("role"), w("name"), w("pub"), w("country")];
    lines.push(
      c.dim(
        `  ${pad("role", wr)}${pad("model", wn)}${pad("publisher", wp)}${pad("country", wc)}status · where declared`,
      ),
    );
    for (const r of shown) {
      const via =
        (r.origin && (r.n.kind === "local" || r.knownPart) ? c.dim(` ← ${r.origin.name}`) : "") +
        (r.n.scope === "test" ? c.dim(" (test code only: not judged)") : "");
      lines.push(
        `  ${pad(r.role, wr)}${pad(r.name, wn)}${pad(r.pub, wp)}${pad(r.country, wc)}${statusColor(r.n)}${via}${r.where ? c.dim(` · ${r.where}`) : ""}`,
      );
      if (r.n.statusReason && r.n.status === "undetermined")
        lines.push(c.dim(`  ${" ".repeat(wr + 1)}${reasonText(r.n.statusReason)}`));
    }
    if (shown.length < rows.length)
      lines.push(c.dim(`  +${rows.length - shown.length} more (--verbose lists every row)`));
  }
}

/** Section 1b: unresolved references, one line per expression with its places. */
function unresolvedSection(x: TextCtx): void {
  const { c, verbose, lim, unresolved, lines } = x;
  if (unresolved.length > 0) {
    const list = [...unresolvedExpressions(unresolved).values()].sort(
      (a, b) => b.locs.length - a.locs.length || a.raw.localeCompare(b.raw),
    );
    const total = list.reduce((a, e) => a + Math.max(1, e.locs.length), 0);
    const runTime = list.filter((e) => e.reason === "dynamic-value").length;
    lines.push(
      c.bold(
        `  Unresolved references (${list.length} expression${list.length === 1 ? "" : "s"} at ${total} place${total === 1 ? "" : "s"}${runTime ? `, ${runTime} read at run time` : ""}; undetermined, never a pass)`,
      ),
    );
    const shown = verbose ? list : list.slice(0, TEXT_LIMITS.unresolved);
    for (const e of shown) {
      const text = e.raw.length > 70 && !verbose ? `${e.raw.slice(0, 67)}...` : e.raw;
      lines.push(
        `    ${c.yellow(JSON.stringify(text))}${e.locs.length > 1 ? ` ×${e.locs.length}` : ""} ${c.dim(`${e.reason}${e.role !== "model" ? `, ${e.role}` : ""} · ${where(e.locs, lim(1))}`)}`,
      );
    }
    if (shown.length < list.length)
      lines.push(c.dim(`    +${list.length - shown.length} more (--verbose lists every expression)`));
  }
}

/** Section 1c: hosted models, one line per provider. */
function hostedSection(x: TextCtx): void {
  const { result, c, lines } = x;
  const hosted = result.lineage.nodes.filter((n) => n.kind === "hosted");
  lines.push("");
  if (hosted.length > 0) {
    // One line per provider: the models the product sends requests to there, and where the provider is.
    const byProvider = new Map<string, LineageNode[]>();
    for (const n of hosted) byProvider.set(n.provider?.id ?? "", [...(byProvider.get(n.provider?.id ?? "") ?? []), n]);
    lines.push(
      c.bold(`Hosted models (${hosted.length}, at ${byProvider.size} provider${byProvider.size === 1 ? "" : "s"})`),
    );
    for (const ns of [...byProvider.values()].sort((a, b) =>
      (a[0]!.provider?.name ?? "").localeCompare(b[0]!.provider?.name ?? ""),
    )) {
      const p = ns[0]!;
      lines.push(
        `  ● ${c.bold(p.provider?.name ?? p.publisher?.org ?? "")}${p.publisher ? c.dim(` · ${p.publisher.entity}, ${p.publisher.country}`) : ""}: ${ns
          .map((n) => n.name)
          .sort()
          .join(", ")}`,
      );
    }
    lines.push("");
  }
}

/** Section 2: the datasets the project reads. */
function datasetSection(x: TextCtx): void {
  const { result, c, verbose, lim, lines } = x;
  const datasets = result.datasets ?? [];
  if (datasets.length > 0) {
    lines.push(c.bold(`Datasets (${datasets.length}; read by the project, not models)`));
    const shown = verbose ? datasets : datasets.slice(0, TEXT_LIMITS.datasets);
    for (const d of shown)
      lines.push(
        `  ${d.name}${d.unresolved ? c.yellow(` (${d.unresolved})`) : ""} ${c.dim(`· ${d.loaders.join(", ")} · ${where(d.locations, lim(1))}`)}`,
      );
    if (shown.length < datasets.length)
      lines.push(c.dim(`  +${datasets.length - shown.length} more (--verbose lists every dataset)`));
    lines.push("");
  }
}

/** Section 3: findings grouped by rule, then each rule's findings (repeated messages folded). */
function findingSection(x: TextCtx): void {
  const { result, c, verbose, lim, nodes, lines } = x;
  if (result.settings.policies.length > 0) {
    const f = result.summary.findings;
    // With --baseline, findings already in the baseline are counted but not listed: the report shows what is new.
    const existing = result.findings.filter((x) => x.baseline === "existing").length;
    const extra = [
      result.findings.some((x) => x.waived) ? `${result.findings.filter((x) => x.waived).length} waived` : "",
      existing > 0 ? `${existing} in the baseline, not shown` : "",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(
      c.bold(`Findings: ${f.error} error, ${f.warning} warning, ${f.note} note`) + (extra ? c.dim(` (${extra})`) : ""),
    );
    const shownFindings = result.findings.filter((y) => y.baseline !== "existing");
    const byRule = new Map<string, Finding[]>();
    for (const x of shownFindings) byRule.set(`${x.pack}/${x.rule}`, [...(byRule.get(`${x.pack}/${x.rule}`) ?? []), x]);
    const rules = rulesById(result);
    const sevText = (s: Finding["severity"]): string =>
      s === "error" ? c.red("✖ error  ") : s === "warning" ? c.yellow("▲ warning") : c.blue("ℹ note   ");
    const wRule = Math.min(60, Math.max(0, ...[...byRule.keys()].map((k) => k.length)));
    for (const [id, list] of byRule) {
      const places = list.reduce((a, x) => a + (x.count ?? 1), 0);
      const und = list.filter((x) => x.verdict === "undetermined").length;
      lines.push(
        `  ${sevText(list[0]!.severity)} ${pad(id, wRule)}${String(list.length).padStart(4)}${places > list.length ? c.dim(` (${places} places)`) : ""}${und === list.length ? c.yellow(" undetermined") : ""}  ${c.dim(rules.get(id)?.title ?? "")}`,
      );
    }
    if (shownFindings.length === 0)
      lines.push(result.findings.length === 0 ? c.green("  no findings") : c.green("  no new findings"));
    lines.push("");
    for (const [id, list] of byRule) {
      const rule = rules.get(id);
      lines.push(
        c.bold(`${id}`) +
          c.dim(` · ${list.length} finding${list.length === 1 ? "" : "s"}${rule?.title ? ` · ${rule.title}` : ""}`),
      );
      // Repeated messages fold: one entry per message text, with every finding's places.
      const byText = new Map<string, Finding[]>();
      for (const x of list) byText.set(x.message.text, [...(byText.get(x.message.text) ?? []), x]);
      const entries = [...byText.values()];
      const shown = verbose ? entries : entries.slice(0, TEXT_LIMITS.perRule);
      for (const group of shown) {
        const x = group[0]!;
        const times = group.reduce((a, y) => a + (y.count ?? 1), 0);
        const sev = x.severity === "error" ? c.red("✖") : x.severity === "warning" ? c.yellow("▲") : c.blue("ℹ");
        lines.push(
          `  ${sev} ${x.message.text}${times > 1 ? c.bold(` ×${times}`) : ""}${x.verdict === "undetermined" ? c.yellow(" (undetermined)") : ""}${x.baseline === "new" ? c.bold(" [new]") : ""}${x.waived ? c.dim(` [waived: ${x.waived.reason}, ${x.waived.owner}${x.waived.expires ? `, until ${x.waived.expires}` : ""}]`) : ""}`,
        );
        const locs = group.flatMap((y) => [
          ...(y.location ? [y.location] : []),
          ...y.evidence.filter((e) => !e.location.hub && !e.code.startsWith("knowledge-base")).map((e) => e.location),
        ]);
        if (locs.length > 0) lines.push(c.dim(`    at ${where(locs, lim(TEXT_LIMITS.locations))}`));
        if (x.path.length > 1)
          lines.push(c.dim(`    lineage: ${x.path.map((p) => nodes.get(p)?.name ?? p).join(" → ")}`));
        // The places a node is referenced at are on the "at" line; the other evidence says why.
        const evidence = x.evidence.filter(
          (e) => verbose || (e.code !== "referenced-at" && e.code !== "entered-product-through"),
        );
        for (const ev of verbose ? evidence : evidence.slice(0, TEXT_LIMITS.evidence))
          lines.push(c.dim(`    evidence: ${evidenceLine(ev)}`));
        if (!verbose && evidence.length > TEXT_LIMITS.evidence)
          lines.push(c.dim(`    +${evidence.length - TEXT_LIMITS.evidence} more pieces of evidence`));
      }
      if (shown.length < entries.length)
        lines.push(c.dim(`  +${entries.length - shown.length} more (--verbose lists every finding)`));
      const fix = list[0]!.howToFix ?? rule?.howToFix;
      if (fix) lines.push(c.dim(`  fix: ${fix.trim()}`));
      lines.push("");
    }
  }
}

/** Section 4: the lineage tree with every piece of evidence (verbose only: the bill of materials and findings say the rest). */
function lineageTreeSection(x: TextCtx): void {
  const { c, verbose, nodes, out, parts, isPart, locals, direct, statusColor, lines } = x;
  if (verbose) {
    const printed = new Set<string>();
    const tree = (id: string, indent: string, seen: Set<string>): void => {
      for (const e of out.get(id) ?? []) {
        const to = nodes.get(e.to);
        if (!to) continue;
        const strengths = [...new Set(e.evidence.map((x) => x.strength))].join("+");
        const again = printed.has(e.to) && (out.get(e.to)?.length ?? 0) > 0;
        lines.push(
          `${indent}└─ ${c.cyan(e.relation)} → ${describeNode(to)} ${c.dim(`[${strengths}]`)}${again ? c.dim(" (lineage shown above)") : ""}`,
        );
        for (const ev of e.evidence) lines.push(`${indent}     ${c.dim(evidenceLine(ev))}`);
        if (!seen.has(e.to) && !again) {
          printed.add(e.to);
          tree(e.to, `${indent}   `, new Set([...seen, e.to]));
        }
      }
    };
    lines.push(c.bold("Lineage"));
    const printNode = (n: LineageNode, indent: string): void => {
      lines.push(
        `${indent}● ${c.bold(n.name)} ${c.dim(`[${n.role}]`)}${n.location ? c.dim(`  ${formatLocation(n.location)}${n.location.pointer ? ` ${n.location.pointer}` : ""}`) : ""}`,
      );
      lines.push(
        `${indent}  ${statusColor(n)}${n.statusReason ? `: ${reasonText(n.statusReason)}` : ""}${n.license ? c.dim(` · licence ${n.license}`) : ""}${n.kind === "upstream" && n.publisher ? c.dim(` · ${n.publisher.entity}, ${n.publisher.country}`) : ""}`,
      );
      if (n.status === "no-third-party-lineage" && n.checked?.length)
        lines.push(`${indent}  ${c.dim(`checked: ${n.checked.join("; ")}`)}`);
      if (n.kind === "upstream" && n.locations?.length)
        lines.push(c.dim(`${indent}  referenced at ${where(n.locations, undefined)}`));
      tree(n.id, `${indent}  `, new Set([n.id]));
      for (const p of (parts.get(n.id) ?? []).sort()) {
        const pn = nodes.get(p);
        if (pn && pn.kind === "local") printNode(pn, `${indent}    `);
      }
    };
    for (const n of locals.filter((x) => !isPart.has(x.id))) printNode(n, "  ");
    for (const n of direct) printNode(n, "  ");
    lines.push("");
  }
}

/** Section 5: weight comparisons, settings that weaken the audit, coverage, diagnostics, and the verdict line. */
function closingSection(x: TextCtx): void {
  const { result, c, verbose, lim, nodes, lines } = x;
  if (result.weightComparisons?.length) {
    lines.push(c.bold(`Weight comparisons (${result.weightComparisons.length})`));
    for (const w of result.weightComparisons)
      lines.push(...weightComparisonLines(w, nodes.get(`local:${w.component}`)?.name ?? w.component, c));
    lines.push("");
  }

  const weak = weakeningLines(result);
  if (weak.length > 0) {
    lines.push(c.yellow.bold(`Settings that weaken this audit (${weak.length})`));
    for (const w of weak) lines.push(`  ${w}`);
    lines.push("");
  }
  const cov = result.coverage;
  const skippedText = Object.entries(cov.skippedByReason)
    .sort()
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  lines.push(
    c.bold("Coverage") +
      c.dim(
        `: ${cov.filesSeen} files seen, ${cov.filesScanned} manifests read (${cov.bytesRead} bytes)${skippedText ? `, skipped: ${skippedText}` : ""}`,
      ),
  );
  if (result.diagnostics.length > 0) {
    // Repeated diagnostics fold: one line per code and message, with the files it was met in.
    const byMsg = new Map<string, { d: (typeof result.diagnostics)[number]; locs: SourceLocation[] }>();
    for (const d of result.diagnostics) {
      const k = `${d.severity}\u0000${d.code}\u0000${d.message}`;
      const e = byMsg.get(k) ?? { d, locs: [] };
      if (d.location) e.locs.push(d.location);
      byMsg.set(k, e);
    }
    const list = [...byMsg.values()];
    lines.push(c.bold(`Diagnostics (${result.diagnostics.length})`));
    const shown = verbose ? list : list.slice(0, TEXT_LIMITS.diagnostics);
    for (const { d, locs } of shown) {
      const at =
        locs.length === 0 ? "" : locs.length === 1 ? `${formatLocation(locs[0]!)}: ` : `${where(locs, lim(2))}: `;
      lines.push(
        `  ${d.severity === "error" ? c.red(d.severity) : d.severity === "warning" ? c.yellow(d.severity) : c.dim(d.severity)} ${at}${d.message}`,
      );
    }
    if (shown.length < list.length)
      lines.push(c.dim(`  +${list.length - shown.length} more (--verbose or --format json lists every diagnostic)`));
  }
  lines.push("");
  const v = resultVerdict(result);
  lines.push(
    v === "fail"
      ? c.red.bold(`Verdict: FAIL (findings at or above --fail-on ${result.settings.failOn})`)
      : v === "pass"
        ? c.green.bold("Verdict: PASS")
        : c.bold("Verdict: no policy applied"),
  );
}

/** Renders the result as terminal text, section by section. */
export function renderText(input: AuditResult, options: TextOptions): string {
  // Names and paths come from the scanned repository: escape control characters before they reach a terminal.
  const x = textCtx(printableDeep(input), options);
  const { result, c, lines } = x;
  lines.push(
    c.bold(`aiprov ${result.tool.version}`) +
      c.dim(
        ` · ${result.root} · knowledge base ${result.tool.knowledgeBaseVersion}${result.settings.offline ? " · offline" : ""}`,
      ),
  );
  lines.push(
    result.settings.policies.length > 0
      ? `Policies: ${result.settings.policies.join(", ")}`
      : c.yellow("No policy applied: inventory and lineage only (use --policy <pack>)."),
  );
  const counts = componentCounts(result);
  lines.push(`Components: ${counts.total} (${counts.inProduct} used by the product, ${counts.upstream} upstream)`);
  lines.push("");
  bomSection(x);
  unresolvedSection(x);
  hostedSection(x);
  datasetSection(x);
  findingSection(x);
  lineageTreeSection(x);
  closingSection(x);
  return `${lines.join("\n")}\n`;
}
