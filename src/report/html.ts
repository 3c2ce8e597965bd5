/**
 * HTML report for procurement: one self-contained file (inline CSS and SVG, no script, no external resource, so it
 * opens offline and files as one document). It reads like an audit report: the verdict and the findings come
 * first, then the inventory, the lineage, the evidence, and the documentation (rules, waivers, settings) last.
 *
 * Sections, each rendered by its own function:
 * 1. header ({@link headerSection}): the verdict, counts taken from the inventory itself, a table of contents;
 * 2. verdict per rule pack; 3. findings, most severe first, each with where to look and its evidence (folded in a
 *    `<details>` when there are many, printed open);
 * 4. inventory of every component (publisher and country in their own columns);
 * 5. lineage: one graph per product component that has lineage (laid out by dagre, see `layout.ts`, drawn at its
 *    natural size in a scrolling box so text never shrinks below 11 px), components without any lineage edge listed
 *    in one line instead of one empty graph each;
 * 6. evidence for every lineage edge, with each source pinned (file and line, or Hub repo and commit);
 * 7. rules with the source each encodes; 8. waivers with owner and expiry; settings that weaken the audit; scan
 *    settings, coverage and diagnostics.
 * Print-friendly (`@media print`): fixed table layouts with a wide "Where" column that wraps at path separators.
 */
import type { AuditResult, Evidence, Finding, LineageEdge, LineageNode } from "../model/types.js";
import {
  type ComponentGroup,
  type GraphIndex,
  VERDICT_LABEL,
  componentCounts,
  componentIndex,
  STATUS_LABEL,
  hubFileUrl,
  indexGraph,
  pathNames,
  pinnedSource,
  primaryLocation,
  productRoots,
  rulesById,
  subgraphOf,
  weakeningLines,
} from "./common.js";
import { packVerdict, resultVerdict, sortedFindings } from "../policy/verdict.js";
import { htmlEscape as h } from "./html-escape.js";
import { drawLineageSvg } from "./layout.js";
import { reasonText } from "./text.js";
import { stableId } from "../util/hash.js";

const CSS = `
:root{--fg:#1d2939;--muted:#667085;--line:#d0d5dd;--bad:#b42318;--badbg:#fde2e1;--warn:#b54708;--warnbg:#fff4d6;--ok:#067647;--okbg:#e3f6e8}
*{box-sizing:border-box}
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans KR",sans-serif;color:var(--fg);margin:0 auto;max-width:1280px;padding:20px 24px}
h1{font-size:20px;margin:0 0 2px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:14px;margin:16px 0 6px}
.meta{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}th{background:#f2f4f7}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
.verdict{display:inline-block;font-weight:700;padding:2px 10px;border-radius:4px}
.verdict.big{font-size:18px;padding:4px 14px}
.verdict.fail,.status-third-party td.status{background:var(--badbg);color:var(--bad)}
.verdict.pass{background:var(--okbg);color:var(--ok)}.verdict.no-policy{background:#f2f4f7}
.summary{display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px;margin:10px 0 6px}
nav.toc{border:1px solid var(--line);border-radius:6px;padding:6px 10px;background:#f9fafb}
nav.toc ol{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px}nav.toc a{color:#175cd3;text-decoration:none}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-note{color:#175cd3}
.undetermined{color:var(--warn)}
.finding{border:1px solid var(--line);border-left:4px solid var(--line);border-radius:4px;padding:6px 10px;margin:8px 0}
.finding.sev-error-box{border-left-color:var(--bad)}.finding.sev-warning-box{border-left-color:var(--warn)}
.finding h3{margin:2px 0 4px}.finding p{margin:3px 0}
details>summary{cursor:pointer;color:var(--muted)}
details.rule-group{border-top:1px solid var(--line);padding:4px 0}details.rule-group>summary{color:var(--fg);font-size:14px;padding:4px 0}
.graph{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px;padding:8px;margin:6px 0 14px}
svg.lineage{display:block;font:12px system-ui,sans-serif}
svg.lineage .node rect{fill:#fff;stroke:#475467;stroke-width:1.2}
svg.lineage .node.status-third-party rect{fill:var(--badbg);stroke:var(--bad)}
svg.lineage .node.status-undetermined rect{fill:var(--warnbg);stroke:var(--warn)}
svg.lineage .node.status-no-third-party-lineage rect,svg.lineage .node.status-own rect{fill:var(--okbg);stroke:var(--ok)}
svg.lineage .node .name{font-weight:600;fill:var(--fg)}svg.lineage .node .sub{fill:#475467;font-size:11px}
svg.lineage .edge path{fill:none;stroke:#475467;stroke-width:1.3}svg.lineage .edge.strength-structural path{stroke-dasharray:5 4}
svg.lineage .edge text{fill:#344054;font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg.lineage .arrow{fill:#475467}
.legend{color:var(--muted);font-size:12px}
table.inventory{table-layout:fixed}table.inventory td{overflow-wrap:anywhere}
table.inventory col.c-component{width:15%}table.inventory col.c-kind{width:8.5%}table.inventory col.c-role{width:10.5%}table.inventory col.c-status{width:15%}
table.inventory col.c-publisher{width:13%}table.inventory col.c-country{width:8%}table.inventory col.c-licence{width:8%}table.inventory col.c-where{width:22%}
@media print{
body{max-width:none;padding:0;font-size:10.5px}h2{break-after:avoid}tr,.finding{break-inside:avoid}a{color:inherit;text-decoration:none}
nav.toc{display:none}.graph{border:none;overflow:visible;max-height:none}svg.lineage{max-width:100%;height:auto}
table{table-layout:fixed}th,td{padding:2px 4px;overflow-wrap:anywhere}code{font-size:9.5px}
details>summary{display:none}details.rule-group>summary{display:block;font-weight:600}details::details-content{content-visibility:visible;display:block}
}
`;

function link(url: string | undefined, text: string): string {
  return url && /^https?:\/\//.test(url) ? `<a href="${h(url)}">${h(text)}</a>` : h(text);
}

/** A path as code that may break after `/`, `.`, `_` and `-` (never inside a word), so narrow columns stay legible. */
function pathCode(s: string): string {
  return `<code>${h(s).replace(/([/._-])/g, "$1<wbr>")}</code>`;
}

function source(e: Evidence, hubUrl: string | undefined): string {
  const l = e.location;
  if (l.hub)
    return `Hub ${link(hubFileUrl(l, hubUrl), `${l.hub.repo}@${l.hub.revision ?? "(no revision)"}`)} ${pathCode(l.file)}`;
  const kb = e.code.startsWith("knowledge-base") ? ` <span class="meta">(aiprov knowledge base)</span>` : "";
  const line = `${l.line !== undefined ? `:${l.line}` : ""}${l.column !== undefined && l.line !== undefined ? `:${l.column}` : ""}`;
  return `${pathCode(`${l.file}${line}`)}${l.pointer ? ` <code>${h(l.pointer)}</code>` : ""}${kb}`;
}

function nodeWhere(n: LineageNode): string {
  if (n.location) return pathCode(pinnedSource(n.location));
  if (n.repo) return `Hub ${pathCode(`${n.repo}${n.revision ? `@${n.revision}` : ""}`)}`;
  if (n.repos?.length) return `released in ${n.repos.map((r) => pathCode(r)).join(", ")}`;
  return "";
}

/**
 * Counts the header shows, all taken from the inventory and findings the report itself lists: the components (the
 * shared identity of every report, {@link componentCounts}), those the product uses (of them, in the scanned tree and
 * reached over an API) and the upstream ones only lineage reaches.
 */
export function headerCounts(result: AuditResult): {
  components: number;
  inProduct: number;
  inTree: number;
  hosted: number;
  upstream: number;
  findings: number;
} {
  const c = componentCounts(result);
  return {
    components: c.total,
    inProduct: c.inProduct,
    inTree: c.local,
    hosted: c.hosted,
    upstream: c.upstream,
    findings: result.findings.length,
  };
}

/** The sections the table of contents lists, in page order (id, title); absent sections are left out. */
function tocEntries(result: AuditResult): [string, string][] {
  const hasPolicy = result.settings.policies.length > 0;
  const entries: [string, string][] = [];
  if (hasPolicy) entries.push(["policies", "Verdict per pack"], ["findings", `Findings (${result.findings.length})`]);
  entries.push(
    ["inventory", `Inventory (${componentIndex(result).groups.length})`],
    ["lineage", "Lineage"],
    ["evidence", "Evidence"],
  );
  if (hasPolicy) entries.push(["rules", "Rules"]);
  entries.push(["waivers", "Waivers"]);
  if (weakeningLines(result).length > 0) entries.push(["weakenings", "Weakening settings"]);
  entries.push(["settings", "Settings, coverage, diagnostics"]);
  return entries;
}

function headerSection(result: AuditResult): string[] {
  const s = result.summary;
  const c = headerCounts(result);
  const verdict = resultVerdict(result);
  const within = [`${c.inTree} in the scanned tree`, ...(c.hosted ? [`${c.hosted} over an API`] : [])].join(", ");
  const kinds = `${c.inProduct} used by the product (${within}), ${c.upstream} upstream`;
  const waived = s.waived ? `, ${s.waived} waived` : "";
  return [
    `<header><h1>AI provenance report: <code>${h(result.root)}</code></h1>`,
    `<p class="meta">aiprov ${h(result.tool.version)} · knowledge base ${h(result.tool.knowledgeBaseVersion)} · ${h(result.createdAt)} · report format ${h(result.schemaVersion)}</p>`,
    `<div class="summary"><span>Verdict: <span class="verdict big ${verdict}" id="verdict">${VERDICT_LABEL[verdict]}</span></span>` +
      `<span id="counts">${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.note} note${waived} · ${s.undetermined} undetermined · ` +
      `<a href="#inventory">${c.components} components</a> (${kinds}) · ${s.references} references</span></div>`,
    `<nav class="toc" aria-label="Contents"><ol>${tocEntries(result)
      .map(([id, title]) => `<li><a href="#${id}">${h(title)}</a></li>`)
      .join("")}</ol></nav></header>`,
  ];
}

function packsSection(result: AuditResult): string[] {
  const b = [`<section id="policies"><h2>Verdict per rule pack</h2>`];
  b.push(
    `<table><thead><tr><th>Pack</th><th>Version</th><th>Verdict</th><th>Errors</th><th>Warnings</th><th>Notes</th><th>Waived</th></tr></thead><tbody>`,
  );
  for (const p of result.policies) {
    const fs = result.findings.filter((f) => f.pack === p.pack);
    const n = (sev: string): number => fs.filter((f) => f.severity === sev && !f.waived).length;
    const v = packVerdict(result, p);
    b.push(
      `<tr id="pack-${h(p.pack)}"><td><b>${h(p.pack)}</b> <a class="meta" href="#rules-${h(p.pack)}">rules</a></td><td>${h(p.version)}</td><td><span class="verdict ${v}">${v.toUpperCase()}</span></td><td>${n("error")}</td><td>${n("warning")}</td><td>${n("note")}</td><td>${fs.filter((f) => f.waived).length}</td></tr>`,
    );
  }
  b.push(`</tbody></table></section>`);
  return b;
}

/** Findings folded beyond this many (their evidence in a closed `<details>`), so the list stays scannable. */
const OPEN_EVIDENCE_MAX = 25;

/** Escaped text whose backtick spans (`aiprov compare a b`, as pack authors write commands) become `<code>`. */
function withCode(text: string): string {
  return text
    .split("`")
    .map((part, i, all) => (i % 2 === 1 && i < all.length - 1 ? `<code>${h(part)}</code>` : h(part)))
    .join("");
}

function findingBlock(f: Finding, g: GraphIndex, hubUrl: string | undefined, open: boolean): string[] {
  const at = primaryLocation(f, g);
  const node = g.nodes.get(f.node);
  const flags = `${f.verdict === "undetermined" ? ` <span class="undetermined">(undetermined)</span>` : ""}${f.waived ? ` <span class="meta">(waived)</span>` : ""}`;
  const b = [
    `<div class="finding sev-${f.severity}-box" id="finding-${h(f.id)}"><h3><span class="sev-${f.severity}">${f.severity}</span> ${h(f.pack)}/${h(f.rule)}${flags}${node ? ` · ${h(node.name)}` : ""}</h3>`,
    `<p>${h(f.message.text)}</p>`,
    `<p class="meta">${at ? `Where: ${pathCode(pinnedSource(at))} · ` : ""}lineage: ${h(pathNames(f, g).join(" → "))}</p>`,
  ];
  if (f.howToFix) b.push(`<p><i>How to fix:</i> ${withCode(f.howToFix.trim())}</p>`);
  if (f.evidence.length > 0) {
    b.push(`<details${open ? " open" : ""}><summary>Evidence (${f.evidence.length})</summary>`);
    b.push(
      `<table><thead><tr><th style="width:10%">Strength</th><th style="width:22%">Evidence</th><th style="width:38%">Source</th><th>Text read</th></tr></thead><tbody>`,
    );
    for (const e of f.evidence)
      b.push(
        `<tr><td>${e.strength}</td><td><code>${h(e.code)}</code></td><td>${source(e, hubUrl)}</td><td><code>${h(e.raw ?? "")}</code></td></tr>`,
      );
    b.push(`</tbody></table></details>`);
  }
  b.push(`</div>`);
  return b;
}

/**
 * The findings. Up to {@link OPEN_EVIDENCE_MAX}: one card each, evidence open. Beyond that (a scan of many
 * repositories: 286 findings), grouped by rule as the text report groups them: one folded group per rule whose
 * one-line summary reads severity, rule, count and title (so the closed groups are the rule summary), the first
 * group open so the first finding is on the first screen; evidence folded. Folded groups print open.
 */
function findingsSection(result: AuditResult, g: GraphIndex): string[] {
  const b = [`<section id="findings"><h2>Findings (${result.findings.length})</h2>`];
  if (result.findings.length === 0) b.push(`<p>No findings.</p>`);
  const sorted = sortedFindings(result.findings);
  if (sorted.length <= OPEN_EVIDENCE_MAX) {
    for (const f of sorted) b.push(...findingBlock(f, g, result.settings.hubUrl, true));
    b.push(`</section>`);
    return b;
  }
  const byRule = new Map<string, Finding[]>();
  for (const f of sorted) byRule.set(`${f.pack}/${f.rule}`, [...(byRule.get(`${f.pack}/${f.rule}`) ?? []), f]);
  const rules = rulesById(result);
  let first = true;
  for (const [id, list] of byRule) {
    const sev = list[0]!.severity;
    b.push(
      `<details class="rule-group" id="rule-findings-${stableId(["rule", id], 10)}" data-count="${list.length}"${first ? " open" : ""}><summary><span class="sev-${sev}">${sev}</span> <b>${h(id)}</b> · ${list.length} finding${list.length === 1 ? "" : "s"}${rules.get(id)?.title ? ` · ${h(rules.get(id)!.title)}` : ""}</summary>`,
    );
    for (const f of list) b.push(...findingBlock(f, g, result.settings.hubUrl, false));
    b.push(`</details>`);
    first = false;
  }
  b.push(`</section>`);
  return b;
}

/** The other names a component is read under (`qwen/Qwen-VL-Chat` beside `Qwen/Qwen-VL-Chat`), for its inventory row. */
function alsoNamed(group: ComponentGroup): string {
  const names = [...new Set(group.nodes.slice(1).map((m) => m.name))].filter((x) => x !== group.nodes[0]!.name);
  return names.length > 0 ? `<br><span class="meta">also named ${names.map((x) => h(x)).join(", ")}</span>` : "";
}

function inventorySection(result: AuditResult): string[] {
  const { groups } = componentIndex(result);
  const b = [`<section id="inventory"><h2>Inventory (${groups.length} components)</h2>`];
  b.push(
    `<table class="inventory"><colgroup>${["component", "kind", "role", "status", "publisher", "country", "licence", "where"].map((c) => `<col class="c-${c}">`).join("")}</colgroup>`,
    `<thead><tr><th>Component</th><th>Kind</th><th>Role</th><th>Status</th><th>Publisher</th><th>Country</th><th>Licence</th><th>Where</th></tr></thead><tbody>`,
  );
  for (const group of groups) {
    const n = group.nodes[0]!;
    const reason = n.statusReason ? `: ${h(reasonText(n.statusReason))}` : "";
    const checked =
      n.status === "no-third-party-lineage" && n.checked?.length
        ? `<br><span class="meta">checked: ${h(n.checked.join("; "))}</span>`
        : "";
    b.push(
      `<tr class="status-${n.status}"><td><b>${h(n.name)}</b>${group.inProduct ? "" : ` <span class="meta">(upstream)</span>`}${alsoNamed(group)}</td><td>${n.kind}</td><td>${n.role}</td><td class="status">${STATUS_LABEL[n.status]}${reason}${checked}</td><td>${n.publisher ? h(n.publisher.entity) : ""}</td><td>${n.publisher ? h(n.publisher.country) : ""}</td><td>${h(n.license ?? "")}</td><td>${nodeWhere(n)}</td></tr>`,
    );
  }
  if (groups.length === 0) b.push(`<tr><td colspan="8">No model or model component found.</td></tr>`);
  b.push(`</tbody></table></section>`);
  return b;
}

/**
 * One graph per product component that has lineage, then whatever no product component reaches; components without
 * any lineage edge are named in one line (a graph of one box says nothing the inventory does not).
 */
function lineageSection(result: AuditResult, g: GraphIndex): string[] {
  const b = [`<section id="lineage"><h2>Lineage per product component</h2>`];
  b.push(
    `<p class="legend">Arrows point from a component to what it derives from. Solid: declared or weight evidence; dashed: configuration equality only (architecture, says nothing about weights). Red: third-party origin found; amber: undetermined; green: no third-party lineage found. Each box names the component, its role, and its publisher with the publisher's country. Wide graphs scroll.</p>`,
  );
  const drawnNodes = new Set<string>();
  const drawnEdges = new Set<string>();
  const alone: LineageNode[] = [];
  productRoots(result, g).forEach((root, i) => {
    const sub = subgraphOf(root.id, g);
    if (sub.edges.length === 0) {
      alone.push(root);
      drawnNodes.add(root.id);
      return;
    }
    const nodes = sub.nodes.map((id) => g.nodes.get(id)).filter((n): n is LineageNode => n !== undefined);
    for (const n of nodes) drawnNodes.add(n.id);
    for (const e of sub.edges) drawnEdges.add(e.id);
    b.push(
      `<h3>${h(root.name)} <span class="meta">(${h(root.role)}${root.location ? `, ${h(pinnedSource(root.location))}` : ""})</span></h3>`,
    );
    b.push(`<div class="graph">${drawLineageSvg(`g${i}`, nodes, sub.edges, `Lineage of ${root.name}`)}</div>`);
  });
  const restEdges: LineageEdge[] = result.lineage.edges.filter((e) => !drawnEdges.has(e.id));
  // A node no edge touches (a hosted model the product calls) has no lineage to draw: it joins the one-line list.
  const touched = new Set(result.lineage.edges.flatMap((e) => [e.from, e.to]));
  for (const n of result.lineage.nodes)
    if (!drawnNodes.has(n.id) && !touched.has(n.id)) {
      alone.push(n);
      drawnNodes.add(n.id);
    }
  const restIds = new Set([
    ...result.lineage.nodes.filter((n) => !drawnNodes.has(n.id)).map((n) => n.id),
    ...restEdges.flatMap((e) => [e.from, e.to]),
  ]);
  if (restIds.size > 0) {
    b.push(`<h3>Other lineage <span class="meta">(not reached from a product component)</span></h3>`);
    b.push(
      `<div class="graph">${drawLineageSvg(
        "gx",
        result.lineage.nodes.filter((n) => restIds.has(n.id)),
        restEdges,
        "Other lineage",
      )}</div>`,
    );
  }
  if (alone.length > 0) {
    b.push(
      `<p id="no-lineage"><b>${alone.length} component${alone.length === 1 ? "" : "s"} without a lineage edge</b> (see the inventory for each one's status): ${alone.map((n) => `<span data-node="${h(n.id)}">${h(n.name)}</span>`).join(", ")}.</p>`,
    );
  }
  if (result.lineage.nodes.length === 0) b.push(`<p>No lineage to draw.</p>`);
  b.push(`</section>`);
  return b;
}

function evidenceSection(result: AuditResult, g: GraphIndex): string[] {
  const hubUrl = result.settings.hubUrl;
  const b = [`<section id="evidence"><h2>Evidence for every lineage edge</h2>`];
  b.push(
    `<table><thead><tr><th>Component</th><th>Relation</th><th>Derives from</th><th>Strength</th><th>Evidence</th><th style="width:28%">Source (pinned)</th><th>Text read</th></tr></thead><tbody>`,
  );
  for (const e of result.lineage.edges) {
    const from = g.nodes.get(e.from)?.name ?? e.from;
    const to = g.nodes.get(e.to)?.name ?? e.to;
    e.evidence.forEach((ev, i) => {
      b.push(
        `<tr${i === 0 ? ` id="evidence-${h(e.id)}"` : ""}><td>${h(from)}</td><td>${h(e.relation)}</td><td>${h(to)}</td><td>${ev.strength}</td><td><code>${h(ev.code)}</code></td><td>${source(ev, hubUrl)}</td><td><code>${h(ev.raw ?? "")}</code></td></tr>`,
      );
    });
  }
  if (result.lineage.edges.length === 0) b.push(`<tr><td colspan="7">No lineage edges.</td></tr>`);
  b.push(`</tbody></table></section>`);
  return b;
}

function rulesSection(result: AuditResult): string[] {
  const b = [`<section id="rules"><h2>Rules applied</h2>`];
  for (const p of result.policies) {
    b.push(
      `<h3 id="rules-${h(p.pack)}">Rules of ${h(p.pack)}</h3><table><thead><tr><th>Rule</th><th>Severity</th><th>Findings</th><th>What it checks</th><th>Source</th></tr></thead><tbody>`,
    );
    for (const r of p.rules) {
      const count = result.findings.filter((f) => f.pack === p.pack && f.rule === r.id).length;
      b.push(
        `<tr id="rule-${h(p.pack)}-${h(r.id)}"><td><b>${h(r.id)}</b><br>${h(r.title)}</td><td class="sev-${r.severity}">${r.severity}</td><td>${count}</td><td>${h(r.description.trim())}${r.howToFix ? `<br><i>How to fix:</i> ${withCode(r.howToFix.trim())}` : ""}</td><td>${link(r.source.url, r.source.title)}</td></tr>`,
      );
    }
    b.push(`</tbody></table>`);
  }
  b.push(`</section>`);
  return b;
}

function waiversSection(result: AuditResult, g: GraphIndex): string[] {
  const waived = result.findings.filter((f) => f.waived);
  const b = [`<section id="waivers"><h2>Waivers (${waived.length})</h2>`];
  if (waived.length === 0) b.push(`<p>No finding was waived.</p>`);
  else {
    b.push(
      `<table><thead><tr><th>Finding</th><th>Component</th><th>Reason</th><th>Comment</th><th>Owner</th><th>Expires</th></tr></thead><tbody>`,
    );
    for (const f of waived) {
      const w = f.waived!;
      b.push(
        `<tr><td><a href="#finding-${h(f.id)}">${h(f.pack)}/${h(f.rule)}</a></td><td>${h(g.nodes.get(f.node)?.name ?? f.node)}</td><td>${h(w.reason)}</td><td>${h(w.comment)}</td><td>${h(w.owner)}</td><td>${h(w.expires ?? "never")}</td></tr>`,
      );
    }
    b.push(`</tbody></table>`);
  }
  b.push(`</section>`);
  // Settings that weaken the audit (waivers, excludes, knowledge overrides, ...), whenever there is one.
  const weak = weakeningLines(result);
  if (weak.length > 0)
    b.push(
      `<section id="weakenings"><h2>Settings that weaken this audit (${weak.length})</h2><ul>${weak.map((w) => `<li>${h(w)}</li>`).join("")}</ul></section>`,
    );
  return b;
}

function settingsSection(result: AuditResult): string[] {
  const st = result.settings;
  const b = [`<section id="settings"><h2>Scan settings</h2><table><tbody>`];
  const row = (k: string, v: string): void => void b.push(`<tr><th style="width:20%">${h(k)}</th><td>${v}</td></tr>`);
  row("Scanned root", `<code>${h(result.root)}</code>`);
  row("Policies", h(st.policies.join(", ") || "none"));
  row("Fail on", h(st.failOn));
  row("Offline", st.offline ? "yes" : "no");
  row("Organization (own)", h(st.organization.join(", ") || "none"));
  row("Extra knowledge", h(st.knowledge.join(", ") || "none"));
  if (st.baseline) row("Baseline", `<code>${h(st.baseline)}</code>`);
  if (st.hubUrl) row("Hub endpoint", `<code>${h(st.hubUrl)}</code>`);
  row("Tool", `aiprov ${h(result.tool.version)}, knowledge base ${h(result.tool.knowledgeBaseVersion)}`);
  row("Created", h(result.createdAt));
  for (const p of result.policies)
    if (Object.keys(p.parameters).length > 0)
      row(`Parameters of ${p.pack}`, `<code>${h(JSON.stringify(p.parameters))}</code>`);
  b.push(`</tbody></table>`);
  const cov = result.coverage;
  const skipped = Object.entries(cov.skippedByReason)
    .sort()
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  b.push(
    `<h3>Coverage</h3><p>${cov.filesSeen} files seen, ${cov.filesScanned} manifests read (${cov.bytesRead} bytes)${skipped ? `; skipped: ${h(skipped)}` : ""}.</p>`,
  );
  b.push(`<h3>Diagnostics (${result.diagnostics.length})</h3>`);
  if (result.diagnostics.length > 0) {
    b.push(
      `<table><thead><tr><th style="width:9%">Severity</th><th style="width:18%">Code</th><th style="width:28%">Where</th><th>Message</th></tr></thead><tbody>`,
    );
    for (const d of result.diagnostics)
      b.push(
        `<tr><td>${d.severity}</td><td><code>${h(d.code)}</code></td><td>${d.location ? pathCode(pinnedSource(d.location)) : ""}</td><td>${h(d.message)}</td></tr>`,
      );
    b.push(`</tbody></table>`);
  } else b.push(`<p>None.</p>`);
  b.push(`</section>`);
  return b;
}

/** Renders the result as one self-contained HTML document. Pure and deterministic. */
export function renderHtml(result: AuditResult): string {
  const g = indexGraph(result);
  const verdictText = VERDICT_LABEL[resultVerdict(result)];
  const hasPolicy = result.settings.policies.length > 0;
  const b: string[] = [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
  ];
  b.push(`<meta name="generator" content="aiprov ${h(result.tool.version)}">`);
  b.push(
    `<title>aiprov provenance report: ${h(result.root)} (${verdictText})</title>`,
    `<style>${CSS}</style>`,
    `</head>`,
    `<body>`,
  );
  b.push(...headerSection(result));
  if (hasPolicy) b.push(...packsSection(result), ...findingsSection(result, g));
  else
    b.push(
      `<section id="policies"><h2>Verdict</h2><p>No policy was applied: this report is an inventory and lineage only.</p></section>`,
    );
  b.push(...inventorySection(result), ...lineageSection(result, g), ...evidenceSection(result, g));
  if (hasPolicy) b.push(...rulesSection(result));
  b.push(...waiversSection(result, g), ...settingsSection(result), `</body>`, `</html>`);
  return `${b.join("\n")}\n`;
}
