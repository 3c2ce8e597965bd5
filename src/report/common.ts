/**
 * Helpers shared by the reporters: graph indexes over the lineage, the product components and their origins, the
 * location a reviewer should look at first, verdicts per pack. Pure functions of the {@link AuditResult}.
 */
import type {
  AuditWeakening,
  AuditResult,
  Evidence,
  Finding,
  LineageEdge,
  LineageNode,
  PolicyRun,
  SourceLocation,
} from "../model/types.js";
import { stableId } from "../util/hash.js";
import { trimEndChars } from "../util/text.js";

/** Indexes over the lineage graph: nodes by id, edges leaving and entering each node. */
export interface GraphIndex {
  nodes: Map<string, LineageNode>;
  out: Map<string, LineageEdge[]>;
  in: Map<string, LineageEdge[]>;
}

/** Builds the {@link GraphIndex} of a result (edges keep the result's order). */
export function indexGraph(result: AuditResult): GraphIndex {
  const nodes = new Map(result.lineage.nodes.map((n) => [n.id, n]));
  const out = new Map<string, LineageEdge[]>();
  const inn = new Map<string, LineageEdge[]>();
  for (const e of result.lineage.edges) {
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
    inn.set(e.to, [...(inn.get(e.to) ?? []), e]);
  }
  return { nodes, out, in: inn };
}

/** Element-id-safe short id of a lineage node (hex; the node ids themselves hold `:`, `/` and `#`). */
export function nodeDomId(nodeId: string): string {
  return stableId(["node", nodeId], 12);
}

/** True for `component-of` edges between two nodes of the tree (a nested config inside its model). */
export function isLocalPartEdge(e: LineageEdge, g: GraphIndex): boolean {
  return e.relation === "component-of" && g.nodes.get(e.from)?.kind === "local" && g.nodes.get(e.to)?.kind === "local";
}

/**
 * The product's top-level components: local nodes that are not a part of another local node, then upstream nodes the
 * product loads directly. Each is the root of one drawn lineage graph.
 */
export function productRoots(result: AuditResult, g: GraphIndex = indexGraph(result)): LineageNode[] {
  const parts = new Set(result.lineage.edges.filter((e) => isLocalPartEdge(e, g)).map((e) => e.from));
  const locals = result.lineage.nodes.filter((n) => n.kind === "local" && !parts.has(n.id));
  const direct = result.lineage.nodes.filter((n) => n.kind === "upstream" && n.inProduct);
  return [...locals, ...direct];
}

/**
 * Node ids of the subgraph drawn for one product root: the root, its parts (recursively: a local model's nested
 * configs, a checkpoint's known parts), and every node reachable from those along lineage edges. Returned in
 * discovery order (breadth first), with the edges among them.
 */
export function subgraphOf(rootId: string, g: GraphIndex): { nodes: string[]; edges: LineageEdge[] } {
  const seen = new Set<string>([rootId]);
  const queue = [rootId];
  const edges: LineageEdge[] = [];
  const edgeSeen = new Set<string>();
  const add = (e: LineageEdge, next: string): void => {
    if (!edgeSeen.has(e.id)) {
      edgeSeen.add(e.id);
      edges.push(e);
    }
    if (!seen.has(next)) {
      seen.add(next);
      queue.push(next);
    }
  };
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const e of g.out.get(id) ?? []) add(e, e.to);
    // Parts point at their model with component-of; walk those edges backwards to draw the parts too.
    for (const e of g.in.get(id) ?? []) if (e.relation === "component-of") add(e, e.from);
  }
  return { nodes: [...seen], edges };
}

/** Where a node comes from: its direct upstream edges (not its place inside a local model). */
export function originEdges(nodeId: string, g: GraphIndex): LineageEdge[] {
  return (g.out.get(nodeId) ?? []).filter((e) => !isLocalPartEdge(e, g));
}

/** Human text for a lineage node's status. */
export const STATUS_LABEL: Record<LineageNode["status"], string> = {
  own: "own",
  "third-party": "third-party origin found",
  "no-third-party-lineage": "no third-party lineage found",
  undetermined: "undetermined",
};

/** True when a location points into the scanned tree (not the Hub and not the bundled knowledge base). */
export function isInTree(l: SourceLocation | undefined, evidenceCode?: string): boolean {
  if (!l || l.hub) return false;
  if (evidenceCode?.startsWith("knowledge-base")) return false;
  return l.file.length > 0;
}

/**
 * The location a reviewer should open first for a finding: its own location when it has a line, else the first
 * in-tree evidence with a line (the config key), else its own location, else the first in-tree evidence, else the
 * finding node's location.
 */
export function primaryLocation(f: Finding, g: GraphIndex): SourceLocation | undefined {
  const own = f.location && isInTree(f.location) ? f.location : undefined;
  if (own?.line !== undefined) return own;
  const inTree = f.evidence.filter((e) => isInTree(e.location, e.code));
  return (
    inTree.find((e) => e.location.line !== undefined)?.location ??
    own ??
    inTree[0]?.location ??
    g.nodes.get(f.node)?.location
  );
}

/** Hub page of a file at a revision (`https://huggingface.co/<repo>/blob/<rev>/<file>`), for Hub-pinned evidence. */
export function hubFileUrl(l: SourceLocation, hubUrl = "https://huggingface.co"): string | undefined {
  if (!l.hub) return undefined;
  const file = l.file.split("/").map(encodeURIComponent).join("/");
  return `${trimEndChars(hubUrl, "/")}/${l.hub.repo}/blob/${encodeURIComponent(l.hub.revision ?? "main")}/${file}`;
}

/** `Hub repo@revision:file` or `file:line pointer`: the pinned source of a piece of evidence, as one string. */
export function pinnedSource(l: SourceLocation): string {
  if (l.hub) return `${l.hub.repo}@${l.hub.revision ?? "(no revision)"}:${l.file}`;
  return `${l.file}${l.line !== undefined ? `:${l.line}` : ""}${l.column !== undefined && l.line !== undefined ? `:${l.column}` : ""}${l.pointer ? ` ${l.pointer}` : ""}`;
}

/** The verdict as the reports' headers print it. */
export const VERDICT_LABEL: Record<"pass" | "fail" | "no-policy", string> = {
  fail: "FAIL",
  pass: "PASS",
  "no-policy": "no policy applied",
};

/** Display names along a finding's lineage path. */
export function pathNames(f: Finding, g: GraphIndex): string[] {
  return f.path.map((id) => g.nodes.get(id)?.name ?? id);
}

/** One line per piece of evidence: `strength code at source "raw"` (raw shortened to `max` characters). */
export function evidenceText(e: Evidence, max = 160): string {
  const raw = e.raw ? ` "${e.raw.length > max ? `${e.raw.slice(0, max - 3)}...` : e.raw}"` : "";
  return `${e.strength} ${e.code} at ${pinnedSource(e.location)}${raw}`;
}

/** Rule metadata by `pack/rule` id. */
export function rulesById(result: AuditResult): Map<string, PolicyRun["rules"][number] & { pack: string }> {
  const m = new Map<string, PolicyRun["rules"][number] & { pack: string }>();
  for (const p of result.policies) for (const r of p.rules) m.set(`${p.pack}/${r.id}`, { ...r, pack: p.pack });
  return m;
}

/** Label of a weakening kind, for every report. */
const WEAKENING_LABEL: Record<AuditWeakening["kind"], string> = {
  waiver: "waiver",
  exclude: "excluded from the scan",
  include: "scan limited to",
  "knowledge-override": "knowledge entry replacing a bundled fact",
  parameter: "pack parameter changed from its default",
  "fail-on": "fail-on",
  "hub-url": "Hub endpoint chosen by the project's config",
  offline: "Hub lookups turned off by the config",
  "project-setting": "setting chosen by the project's config",
};

/**
 * One line per setting that weakens the audit: `<kind>: <setting> (from <source>, <origin>)[: justification]`.
 * `origin` reads `the project's own config` for a config found in the scanned project (untrusted).
 */
export function weakeningLines(result: AuditResult): string[] {
  return (result.settings.weakenings ?? []).map((w) => {
    const who =
      w.origin === "project"
        ? "the project's own config"
        : w.origin === "command-line"
          ? "command line"
          : "the auditor's file";
    const from = w.source === "command line" ? who : `${w.source}, ${who}`;
    return `${WEAKENING_LABEL[w.kind]}: ${w.setting} (from ${from})${w.justification ? `: ${w.justification}` : ""}`;
  });
}
