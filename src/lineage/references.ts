/**
 * The references pass of the lineage: every reference the extractors found becomes an edge or a node.
 * - a load of a Hub id, a hosted model or an in-tree folder: an edge from the component that declares it (if any) to
 *   that node, and the node keeps every place that names it (`references`, `locations`);
 * - a write: lineage for the in-tree folder it wrote, from the model it derived from;
 * - a reference that resolves to nothing: one `ref:` node per unresolved value (a value read at run time per enclosing
 *   function and file, a literal wherever it is written), or, with a subject, an open question on that component;
 * - names (a family key, a patched architecture), transforms and values that cannot name a model add nothing.
 */
import type { Evidence, ModelReference } from "../model/types.js";
import { parseHubId } from "../util/hub-id.js";
import { hasPathPrefix, isAbsolutePath } from "../util/path-shape.js";
import { PART_ROLES, type GraphBuilder } from "./graph.js";
import { toPublisher } from "../resolve/knowledge/knowledge-base.js";
import type { CheckedLog } from "./knowledge-evidence.js";
import type { ComponentRole } from "../model/types.js";

/** Roles a reference gives only to what it loads from a repo, never to the repo's node (the repo is the model). */
const NOT_NODE_ROLES: ReadonlySet<ComponentRole> = new Set(["model", "tokenizer", "processor"]);

/** References that leave a component's origin open (component node id -> references). */
export type UnresolvedLog = Map<string, ModelReference[]>;

/** The evidence a reference gives the edge it draws. */
function referenceEvidence(r: ModelReference): Evidence {
  return {
    code: `reference:${r.extractor}`,
    strength: r.strength,
    location: r.location,
    raw: r.raw,
    ...(r.facts ? { args: { ...r.facts } as Record<string, string | number | boolean> } : {}),
  };
}

/** Records that a reference names a node: its id and place, in file order (the first place is the node's). */
export function nameNode(b: GraphBuilder, id: string, r: ModelReference): void {
  const n = b.nodes.get(id);
  if (!n) return;
  const refs = (n.references ??= []);
  if (refs.includes(r.id)) return;
  refs.push(r.id);
  (n.locations ??= []).push(r.location);
  if (!n.location && n.kind === "upstream") n.location = r.location;
}

/**
 * The key under which unresolved references share a node: a value read at run time is one per enclosing function and
 * file (another function's `model_path` is another value); a literal (an alias, a path, a URL) names one thing
 * wherever it is written.
 */
export function unresolvedKey(r: ModelReference): string {
  const fn = typeof r.facts?.function === "string" ? r.facts.function : "";
  return (r.skipReason === "dynamic-value" ? [r.location.file, fn, r.kind, r.raw] : ["", "", r.kind, r.raw]).join(
    "\u0000",
  );
}

/** Load references by file, then line: where a write's `derivedFromLoad` location points. */
type LoadsByPlace = Map<string, Map<number, ModelReference>>;

/** Indexes the load references by place, for writes that name the load they derive from. */
function loadsByPlace(references: readonly ModelReference[]): LoadsByPlace {
  const loadsAt: LoadsByPlace = new Map();
  for (const r of references) {
    if (r.usage || !((r.kind === "hub-id" && r.target && !r.skipReason) || r.localTarget)) continue;
    const byLine = loadsAt.get(r.location.file) ?? new Map<number, ModelReference>();
    byLine.set(r.location.line ?? 0, r);
    loadsAt.set(r.location.file, byLine);
  }
  return loadsAt;
}

/**
 * A write: lineage for the in-tree folder it lands in, from the model it derives from (the value read in the file,
 * or the Hub id the load at the `derivedFromLoad` location resolved to after linking; a model folder of the tree the
 * code loaded).
 * A folder written from a model the scan cannot resolve is undetermined, never "no third-party lineage".
 */
function addWrite(b: GraphBuilder, r: ModelReference, loadsAt: LoadsByPlace, unresolvedBy: UnresolvedLog): void {
  const load = r.derivedFromLoad ? loadsAt.get(r.derivedFromLoad.file)?.get(r.derivedFromLoad.line ?? 0) : undefined;
  const hub =
    typeof r.facts?.derivedFrom === "string" && !hasPathPrefix(r.facts.derivedFrom)
      ? parseHubId(r.facts.derivedFrom)?.id
      : load?.kind === "hub-id" && !load.skipReason
        ? load.target
        : undefined;
  const written = r.localTarget && b.nodes.has(`local:${r.localTarget}`) ? `local:${r.localTarget}` : undefined;
  if (!written) return;
  const parent = hub
    ? b.upstreamFor(hub, r.role, false)
    : load?.localTarget && b.nodes.has(`local:${load.localTarget}`)
      ? `local:${load.localTarget}`
      : undefined;
  if (parent) {
    b.addEdge(written, parent, r.relation ?? "initialised-from", {
      ...referenceEvidence(r),
      code: "code-writes-derived-model",
    });
    return;
  }
  const source = typeof r.facts?.derivedFrom === "string" ? r.facts.derivedFrom : undefined;
  const reason =
    load?.skipReason ??
    (source === undefined
      ? "dynamic-value"
      : isAbsolutePath(source)
        ? "local-path-outside-root"
        : hasPathPrefix(source)
          ? "local-path"
          : "unknown-alias");
  unresolvedBy.set(written, [...(unresolvedBy.get(written) ?? []), { ...r, raw: source ?? r.raw, skipReason: reason }]);
}

/** A load of a Hub repo: the repo's node (or its known part), the role it was loaded under, the declaring edge. */
function addHubLoad(
  b: GraphBuilder,
  r: ModelReference & { target: string },
  from: string | undefined,
  checked: CheckedLog,
): void {
  const subjectRole = from ? b.nodes.get(from)?.role : undefined;
  const role = r.role ?? (subjectRole && PART_ROLES.has(subjectRole) ? subjectRole : undefined);
  const to = b.upstreamFor(r.target, role, !from);
  const toNode = b.nodes.get(to);
  nameNode(b, to, r);
  // A Hub repo loaded under a role key (`vision_tower`, `audio_model`) plays that role in the product; a tokenizer or
  // processor load names the same repo as the model and says nothing about the repo's role.
  if (toNode && toNode.role === "model" && r.role && !NOT_NODE_ROLES.has(r.role)) toNode.role = r.role;
  if (!from) return;
  const evidence = referenceEvidence(r);
  b.addEdge(from, to, r.relation ?? "initialised-from", evidence);
  if (r.definedAt)
    b.addEdge(from, to, r.relation ?? "initialised-from", {
      code: "variable-definition",
      strength: r.strength,
      location: r.definedAt,
      raw: `${String(r.facts?.variable)}=${r.target}`,
    });
  checked.get(from)?.push(`reference ${r.raw}`);
}

/** An unresolved reference without a subject: the `ref:` node of its value ({@link unresolvedKey}), with this place. */
function addUnresolved(b: GraphBuilder, r: ModelReference, groups: Map<string, string>): void {
  const key = unresolvedKey(r);
  const existing = groups.get(key);
  const node = existing ? b.nodes.get(existing) : undefined;
  if (node) {
    nameNode(b, node.id, r);
    if (node.statusReason?.args) node.statusReason.args.count = node.locations?.length ?? 1;
    if (node.role === "model" && r.role && r.role !== "model") node.role = r.role;
    return;
  }
  const id = `ref:${r.id}`;
  groups.set(key, id);
  // The name is the expression on one line (a call may span many); the reason keeps it as written.
  b.nodes.set(id, {
    id,
    kind: "upstream",
    role: r.role ?? "model",
    name: r.raw.replace(/\s+/g, " ").trim(),
    location: r.location,
    status: "undetermined",
    statusReason: { code: "unresolved-reference", args: { reason: r.skipReason ?? "unresolved", raw: r.raw } },
    inProduct: true,
    ...modelScopePublisher(b, r),
  });
  nameNode(b, id, r);
}

/**
 * The publisher of a literal ModelScope id whose org the knowledge base knows (`qwen/Qwen-VL-Chat` -> Alibaba Cloud,
 * CN; its publishers list ModelScope orgs too): the repo is not resolved, but who publishes under that org is known.
 */
function modelScopePublisher(b: GraphBuilder, r: ModelReference): { publisher?: ReturnType<typeof toPublisher> } {
  if (r.kind !== "modelscope-id" || !/^[\w.-]+\/[\w.-]+$/.test(r.raw)) return {};
  const org = r.raw.slice(0, r.raw.indexOf("/"));
  const entry = b.ctx.kb.publisherForOrg(org);
  return entry ? { publisher: toPublisher(org, entry) } : {};
}

/**
 * Adds every reference to the graph (see the module comment).
 * @returns the references that leave each component's origin open (settled in src/lineage/settle.ts).
 */
export function addReferences(
  b: GraphBuilder,
  references: readonly ModelReference[],
  checked: CheckedLog,
): UnresolvedLog {
  const unresolvedBy: UnresolvedLog = new Map();
  const groups = new Map<string, string>();
  const loadsAt = loadsByPlace(references);
  for (const r of references) {
    const from = r.subject ? `local:${r.subject}` : undefined;
    // Names and transforms (whose input is loaded by its own reference) are evidence, never a dependency.
    if (r.usage === "name" || r.usage === "transform") continue;
    if (r.usage === "write") addWrite(b, r, loadsAt, unresolvedBy);
    else if (r.localTarget) {
      if (from) b.addEdge(from, `local:${r.localTarget}`, r.relation ?? "initialised-from", referenceEvidence(r));
    } else if (r.kind === "hosted-model" && r.target && r.provider && !r.skipReason) {
      const to = b.hostedNode(r.provider, r.target, r.role, r);
      if (from) b.addEdge(from, to, r.relation ?? "initialised-from", referenceEvidence(r));
    } else if (r.kind === "hub-id" && r.target && !r.skipReason)
      addHubLoad(b, r as ModelReference & { target: string }, from, checked);
    else if (r.skipReason === "not-a-model") continue;
    else if (from) unresolvedBy.set(from, [...(unresolvedBy.get(from) ?? []), r]);
    else addUnresolved(b, r, groups);
  }
  return unresolvedBy;
}
