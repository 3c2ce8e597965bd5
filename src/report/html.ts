/**
 * HTML report for procurement: one self-contained file (inline CSS and SVG, no script, no external resource, so it
 * opens offline and files as one document). Sections: the verdict per pack, rules with the source each encodes, the
 * inventory of every component, a lineage graph per product component (laid out by dagre, see `layout.ts`), the
 * findings, the evidence table with each source pinned (file and line, or Hub repo and commit), waivers with owner
 * and expiry, the scan's settings, coverage and diagnostics. Print-friendly (`@media print`).
 */
import type { AuditResult, Evidence, LineageEdge, LineageNode } from "../model/types.js";
import {
  VERDICT_LABEL,
  STATUS_LABEL,
  hubFileUrl,
  indexGraph,
  pathNames,
  pinnedSource,
  primaryLocation,
  productRoots,
  subgraphOf,
  weakeningLines,
} from "./common.js";
import { packVerdict, resultVerdict, sortedFindings } from "../policy/verdict.js";
import { htmlEscape as h } from "./html-escape.js";
import { drawLineageSvg } from "./layout.js";
import { reasonText } from "./text.js";

const CSS = `
:root{--fg:#1d2939;--muted:#667085;--line:#d0d5dd;--bad:#b42318;--badbg:#fde2e1;--warn:#b54708;--warnbg:#fff4d6;--ok:#067647;--okbg:#e3f6e8}
*{box-sizing:border-box}
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans KR",sans-serif;color:var(--fg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:14px;margin:18px 0 6px}
.meta{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}th{background:#f2f4f7}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.verdict{display:inline-block;font-weight:700;padding:2px 10px;border-radius:4px}
.verdict.fail,.status-third-party td.status{background:var(--badbg);color:var(--bad)}
.verdict.pass{background:var(--okbg);color:var(--ok)}.verdict.no-policy{background:#f2f4f7}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-note{color:#175cd3}
.undetermined{color:var(--warn)}
.graph{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:8px;margin:6px 0 14px;page-break-inside:avoid;break-inside:avoid}
svg.lineage{max-width:100%;height:auto;font:12px system-ui,sans-serif}
svg.lineage .node rect{fill:#fff;stroke:#475467;stroke-width:1.2}
svg.lineage .node.status-third-party rect{fill:var(--badbg);stroke:var(--bad)}
svg.lineage .node.status-undetermined rect{fill:var(--warnbg);stroke:var(--warn)}
svg.lineage .node.status-no-third-party-lineage rect,svg.lineage .node.status-own rect{fill:var(--okbg);stroke:var(--ok)}
svg.lineage .node .name{font-weight:600;fill:var(--fg)}svg.lineage .node .sub{fill:var(--muted);font-size:11px}
svg.lineage .edge path{fill:none;stroke:#475467;stroke-width:1.3}svg.lineage .edge.strength-structural path{stroke-dasharray:5 4}
svg.lineage .edge text{fill:#344054;font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg.lineage .arrow{fill:#475467}
.legend{color:var(--muted);font-size:12px}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}tr,.finding{break-inside:avoid}a{color:inherit;text-decoration:none}.graph{border:none}}
`;

function link(url: string | undefined, text: string): string {
  return url && /^https?:\/\//.test(url) ? `<a href="${h(url)}">${h(text)}</a>` : h(text);
}

function source(e: Evidence, hubUrl: string | undefined): string {
  const l = e.location;
  if (l.hub) return `Hub ${link(hubFileUrl(l, hubUrl), `${l.hub.repo}@${l.hub.revision ?? "(no revision)"}`)} <code>${h(l.file)}</code>`;
  const kb = e.code.startsWith("knowledge-base") ? " <span class=\"meta\">(aiprov knowledge base)</span>" : "";
  return `<code>${h(l.file)}${l.line !== undefined ? `:${l.line}` : ""}${l.column !== undefined && l.line !== undefined ? `:${l.column}` : ""}</code>${l.pointer ? ` <code>${h(l.pointer)}</code>` : ""}${kb}`;
}

function nodeWhere(n: LineageNode): string {
  if (n.location) return `<code>${h(pinnedSource(n.location))}</code>`;
  if (n.repo) return `Hub <code>${h(n.repo)}${n.revision ? `@${h(n.revision)}` : ""}</code>`;
  if (n.repos?.length) return `released in ${n.repos.map((r) => `<code>${h(r)}</code>`).join(", ")}`;
  return "";
}

/** Renders the result as one self-contained HTML document. Pure and deterministic. */
export function renderHtml(result: AuditResult): string {
  const g = indexGraph(result);
  const s = result.summary;
  const hubUrl = result.settings.hubUrl;
  const b: string[] = [];
  const verdict = resultVerdict(result);
  const verdictText = VERDICT_LABEL[verdict];
  b.push(`<!DOCTYPE html>`, `<html lang="en">`, `<head>`, `<meta charset="utf-8">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`);
  b.push(`<meta name="generator" content="aiprov ${h(result.tool.version)}">`);
  b.push(`<title>aiprov provenance report: ${h(result.root)} (${verdictText})</title>`, `<style>${CSS}</style>`, `</head>`, `<body>`);
  b.push(`<header><h1>AI provenance report: <code>${h(result.root)}</code></h1>`);
  b.push(
    `<p class="meta">aiprov ${h(result.tool.version)} · knowledge base ${h(result.tool.knowledgeBaseVersion)} · ${h(result.createdAt)} · report format ${h(result.schemaVersion)}</p>`,
  );
  b.push(
    `<p>Verdict: <span class="verdict ${verdict}" id="verdict">${verdictText}</span> · ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.note} note${s.waived ? `, ${s.waived} waived` : ""} · ${s.undetermined} undetermined · ${s.components} components, ${s.references} references</p></header>`,
  );

  // Verdict per pack and its rules.
  b.push(`<section id="policies"><h2>Verdict per rule pack</h2>`);
  if (result.policies.length === 0) b.push(`<p>No policy was applied: this report is an inventory and lineage only.</p>`);
  else {
    b.push(`<table><thead><tr><th>Pack</th><th>Version</th><th>Verdict</th><th>Errors</th><th>Warnings</th><th>Notes</th><th>Waived</th></tr></thead><tbody>`);
    for (const p of result.policies) {
      const fs = result.findings.filter((f) => f.pack === p.pack);
      const n = (sev: string): number => fs.filter((f) => f.severity === sev && !f.waived).length;
      const v = packVerdict(result, p);
      b.push(`<tr id="pack-${h(p.pack)}"><td><b>${h(p.pack)}</b></td><td>${h(p.version)}</td><td><span class="verdict ${v}">${v.toUpperCase()}</span></td><td>${n("error")}</td><td>${n("warning")}</td><td>${n("note")}</td><td>${fs.filter((f) => f.waived).length}</td></tr>`);
    }
    b.push(`</tbody></table>`);
    for (const p of result.policies) {
      b.push(`<h3>Rules of ${h(p.pack)}</h3><table><thead><tr><th>Rule</th><th>Severity</th><th>Findings</th><th>What it checks</th><th>Source</th></tr></thead><tbody>`);
      for (const r of p.rules) {
        const count = result.findings.filter((f) => f.pack === p.pack && f.rule === r.id).length;
        b.push(
          `<tr id="rule-${h(p.pack)}-${h(r.id)}"><td><b>${h(r.id)}</b><br>${h(r.title)}</td><td class="sev-${r.severity}">${r.severity}</td><td>${count}</td><td>${h(r.description.trim())}${r.howToFix ? `<br><i>How to fix:</i> ${h(r.howToFix.trim())}` : ""}</td><td>${link(r.source.url, r.source.title)}</td></tr>`,
        );
      }
      b.push(`</tbody></table>`);
    }
  }
  b.push(`</section>`);

  // Inventory.
  b.push(`<section id="inventory"><h2>Inventory (${result.lineage.nodes.length} components)</h2>`);
  b.push(`<table><thead><tr><th>Component</th><th>Kind</th><th>Role</th><th>Status</th><th>Publisher</th><th>Country</th><th>Licence</th><th>Where</th></tr></thead><tbody>`);
  for (const n of result.lineage.nodes) {
    const reason = n.statusReason ? `: ${h(reasonText(n.statusReason))}` : "";
    const checked = n.status === "no-third-party-lineage" && n.checked?.length ? `<br><span class="meta">checked: ${h(n.checked.join("; "))}</span>` : "";
    b.push(
      `<tr class="status-${n.status}"><td><b>${h(n.name)}</b>${n.inProduct ? "" : ` <span class="meta">(upstream)</span>`}</td><td>${n.kind}</td><td>${n.role}</td><td class="status">${STATUS_LABEL[n.status]}${reason}${checked}</td><td>${n.publisher ? h(n.publisher.entity) : ""}</td><td>${n.publisher ? h(n.publisher.country) : ""}</td><td>${h(n.license ?? "")}</td><td>${nodeWhere(n)}</td></tr>`,
    );
  }
  if (result.lineage.nodes.length === 0) b.push(`<tr><td colspan="8">No model or model component found.</td></tr>`);
  b.push(`</tbody></table></section>`);

  // Lineage graphs: one per product component, then whatever no product component reaches.
  b.push(`<section id="lineage"><h2>Lineage per product component</h2>`);
  b.push(`<p class="legend">Arrows point from a component to what it derives from. Solid: declared or weight evidence; dashed: configuration equality only (architecture, says nothing about weights). Red: third-party origin found; amber: undetermined; green: no third-party lineage found.</p>`);
  const drawnNodes = new Set<string>();
  const drawnEdges = new Set<string>();
  productRoots(result, g).forEach((root, i) => {
    const sub = subgraphOf(root.id, g);
    const nodes = sub.nodes.map((id) => g.nodes.get(id)).filter((n): n is LineageNode => n !== undefined);
    for (const n of nodes) drawnNodes.add(n.id);
    for (const e of sub.edges) drawnEdges.add(e.id);
    b.push(`<h3>${h(root.name)} <span class="meta">(${h(root.role)}${root.location ? `, ${h(pinnedSource(root.location))}` : ""})</span></h3>`);
    b.push(`<div class="graph">${drawLineageSvg(`g${i}`, nodes, sub.edges, `Lineage of ${root.name}`)}</div>`);
  });
  const restEdges: LineageEdge[] = result.lineage.edges.filter((e) => !drawnEdges.has(e.id));
  const restIds = new Set([...result.lineage.nodes.filter((n) => !drawnNodes.has(n.id)).map((n) => n.id), ...restEdges.flatMap((e) => [e.from, e.to])]);
  if (restIds.size > 0) {
    b.push(`<h3>Other lineage <span class="meta">(not reached from a product component)</span></h3>`);
    b.push(`<div class="graph">${drawLineageSvg("gx", result.lineage.nodes.filter((n) => restIds.has(n.id)), restEdges, "Other lineage")}</div>`);
  }
  if (result.lineage.nodes.length === 0) b.push(`<p>No lineage to draw.</p>`);
  b.push(`</section>`);

  // Findings.
  if (result.settings.policies.length > 0) {
    b.push(`<section id="findings"><h2>Findings (${result.findings.length})</h2>`);
    if (result.findings.length === 0) b.push(`<p>No findings.</p>`);
    for (const f of sortedFindings(result.findings)) {
      const at = primaryLocation(f, g);
      b.push(`<div class="finding" id="finding-${h(f.id)}"><h3><span class="sev-${f.severity}">${f.severity}</span> ${h(f.pack)}/${h(f.rule)}${f.verdict === "undetermined" ? ` <span class="undetermined">(undetermined)</span>` : ""}${f.waived ? ` <span class="meta">(waived)</span>` : ""}</h3>`);
      b.push(`<p>${h(f.message.text)}</p>`);
      b.push(`<p class="meta">${at ? `At <code>${h(pinnedSource(at))}</code> · ` : ""}lineage: ${h(pathNames(f, g).join(" → "))}</p>`);
      if (f.howToFix) b.push(`<p><i>How to fix:</i> ${h(f.howToFix.trim())}</p>`);
      b.push(`<table><thead><tr><th>Strength</th><th>Evidence</th><th>Source</th><th>Text read</th></tr></thead><tbody>`);
      for (const e of f.evidence) b.push(`<tr><td>${e.strength}</td><td><code>${h(e.code)}</code></td><td>${source(e, hubUrl)}</td><td><code>${h(e.raw ?? "")}</code></td></tr>`);
      b.push(`</tbody></table></div>`);
    }
    b.push(`</section>`);
  }

  // Evidence table: every lineage edge's evidence.
  b.push(`<section id="evidence"><h2>Evidence for every lineage edge</h2>`);
  b.push(`<table><thead><tr><th>Component</th><th>Relation</th><th>Derives from</th><th>Strength</th><th>Evidence</th><th>Source (pinned)</th><th>Text read</th></tr></thead><tbody>`);
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

  // Waivers.
  const waived = result.findings.filter((f) => f.waived);
  b.push(`<section id="waivers"><h2>Waivers (${waived.length})</h2>`);
  if (waived.length === 0) b.push(`<p>No finding was waived.</p>`);
  else {
    b.push(`<table><thead><tr><th>Finding</th><th>Component</th><th>Reason</th><th>Comment</th><th>Owner</th><th>Expires</th></tr></thead><tbody>`);
    for (const f of waived) {
      const w = f.waived!;
      b.push(`<tr><td><a href="#finding-${h(f.id)}">${h(f.pack)}/${h(f.rule)}</a></td><td>${h(g.nodes.get(f.node)?.name ?? f.node)}</td><td>${h(w.reason)}</td><td>${h(w.comment)}</td><td>${h(w.owner)}</td><td>${h(w.expires ?? "never")}</td></tr>`);
    }
    b.push(`</tbody></table>`);
  }
  b.push(`</section>`);

  // Settings that weaken the audit (waivers, excludes, knowledge overrides, ...), whenever there is one.
  const weak = weakeningLines(result);
  if (weak.length > 0) b.push(`<section id="weakenings"><h2>Settings that weaken this audit (${weak.length})</h2><ul>${weak.map((w) => `<li>${h(w)}</li>`).join("")}</ul></section>`);

  // Settings, coverage, diagnostics.
  const st = result.settings;
  b.push(`<section id="settings"><h2>Scan settings</h2><table><tbody>`);
  const row = (k: string, v: string): void => void b.push(`<tr><th>${h(k)}</th><td>${v}</td></tr>`);
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
  for (const p of result.policies) if (Object.keys(p.parameters).length > 0) row(`Parameters of ${p.pack}`, `<code>${h(JSON.stringify(p.parameters))}</code>`);
  b.push(`</tbody></table>`);
  const cov = result.coverage;
  const skipped = Object.entries(cov.skippedByReason).sort().map(([k, v]) => `${v} ${k}`).join(", ");
  b.push(`<h3>Coverage</h3><p>${cov.filesSeen} files seen, ${cov.filesScanned} manifests read (${cov.bytesRead} bytes)${skipped ? `; skipped: ${h(skipped)}` : ""}.</p>`);
  b.push(`<h3>Diagnostics (${result.diagnostics.length})</h3>`);
  if (result.diagnostics.length > 0) {
    b.push(`<table><thead><tr><th>Severity</th><th>Code</th><th>Where</th><th>Message</th></tr></thead><tbody>`);
    for (const d of result.diagnostics) b.push(`<tr><td>${d.severity}</td><td><code>${h(d.code)}</code></td><td>${d.location ? `<code>${h(pinnedSource(d.location))}</code>` : ""}</td><td>${h(d.message)}</td></tr>`);
    b.push(`</tbody></table>`);
  } else b.push(`<p>None.</p>`);
  b.push(`</section>`, `</body>`, `</html>`);
  return `${b.join("\n")}\n`;
}
