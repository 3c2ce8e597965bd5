/**
 * Lays out a lineage subgraph with dagre (@dagrejs/dagre: the Sugiyama-style layered layout of dagre-d3 and
 * Mermaid, pure JavaScript, run at report time) and draws it as an inline SVG string: one `<g>` per node and per
 * edge, each with an element id (`<prefix>-node-<hash>`, `<prefix>-edge-<edge id>`) so tests and readers can find
 * every component and every lineage edge of the result.
 */
import { Graph, layout } from "@dagrejs/dagre";
import type { LineageEdge, LineageNode } from "../model/types.js";
import { nodeDomId } from "./common.js";
import { htmlEscape } from "./html-escape.js";

/** Character width used to size boxes (px, for the 13px system sans-serif font the report's CSS sets). */
const CHAR_W = 7.2;
const NODE_H = 54;

function wrap(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Element id of a node in the graph drawn with `prefix`. */
export function svgNodeId(prefix: string, nodeId: string): string {
  return `${prefix}-node-${nodeDomId(nodeId)}`;
}

/** Element id of an edge in the graph drawn with `prefix`. */
export function svgEdgeId(prefix: string, edgeId: string): string {
  return `${prefix}-edge-${edgeId}`;
}

/**
 * Draws nodes and edges (edges whose ends are not both in `nodes` are skipped) as an SVG element string laid out
 * left to right (derived component on the left, its origin on the right). `prefix` must be unique in the page.
 */
export function drawLineageSvg(prefix: string, nodes: readonly LineageNode[], edges: readonly LineageEdge[], title: string): string {
  const g = new Graph({ multigraph: true, directed: true });
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 90, edgesep: 16, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const present = new Set(nodes.map((n) => n.id));
  for (const n of nodes) {
    const line1 = wrap(n.name, 44);
    const line2 = wrap(`${n.role}${n.publisher ? ` · ${n.publisher.entity}, ${n.publisher.country}` : ""}`, 52);
    const width = Math.max(line1.length * (CHAR_W + 0.6), line2.length * (CHAR_W - 0.8)) + 24;
    g.setNode(n.id, { width, height: NODE_H, label: n.name });
  }
  const drawn = edges.filter((e) => present.has(e.from) && present.has(e.to));
  for (const e of drawn) g.setEdge(e.from, e.to, { label: e.relation, width: e.relation.length * 6.6 + 8, height: 16, labelpos: "c" }, e.id);
  layout(g);
  const gw = Math.ceil(g.graph().width ?? 100);
  const gh = Math.ceil(g.graph().height ?? 60);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="lineage" id="${prefix}" role="img" aria-labelledby="${prefix}-title" viewBox="0 0 ${gw} ${gh}" width="${gw}" height="${gh}">`,
    `<title id="${prefix}-title">${htmlEscape(title)}</title>`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>`,
  );
  for (const e of drawn) {
    const le = g.edge({ v: e.from, w: e.to, name: e.id }) as { points?: { x: number; y: number }[]; x?: number; y?: number } | undefined;
    const pts = le?.points ?? [];
    const d = pts.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    parts.push(
      `<g class="edge rel-${e.relation} strength-${e.strength}" id="${svgEdgeId(prefix, e.id)}" data-from="${htmlEscape(e.from)}" data-to="${htmlEscape(e.to)}">` +
        `<title>${htmlEscape(`${e.relation} (${e.strength}), ${e.evidence.length} piece(s) of evidence`)}</title>` +
        `<path d="${d}" marker-end="url(#${prefix}-arrow)"/>` +
        (le?.x !== undefined && le.y !== undefined ? `<text x="${le.x.toFixed(1)}" y="${(le.y + 4).toFixed(1)}" text-anchor="middle">${htmlEscape(e.relation)}</text>` : "") +
        `</g>`,
    );
  }
  for (const n of nodes) {
    const ln = g.node(n.id) as { x: number; y: number; width: number; height: number };
    const x = ln.x - ln.width / 2;
    const y = ln.y - ln.height / 2;
    const sub = `${n.role}${n.publisher ? ` · ${n.publisher.entity}, ${n.publisher.country}` : ""}`;
    parts.push(
      `<g class="node ${n.kind} status-${n.status}" id="${svgNodeId(prefix, n.id)}" data-node="${htmlEscape(n.id)}">` +
        `<title>${htmlEscape(`${n.name} (${n.role}) · ${n.status}${n.repo ? ` · ${n.repo}` : ""}`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${ln.width.toFixed(1)}" height="${ln.height.toFixed(1)}" rx="${n.kind === "local" ? 4 : 14}"/>` +
        `<text x="${ln.x.toFixed(1)}" y="${(ln.y - 4).toFixed(1)}" text-anchor="middle" class="name">${htmlEscape(wrap(n.name, 44))}</text>` +
        `<text x="${ln.x.toFixed(1)}" y="${(ln.y + 14).toFixed(1)}" text-anchor="middle" class="sub">${htmlEscape(wrap(sub, 52))}</text>` +
        `</g>`,
    );
  }
  parts.push(`</svg>`);
  return parts.join("\n");
}
