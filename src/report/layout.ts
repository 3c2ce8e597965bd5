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
import { trimEndChars } from "../util/text.js";

/** Character width used to size boxes (px, for the 12px system sans-serif font the report's CSS sets). */
const CHAR_W = 7.2;
/** Width of a character of the 11px sub-lines. */
const SUB_CHAR_W = 6.4;
const NODE_H = 64;
/** Longest name line and sub-line, in characters (beyond them a name is cut in the middle, a publisher abbreviated). */
const NAME_MAX = 46;
const SUB_MAX = 54;

/** Cuts a long name in the middle (`Qwen2-Audio…-instruct`), keeping both ends, which tell names apart. */
function cutMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = Math.ceil((max - 1) / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`;
}

/**
 * The publisher line of a node box: `<publisher>, <country>`, at most `max` characters. The country is never cut:
 * a long publisher loses its parenthetical first (`Alibaba Cloud (Alibaba Group Holding Ltd.)` -> `Alibaba Cloud`),
 * then its end (`…`).
 */
export function publisherLabel(entity: string, country: string, max = SUB_MAX): string {
  const suffix = `, ${country}`;
  if (entity.length + suffix.length <= max) return `${entity}${suffix}`;
  const short = withoutParentheticals(entity);
  if (short.length > 0 && short.length + suffix.length <= max) return `${short}${suffix}`;
  const room = Math.max(4, max - suffix.length - 1);
  const base = short.length > 0 ? short : entity;
  return `${trimEndChars(base.slice(0, room).trimEnd(), ",;.").trimEnd()}…${suffix}`;
}

/** The text without its parenthesised parts (`A (B) C` -> `A C`). */
function withoutParentheticals(s: string): string {
  let out = "";
  let depth = 0;
  for (const ch of s) {
    if (ch === "(") depth++;
    else if (ch === ")" && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out.split(" ").filter(Boolean).join(" ");
}

/** The three lines of a node box: name, role (and kind of origin), publisher with country (or provider). */
export function nodeLabelLines(n: LineageNode): [string, string, string] {
  const role = `${n.role}${n.kind === "local" ? " · in the product" : n.kind === "hosted" ? " · hosted" : ""}`;
  const who = n.publisher
    ? publisherLabel(n.publisher.entity, n.publisher.country)
    : n.provider
      ? cutMiddle(n.provider.name, SUB_MAX)
      : n.kind === "local"
        ? ""
        : "publisher unknown";
  return [cutMiddle(n.name, NAME_MAX), cutMiddle(role, SUB_MAX), who];
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
export function drawLineageSvg(
  prefix: string,
  nodes: readonly LineageNode[],
  edges: readonly LineageEdge[],
  title: string,
): string {
  const g = new Graph({ multigraph: true, directed: true });
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 90, edgesep: 16, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const present = new Set(nodes.map((n) => n.id));
  for (const n of nodes) {
    const [name, role, who] = nodeLabelLines(n);
    const width = Math.max(name.length * (CHAR_W + 0.6), role.length * SUB_CHAR_W, who.length * SUB_CHAR_W) + 24;
    g.setNode(n.id, { width, height: NODE_H, label: n.name });
  }
  const drawn = edges.filter((e) => present.has(e.from) && present.has(e.to));
  for (const e of drawn)
    g.setEdge(e.from, e.to, { label: e.relation, width: e.relation.length * 6.6 + 8, height: 16, labelpos: "c" }, e.id);
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
    const le = g.edge({ v: e.from, w: e.to, name: e.id }) as
      { points?: { x: number; y: number }[]; x?: number; y?: number } | undefined;
    const pts = le?.points ?? [];
    const d = pts.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    parts.push(
      `<g class="edge rel-${e.relation} strength-${e.strength}" id="${svgEdgeId(prefix, e.id)}" data-from="${htmlEscape(e.from)}" data-to="${htmlEscape(e.to)}">` +
        `<title>${htmlEscape(`${e.relation} (${e.strength}), ${e.evidence.length} piece(s) of evidence`)}</title>` +
        `<path d="${d}" marker-end="url(#${prefix}-arrow)"/>` +
        (le?.x !== undefined && le.y !== undefined
          ? `<text x="${le.x.toFixed(1)}" y="${(le.y + 4).toFixed(1)}" text-anchor="middle">${htmlEscape(e.relation)}</text>`
          : "") +
        `</g>`,
    );
  }
  for (const n of nodes) {
    const ln = g.node(n.id) as { x: number; y: number; width: number; height: number };
    const x = ln.x - ln.width / 2;
    const y = ln.y - ln.height / 2;
    const [name, role, who] = nodeLabelLines(n);
    parts.push(
      `<g class="node ${n.kind} status-${n.status}" id="${svgNodeId(prefix, n.id)}" data-node="${htmlEscape(n.id)}">` +
        `<title>${htmlEscape(`${n.name} (${n.role}) · ${n.status}${n.repo ? ` · ${n.repo}` : ""}${n.publisher ? ` · ${n.publisher.entity}, ${n.publisher.country}` : ""}`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${ln.width.toFixed(1)}" height="${ln.height.toFixed(1)}" rx="${n.kind === "local" ? 4 : 14}"/>` +
        `<text x="${ln.x.toFixed(1)}" y="${(ln.y - 11).toFixed(1)}" text-anchor="middle" class="name">${htmlEscape(name)}</text>` +
        `<text x="${ln.x.toFixed(1)}" y="${(ln.y + 5).toFixed(1)}" text-anchor="middle" class="sub role">${htmlEscape(role)}</text>` +
        (who
          ? `<text x="${ln.x.toFixed(1)}" y="${(ln.y + 20).toFixed(1)}" text-anchor="middle" class="sub publisher">${htmlEscape(who)}</text>`
          : "") +
        `</g>`,
    );
  }
  parts.push(`</svg>`);
  return parts.join("\n");
}
