/**
 * Markdown report for a pull-request comment or a GitHub job summary: the verdict, a table of the product's
 * components (origin, country, licence, relation), the findings with their evidence, and the lineage graph as a
 * Mermaid flowchart (GitHub renders `mermaid` code blocks: https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams).
 * Long parts are folded in `<details>`. The whole text stays under {@link MARKDOWN_MAX_CHARS} (GitHub rejects a
 * comment body over 65,536 characters): findings past the budget are counted, not printed.
 */
import type { AuditResult, Finding, LineageNode } from "../model/types.js";
import {
  VERDICT_LABEL,
  type GraphIndex,
  STATUS_LABEL,
  componentCounts,
  componentIndex,
  evidenceText,
  indexGraph,
  originEdges,
  pathNames,
  pinnedSource,
  primaryLocation,
  productRoots,
  weakeningLines,
} from "./common.js";
import { resultVerdict, sortedFindings } from "../policy/verdict.js";
import { reasonText } from "./text.js";
import { markdownCode, markdownInline, mermaidLabel } from "./escape.js";

/** Upper bound on the rendered Markdown, under GitHub's 65,536-character comment limit. */
export const MARKDOWN_MAX_CHARS = 60_000;

/** At most this many component rows; the rest are counted (the HTML and JSON reports list them all). */
export const MARKDOWN_MAX_COMPONENT_ROWS = 60;

/** The Mermaid graph is left out (and the reader sent to the HTML report) when its source is longer than this. */
export const MARKDOWN_MAX_MERMAID_CHARS = 15_000;

/** Escapes text for a Markdown table cell or inline text (escape.ts: pipes, backticks, angle brackets, controls). */
export const mdEscape = markdownInline;

/** Inline code span (escape.ts: backticks inside become single quotes, controls visible). */
export const mdCode = markdownCode;

/**
 * Rule-pack prose with its `code spans` kept as code: the text between paired backticks becomes an inline code span
 * ({@link mdCode}), the rest is escaped ({@link mdEscape}); an unpaired backtick stays literal (escaped).
 */
export function mdProse(s: string): string {
  const parts = s.split("`");
  // An odd backtick out: the last one is unpaired and stays literal.
  if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts.at(-2)}\`${parts.at(-1)}`);
  return parts.map((p, i) => (i % 2 === 1 ? (p.trim() ? mdCode(p) : mdEscape(`\`${p}\``)) : mdEscape(p))).join("");
}

function origin(n: LineageNode, g: GraphIndex): { origin: string; country: string; relation: string } {
  const edges = originEdges(n.id, g);
  if (edges.length === 0) {
    // No upstream edge of its own: say where it comes from (its publisher) or why its status is what it is.
    const why = n.statusReason
      ? reasonText(n.statusReason)
      : n.status === "no-third-party-lineage" || n.status === "own"
        ? STATUS_LABEL[n.status]
        : "";
    return { origin: n.publisher ? n.publisher.entity : why, country: n.publisher?.country ?? "", relation: "" };
  }
  const names: string[] = [];
  const countries = new Set<string>();
  const relations: string[] = [];
  for (const e of edges) {
    const to = g.nodes.get(e.to);
    names.push(to ? `${to.name}${to.publisher ? ` (${to.publisher.entity})` : ""}` : e.to);
    if (to?.publisher) countries.add(to.publisher.country);
    relations.push(`${e.relation} (${e.strength})`);
  }
  return {
    origin: [...new Set(names)].join("; "),
    country: [...countries].join(", "),
    relation: [...new Set(relations)].join("; "),
  };
}

/** Mermaid flowchart of the whole lineage graph (left to right; node ids are `n0`, `n1`, ... in result order). */
export function mermaidGraph(result: AuditResult): string {
  const ids = new Map(result.lineage.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["flowchart LR"];
  for (const n of result.lineage.nodes) {
    const who = n.publisher
      ? `<br/>${n.publisher.entity.length > 40 ? `${n.publisher.entity.slice(0, 37)}...` : n.publisher.entity}, ${n.publisher.country}`
      : "";
    const label = `${mermaidLabel(n.name)}<br/><i>${n.role}</i>${mermaidLabel(who).replace(/#lt;br\/#gt;/g, "<br/>")}`;
    lines.push(n.kind === "local" ? `  ${ids.get(n.id)}["${label}"]` : `  ${ids.get(n.id)}(["${label}"])`);
  }
  for (const e of result.lineage.edges) {
    const dashed = e.strength === "structural" ? "-.->" : "-->";
    lines.push(`  ${ids.get(e.from)} ${dashed}|${e.relation}| ${ids.get(e.to)}`);
  }
  const byStatus: Record<string, string[]> = {};
  for (const n of result.lineage.nodes) (byStatus[n.status] ??= []).push(ids.get(n.id)!);
  lines.push(
    "  classDef thirdparty fill:#fde2e1,stroke:#b42318",
    "  classDef undetermined fill:#fff4d6,stroke:#b54708",
    "  classDef clean fill:#e3f6e8,stroke:#067647",
  );
  if (byStatus["third-party"]) lines.push(`  class ${byStatus["third-party"].join(",")} thirdparty`);
  if (byStatus.undetermined) lines.push(`  class ${byStatus.undetermined.join(",")} undetermined`);
  const clean = [...(byStatus.own ?? []), ...(byStatus["no-third-party-lineage"] ?? [])];
  if (clean.length > 0) lines.push(`  class ${clean.join(",")} clean`);
  return lines.join("\n");
}

/**
 * The heading line (verdict and packs) and the counts line: every component and how many of them the product uses
 * (the shared identity and counts of every report, {@link componentCounts}).
 */
function headerLines(result: AuditResult): string[] {
  const s = result.summary;
  const verdict = resultVerdict(result);
  const icon = verdict === "fail" ? "❌" : verdict === "pass" ? "✅" : "ℹ️";
  return [
    `## ${icon} aiprov: ${VERDICT_LABEL[verdict]}${result.settings.policies.length > 0 ? ` · ${result.settings.policies.map(mdEscape).join(", ")}` : ""}`,
    "",
    `**${s.findings.error}** error · **${s.findings.warning}** warning · **${s.findings.note}** note` +
      `${s.waived ? ` · ${s.waived} waived` : ""} · ${s.undetermined} undetermined · ${componentCounts(result).total} components (${componentCounts(result).inProduct} used by the product) · scanned ${mdCode(result.root)}` +
      (result.settings.policies.length > 0 ? ` · fails on ${result.settings.failOn}` : ""),
    "",
  ];
}

/**
 * The product's components in table order: each top-level component, then its nested local parts (depth first), then
 * the hosted models it calls; one row per component ({@link componentIndex}: `qwen/x` and `Qwen/x` are one row, under the representative's name).
 */
function componentRows(result: AuditResult, g: GraphIndex): LineageNode[] {
  const rows: LineageNode[] = [];
  const seen = new Set<string>();
  const { canon } = componentIndex(result);
  const addRow = (node: LineageNode): void => {
    const id = canon.get(node.id) ?? node.id;
    if (seen.has(id)) return;
    seen.add(id);
    const n = g.nodes.get(id) ?? node;
    rows.push(n);
    for (const e of g.in.get(n.id) ?? []) {
      const from = g.nodes.get(e.from);
      if (e.relation === "component-of" && from?.kind === "local") addRow(from);
    }
  };
  for (const r of productRoots(result, g)) addRow(r);
  // Models the product calls over an API: components too (kind hosted), after the loaded ones.
  for (const n of result.lineage.nodes) if (n.kind === "hosted" && n.inProduct) addRow(n);
  return rows;
}

/** The components table (at most {@link MARKDOWN_MAX_COMPONENT_ROWS} rows) and the datasets list. */
function componentLines(result: AuditResult, g: GraphIndex): string[] {
  const out = [
    "### Components",
    "",
    "| Component | Role | Status | Origin | Country | Licence | Relation |",
    "|---|---|---|---|---|---|---|",
  ];
  const rows = componentRows(result, g);
  for (const n of rows.slice(0, MARKDOWN_MAX_COMPONENT_ROWS)) {
    const o = origin(n, g);
    const where = n.location
      ? ` <sub>${mdEscape(pinnedSource(n.location))}</sub>`
      : n.repo
        ? ` <sub>${mdEscape(n.repo)}${n.revision ? `@${n.revision.slice(0, 12)}` : ""}</sub>`
        : "";
    out.push(
      `| **${mdEscape(n.name)}**${where} | ${n.role} | ${STATUS_LABEL[n.status]} | ${mdEscape(o.origin)} | ${mdEscape(o.country)} | ${mdEscape(n.license ?? "")} | ${mdEscape(o.relation)} |`,
    );
  }
  if (rows.length === 0) out.push("| _(no model or model component found)_ | | | | | | |");
  if (rows.length > MARKDOWN_MAX_COMPONENT_ROWS)
    out.push(
      "",
      `… ${rows.length - MARKDOWN_MAX_COMPONENT_ROWS} more components not shown (comment size limit); see the HTML or JSON report.`,
    );
  out.push("");
  const datasets = result.datasets ?? [];
  if (datasets.length > 0) {
    out.push(`### Datasets (${datasets.length})`, "");
    for (const d of datasets.slice(0, MARKDOWN_MAX_COMPONENT_ROWS))
      out.push(
        `- ${mdCode(d.name)} (${mdEscape(d.loaders.join(", "))}) at ${mdCode(pinnedSource(d.locations[0]!))}${d.locations.length > 1 ? ` (+${d.locations.length - 1} more)` : ""}`,
      );
    if (datasets.length > MARKDOWN_MAX_COMPONENT_ROWS)
      out.push(`- … +${datasets.length - MARKDOWN_MAX_COMPONENT_ROWS} more; see the JSON report.`);
    out.push("");
  }
  return out;
}

/** The folded lineage graph (Mermaid, when it fits), the settings that weaken the audit, and the scan settings. */
function tailLines(result: AuditResult): string[] {
  const tail = ["<details><summary>Lineage graph</summary>", ""];
  const graph = mermaidGraph(result);
  if (graph.length <= MARKDOWN_MAX_MERMAID_CHARS) {
    tail.push(
      "```mermaid",
      graph,
      "```",
      "",
      "Solid arrows: declared or weight evidence; dashed: configuration (structural) only.",
    );
  } else {
    tail.push(
      `The graph (${result.lineage.nodes.length} nodes, ${result.lineage.edges.length} edges) is too large for a comment; the HTML report draws it per product component.`,
    );
  }
  tail.push("", "</details>", "");
  const weak = weakeningLines(result);
  if (weak.length > 0) {
    tail.push(`#### ⚠️ Settings that weaken this audit (${weak.length})`, "");
    for (const w of weak) tail.push(`- ${mdEscape(w)}`);
    tail.push("");
  }
  tail.push("<details><summary>Scan settings</summary>", "");
  tail.push(
    `- aiprov ${mdEscape(result.tool.version)}, knowledge base ${mdEscape(result.tool.knowledgeBaseVersion)}, ${result.createdAt}`,
  );
  tail.push(
    `- policies: ${result.settings.policies.map(mdEscape).join(", ") || "none"}; fail on: ${result.settings.failOn}; offline: ${result.settings.offline ? "yes" : "no"}`,
  );
  if (result.settings.organization.length > 0)
    tail.push(`- organization: ${result.settings.organization.map(mdEscape).join(", ")}`);
  tail.push(
    `- coverage: ${result.coverage.filesSeen} files seen, ${result.coverage.filesScanned} manifests read; ${result.diagnostics.length} diagnostics`,
  );
  tail.push("", "</details>");
  return tail;
}

/** One finding as a list item: rule, severity, where, message, waiver, and its evidence folded. */
function findingItem(f: Finding, g: GraphIndex): string {
  const at = primaryLocation(f, g);
  const mark = f.waived ? "⏸️" : f.severity === "error" ? "❌" : f.severity === "warning" ? "⚠️" : "ℹ️";
  const block = [
    `- ${mark} **${mdEscape(`${f.pack}/${f.rule}`)}** ${f.severity}${f.verdict === "undetermined" ? " (undetermined)" : ""}${at ? ` at ${mdCode(pinnedSource(at))}` : ""}`,
    `  ${mdEscape(f.message.text)}${f.count && f.count > 1 ? ` (×${f.count})` : ""}`,
  ];
  if (f.waived)
    block.push(
      `  _Waived by ${mdEscape(f.waived.owner)}${f.waived.expires ? ` until ${f.waived.expires}` : ""}: ${mdEscape(f.waived.reason)}: ${mdEscape(f.waived.comment)}_`,
    );
  block.push(
    `  <details><summary>Evidence (${f.evidence.length}) · lineage: ${mdEscape(pathNames(f, g).join(" → "))}</summary>`,
    "",
  );
  for (const e of f.evidence) block.push(`  - ${mdCode(evidenceText(e, 120))}`);
  if (f.howToFix) block.push(`  - **How to fix:** ${mdProse(f.howToFix.trim())}`);
  block.push("", "  </details>");
  return block.join("\n");
}

/** The findings, most severe first, as many as fit in `budget` characters; the rest are counted in one line. */
function findingLines(result: AuditResult, g: GraphIndex, budget: number): string[] {
  const out = [`### Findings (${result.findings.length})`, ""];
  if (result.findings.length === 0) out.push("No findings.");
  let used = 0;
  let left = 0;
  for (const f of sortedFindings(result.findings)) {
    const text = findingItem(f, g);
    if (used + text.length > budget) {
      left++;
      continue;
    }
    used += text.length + 1;
    out.push(text);
  }
  if (left > 0)
    out.push(`- … ${left} more findings not shown (comment size limit); see the SARIF, HTML or JSON report.`);
  out.push("");
  return out;
}

/**
 * Renders the pull-request summary: header, components, findings (within the comment size budget), then the folded
 * lineage graph and settings. Pure and deterministic.
 */
export function renderMarkdown(result: AuditResult): string {
  const g = indexGraph(result);
  const head = [...headerLines(result), ...componentLines(result, g)].join("\n");
  const tailText = `${tailLines(result).join("\n")}\n`;
  const findings =
    result.settings.policies.length > 0
      ? findingLines(result, g, MARKDOWN_MAX_CHARS - head.length - tailText.length - 400)
      : [];
  return `${head}\n${findings.length > 0 ? `${findings.join("\n")}\n` : ""}${tailText}`;
}
