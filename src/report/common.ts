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

/** Where a component's identity lives: a Hugging Face Hub repo, a ModelScope repo, a provider's API, or neither. */
export type ComponentHub = "huggingface" | "modelscope" | "hosted" | "none";

/**
 * One component of every report: the lineage nodes that name one model identity. `id` is the representative node's
 * id (the component's ref in every format); `nodes` are all the nodes folded into it, the representative first.
 */
export interface ComponentGroup {
  id: string;
  key: string;
  hub: ComponentHub;
  /** The repo id as the component is named: the Hub's spelling where a resolved node carries it, else the first seen. */
  repo?: string;
  nodes: LineageNode[];
  /** True when any folded node is part of the product. */
  inProduct: boolean;
}

/** The components of a result and, for every node id, the id of the component it belongs to. */
export interface ComponentIndex {
  groups: ComponentGroup[];
  canon: Map<string, string>;
  byId: Map<string, ComponentGroup>;
}

/** The expression text of an unresolved reference node, or undefined for any other node. */
function unresolvedRaw(n: LineageNode): string | undefined {
  if (n.repo || n.statusReason?.code !== "unresolved-reference") return undefined;
  return String(n.statusReason.args?.raw ?? n.name).replace(/\s+/g, " ");
}

/** True when every reference of a node that the result lists is a ModelScope id (`modelscope.snapshot_download`). */
function namesModelScope(n: LineageNode, kinds: ReadonlyMap<string, string>): boolean {
  const ks = (n.references ?? []).map((r) => kinds.get(r)).filter((k): k is string => k !== undefined);
  return ks.length > 0 && ks.every((k) => k === "modelscope-id");
}

/** `org/name` with one slash, each side a Hub name (letters, digits, `-_.`): the shape of a Hub or ModelScope id. */
function isRepoId(s: string): boolean {
  return /^[\w.-]+\/[\w.-]+$/.test(s) && !s.startsWith(".") && !s.includes("..");
}

/**
 * The identity key of a node, the one function every report folds components with:
 * - a Hub repo: `huggingface:<repo, lower case>` (Hub ids are case-insensitive: `qwen/Qwen-VL-Chat` and
 *   `Qwen/Qwen-VL-Chat` are one repo), plus the role suffix of a part node (`//vision-encoder`);
 * - a model at a provider's API: `hosted:<provider>/<model, lower case>`;
 * - an unresolved reference that only ModelScope loaders read: `modelscope:<id, lower case>` (a ModelScope repo is
 *   not a Hugging Face one, even under the same name);
 * - another unresolved reference: the Hub repo of the scan whose id equals its text, or whose name equals it when
 *   exactly one Hub repo of the scan has that name (`vicuna-7b-v1.5` beside `lmsys/vicuna-7b-v1.5`), else
 *   `ref:<expression text>` (one expression, wherever it is read);
 * - anything else (a local component, a known component): its node id.
 */
export function componentKey(
  n: LineageNode,
  ctx: { referenceKinds: ReadonlyMap<string, string>; hubByName: ReadonlyMap<string, string | null> },
): { key: string; hub: ComponentHub } {
  if (n.repo) {
    const role = n.id.indexOf("//");
    return { key: `huggingface:${n.repo.toLowerCase()}${role >= 0 ? n.id.slice(role) : ""}`, hub: "huggingface" };
  }
  if (n.kind === "hosted" && n.provider)
    return { key: `hosted:${n.provider.id}/${n.name.toLowerCase()}`, hub: "hosted" };
  const raw = unresolvedRaw(n);
  if (raw === undefined) return { key: n.id, hub: "none" };
  if (isRepoId(raw) && namesModelScope(n, ctx.referenceKinds))
    return { key: `modelscope:${raw.toLowerCase()}`, hub: "modelscope" };
  const hubRepo = ctx.hubByName.get(raw.toLowerCase());
  if (hubRepo) return { key: `huggingface:${hubRepo.toLowerCase()}`, hub: "huggingface" };
  return { key: `ref:${raw}`, hub: "none" };
}

/** Rank of a node as a group's representative: a node resolved on the Hub, then any Hub node, then the rest. */
function representativeRank(n: LineageNode): number {
  if (n.repo && (n.revision || n.releaseTime)) return 0;
  if (n.repo) return 1;
  return 2;
}

const componentIndexes = new WeakMap<AuditResult, ComponentIndex>();

/**
 * The components of a result, by {@link componentKey}: node order kept (a group sits where its first node is), the
 * representative of each group the node the Hub resolved (its spelling is the Hub's), else the Hub node most
 * references name (the spelling the project uses most), else the first node. Every
 * report (CycloneDX, SPDX, HTML, Markdown, text) lists and counts these, so their counts agree. Computed once per
 * result object.
 */
export function componentIndex(result: AuditResult): ComponentIndex {
  const cached = componentIndexes.get(result);
  if (cached) return cached;
  const referenceKinds = new Map((result.references ?? []).map((r) => [r.id, r.kind as string]));
  // Hub repos by full id and by name (null when two repos share the name).
  const hubByName = new Map<string, string | null>();
  for (const n of result.lineage.nodes) {
    if (!n.repo || n.id.includes("//")) continue;
    const lower = n.repo.toLowerCase();
    hubByName.set(lower, n.repo);
    const short = lower.slice(lower.indexOf("/") + 1);
    if (short !== lower) {
      const prev = hubByName.get(short);
      hubByName.set(short, prev === undefined || prev?.toLowerCase() === lower ? n.repo : null);
    }
  }
  const ctx = { referenceKinds, hubByName };
  const byKey = new Map<string, ComponentGroup>();
  const groups: ComponentGroup[] = [];
  for (const n of result.lineage.nodes) {
    const { key, hub } = componentKey(n, ctx);
    let g = byKey.get(key);
    if (!g) {
      g = { id: n.id, key, hub, nodes: [], inProduct: false };
      byKey.set(key, g);
      groups.push(g);
    }
    g.nodes.push(n);
    g.inProduct ||= n.inProduct;
  }
  const canon = new Map<string, string>();
  const byId = new Map<string, ComponentGroup>();
  for (const g of groups) {
    const rep = [...g.nodes].sort(
      (a, b) =>
        representativeRank(a) - representativeRank(b) || (b.references?.length ?? 0) - (a.references?.length ?? 0),
    )[0]!;
    g.nodes = [rep, ...g.nodes.filter((x) => x !== rep)];
    g.id = rep.id;
    const repo = rep.repo ?? (g.hub === "modelscope" ? unresolvedRaw(rep) : undefined);
    if (repo) g.repo = repo;
    for (const n of g.nodes) canon.set(n.id, g.id);
    byId.set(g.id, g);
  }
  const index = { groups, canon, byId };
  componentIndexes.set(result, index);
  return index;
}

/**
 * The component counts every report prints: all components, those the product uses (in the tree, loaded from a
 * hub, reached over an API, or named by an unresolved expression) and the upstream ones only its lineage reaches.
 */
export function componentCounts(result: AuditResult): {
  total: number;
  inProduct: number;
  local: number;
  hosted: number;
  upstream: number;
} {
  const { groups } = componentIndex(result);
  const product = groups.filter((g) => g.inProduct);
  return {
    total: groups.length,
    inProduct: product.length,
    local: product.filter((g) => g.nodes[0]!.kind === "local").length,
    hosted: product.filter((g) => g.nodes[0]!.kind === "hosted").length,
    upstream: groups.length - product.length,
  };
}
