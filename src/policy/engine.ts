/**
 * The policy engine: evaluates every rule of every pack on every lineage node and returns findings.
 * Evaluation is a pure function of the graph, the packs and their parameters: no I/O, no clock.
 */
import type {
  Evidence,
  Finding,
  LineageEdge,
  LineageGraph,
  LineageNode,
  LocalComponent,
  ModelReference,
  PolicyRun,
  Severity,
} from "../model/types.js";
import type { ProjectDocument } from "../extract/types.js";
import { wildcardMatch } from "../util/glob.js";
import { stableId } from "../util/hash.js";
import { compareFindings } from "./verdict.js";
import type { Condition, ListOrParam, ReferenceCondition, Rule, RulePack } from "./types.js";
import { WEIGHT_RELATIONS } from "../model/relations.js";
import { dedupeEvidence } from "./evidence.js";

type Arg = string | number | boolean | string[];

/** A successful match: the lineage path it followed, the evidence along it, and extra message arguments. */
interface Match {
  path: string[];
  evidence: Evidence[];
  target?: string;
  relations: string[];
  args?: Record<string, Arg>;
}

/**
 * What the engine may read besides the graph: the inventory (components with their facts, references with theirs)
 * and the project's files and attribution documents. Every field is optional: rules that need a missing field do not
 * match (a rule test case may give only a graph).
 */
export interface PolicyContext {
  components?: readonly LocalComponent[];
  references?: readonly ModelReference[];
  /** Root-relative POSIX paths of every file seen in the project. */
  files?: readonly string[];
  /** README / NOTICE / LICENSE / USE_POLICY texts (kept in memory only, never in the report). */
  documents?: readonly ProjectDocument[];
  /** Judge test-scope nodes (named only by test or benchmark code) too; by default the packs skip them. */
  includeTestCode?: boolean;
}

/** Indexes over the graph, built once per evaluation. */
interface GraphIndex {
  nodes: Map<string, LineageNode>;
  out: Map<string, LineageEdge[]>;
  /** Edges entering each node (to find where an ancestor entered the product). */
  in: Map<string, LineageEdge[]>;
  parts: Map<string, string[]>;
  components: Map<string, LocalComponent>;
  refsByNode: Map<string, ModelReference[]>;
  ctx: PolicyContext;
}

/** References that point at a node (by Hub repo, a known component's repos, or `ref:<id>`), or that a local node declares. */
function indexReferences(graph: LineageGraph, refs: readonly ModelReference[]): Map<string, ModelReference[]> {
  const byRepo = new Map<string, string[]>();
  for (const n of graph.nodes) {
    for (const r of [n.repo, ...(n.knownComponent ? [] : (n.repos ?? []))]) {
      if (!r) continue;
      const k = r.toLowerCase();
      byRepo.set(k, [...(byRepo.get(k) ?? []), n.id]);
    }
  }
  const out = new Map<string, ModelReference[]>();
  const add = (id: string, r: ModelReference): void => {
    const l = out.get(id) ?? [];
    if (!l.includes(r)) l.push(r);
    out.set(id, l);
  };
  const byId = new Map(refs.map((r) => [r.id, r]));
  // A node that groups several references (one unresolved expression in a function) lists their ids.
  for (const n of graph.nodes)
    for (const id of n.references ?? []) {
      const r = byId.get(id);
      if (r) add(n.id, r);
    }
  for (const r of refs) {
    add(`ref:${r.id}`, r);
    if (r.target) for (const id of byRepo.get(r.target.toLowerCase()) ?? []) add(id, r);
    if (r.subject) add(`local:${r.subject}`, r);
  }
  return out;
}

function indexGraph(graph: LineageGraph, ctx: PolicyContext = {}): GraphIndex {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, LineageEdge[]>();
  const inn = new Map<string, LineageEdge[]>();
  const parts = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = out.get(e.from) ?? [];
    list.push(e);
    out.set(e.from, list);
    const back = inn.get(e.to) ?? [];
    back.push(e);
    inn.set(e.to, back);
    if (e.relation === "component-of") {
      const p = parts.get(e.to) ?? [];
      p.push(e.from);
      parts.set(e.to, p);
    }
  }
  const components = new Map((ctx.components ?? []).map((c) => [`local:${c.key}`, c]));
  return { nodes, out, in: inn, parts, components, refsByNode: indexReferences(graph, ctx.references ?? []), ctx };
}

/** Resolves a list-or-parameter value. @throws Error for an unknown parameter (packs are validated before this). */
function list(value: ListOrParam, params: Record<string, unknown>): string[] {
  if (typeof value === "string") {
    const v = params[value.slice(1)];
    if (!Array.isArray(v)) throw new Error(`parameter ${value} is not a list`);
    return v as string[];
  }
  return value;
}

// Third-party: an upstream with a known publisher that is not the applicant. A reference that resolved to nothing
// (a path outside the tree, a bare alias) has no origin at all: it is undetermined, not someone else's model.
function thirdParty(n: LineageNode): boolean {
  return n.kind !== "local" && n.status !== "own" && (n.publisher !== undefined || n.status === "third-party");
}

/** The keys of {@link Condition}: one per predicate or combinator. */
export type ConditionKey = KeysOfUnion<Condition>;
type KeysOfUnion<T> = T extends unknown ? keyof T : never;
/** Any condition's value (the union of {@link ConditionArg} over every key). */
export type AnyConditionArg = { [K in ConditionKey]: ConditionArg<K> }[ConditionKey];
/** The value a condition holds under key `K` (`{ role: [...] }` -> the list). */
export type ConditionArg<K extends ConditionKey> = Extract<Condition, Record<K, unknown>>[K];

/** What an entry of {@link PREDICATES} is given: the node, the graph index, the pack's parameters, and the evaluator. */
interface PredicateInput<A> {
  arg: A;
  node: LineageNode;
  g: GraphIndex;
  params: Record<string, unknown>;
}

/**
 * One predicate or combinator of the rule-pack language.
 * - `param`: the pack parameter type a `$name` in the key's value must have (`string-list`, `boolean`), or none;
 * - `children`: the conditions nested in the value (combinators, `edge.to`, `where`), for walks such as the loader's
 *   parameter check;
 * - `test`: the match on one node, or undefined.
 */
export interface Predicate<K extends ConditionKey> {
  param?: "string-list" | "boolean";
  children: (arg: ConditionArg<K>) => readonly Condition[];
  test: (input: PredicateInput<ConditionArg<K>>) => Match | undefined;
}

/** A registry entry as the dispatcher sees it: each entry is only ever called with the value read under its own key. */
interface AnyPredicate {
  param?: "string-list" | "boolean";
  children: (arg: AnyConditionArg) => readonly Condition[];
  test: (input: PredicateInput<AnyConditionArg>) => Match | undefined;
}

const none = (): readonly Condition[] => [];
const holds = (node: LineageNode, b: boolean): Match | undefined =>
  b ? { path: [node.id], evidence: [], relations: [] } : undefined;

/**
 * Every predicate of the rule-pack language, one entry per key of {@link Condition}. `satisfies` makes the compiler
 * reject a key of the type with no entry here (a predicate that could never match would be a silent pass), and a test
 * checks that the keys equal the rule-pack schema's condition keys.
 */
export const PREDICATES = {
  all: {
    children: (arg) => arg,
    test: ({ arg, node, g, params }) => {
      let acc: Match = { path: [node.id], evidence: [], relations: [] };
      for (const c of arg) {
        const m = evaluate(c, node, g, params);
        if (!m) return undefined;
        const args = { ...(acc.args ?? {}), ...(m.args ?? {}) };
        // The last lineage-following conjunct gives the finding its path and target (a later `ancestor` beats an
        // earlier structural `edge` check of the same length).
        if (m.path.length > 1 && m.path.length >= acc.path.length)
          acc = { ...m, evidence: [...acc.evidence, ...m.evidence] };
        else acc.evidence.push(...m.evidence);
        if (Object.keys(args).length > 0) acc.args = args;
      }
      return acc;
    },
  },
  any: {
    children: (arg) => arg,
    test: ({ arg, node, g, params }) => {
      for (const c of arg) {
        const m = evaluate(c, node, g, params);
        if (m) return m;
      }
      return undefined;
    },
  },
  not: { children: (arg) => [arg], test: ({ arg, node, g, params }) => holds(node, !evaluate(arg, node, g, params)) },
  kind: { children: none, test: ({ arg, node }) => holds(node, node.kind === arg) },
  role: {
    param: "string-list",
    children: none,
    test: ({ arg, node, params }) => holds(node, list(arg, params).includes(node.role)),
  },
  status: { children: none, test: ({ arg, node }) => holds(node, arg.includes(node.status)) },
  statusReason: {
    children: none,
    test: ({ arg, node }) => holds(node, !!node.statusReason && arg.includes(node.statusReason.code)),
  },
  inProduct: { children: none, test: ({ arg, node }) => holds(node, node.inProduct === arg) },
  thirdParty: { children: none, test: ({ arg, node }) => holds(node, thirdParty(node) === arg) },
  knownComponent: { children: none, test: ({ arg, node }) => holds(node, !!node.knownComponent === arg) },
  country: {
    param: "string-list",
    children: none,
    test: ({ arg, node, params }) =>
      holds(node, !!node.publisher && list(arg, params).includes(node.publisher.country)),
  },
  publisher: {
    param: "string-list",
    children: none,
    test: ({ arg, node, params }) => {
      const pub = node.publisher;
      return holds(
        node,
        !!pub && list(arg, params).some((p) => wildcardMatch(p, pub.org) || wildcardMatch(p, pub.entity)),
      );
    },
  },
  license: {
    param: "string-list",
    children: none,
    test: ({ arg, node, params }) =>
      holds(node, !!node.license && list(arg, params).some((p) => wildcardMatch(p, node.license!))),
  },
  claims: {
    children: none,
    test: ({ arg, node }) => {
      const claim = arg.includes("from-scratch") ? node.claims?.fromScratch : undefined;
      return claim
        ? { path: [node.id], evidence: [claim], relations: [], args: { claim: claim.raw ?? "from scratch" } }
        : undefined;
    },
  },
  name: {
    param: "string-list",
    children: none,
    test: ({ arg, node, params }) =>
      holds(
        node,
        list(arg, params).some((p) => wildcardMatch(p, node.name)),
      ),
  },
  repo: {
    param: "string-list",
    children: none,
    test: ({ arg, node, params }) => {
      const repos = [node.repo, ...(node.repos ?? [])].filter((r): r is string => !!r);
      return holds(
        node,
        list(arg, params).some((p) => repos.some((r) => wildcardMatch(p, r))),
      );
    },
  },
  parameter: {
    param: "boolean",
    children: none,
    test: ({ arg, node, params }) => holds(node, params[arg.slice(1)] === true),
  },
  fact: {
    children: none,
    test: ({ arg, node, g }) => {
      const facts = g.components.get(node.id)?.facts ?? {};
      return holds(
        node,
        Object.entries(arg).every(([k, vals]) => vals.some((v) => factEquals(facts[k], v))),
      );
    },
  },
  reference: { children: none, test: ({ arg, node, g }) => referenceMatch(arg, node, g) },
  projectFile: {
    param: "string-list",
    children: none,
    test: ({ arg, node, g, params }) => {
      const pats = list(arg, params);
      const file = (g.ctx.files ?? []).find((f) =>
        pats.some((p) => wildcardMatch(p, f) || wildcardMatch(p, f.split("/").pop()!)),
      );
      return file
        ? {
            path: [node.id],
            evidence: [{ code: "project-file", strength: "declared", location: { file } }],
            relations: [],
            args: { projectFile: file },
          }
        : undefined;
    },
  },
  projectText: {
    param: "string-list",
    children: none,
    test: ({ arg, node, g, params }) => projectTextMatch(list(arg, params), node, g),
  },
  someNode: {
    children: (arg) => [arg.where],
    test: ({ arg, node, g, params }) => someNodeMatch(arg.where, node, g, params),
  },
  edge: {
    children: (arg) => (arg.to ? [arg.to] : []),
    test: ({ arg, node, g, params }) => edgeMatch(arg, node, g, params),
  },
  ancestor: { children: (arg) => [arg.where], test: ({ arg, node, g, params }) => ancestorMatch(arg, node, g, params) },
  subcomponent: {
    children: (arg) => [arg.where],
    test: ({ arg, node, g, params }) => subcomponentMatch(arg.where, node, g, params),
  },
} satisfies { [K in ConditionKey]: Predicate<K> };

/** The one key of a condition and its predicate. @throws Error for a key no predicate handles (never a silent false). */
export function predicateOf(cond: Condition): { key: ConditionKey; predicate: AnyPredicate; arg: AnyConditionArg } {
  const keys = Object.keys(cond);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || !Object.hasOwn(PREDICATES, key))
    throw new Error(`unknown policy condition ${JSON.stringify(keys)} (known: ${Object.keys(PREDICATES).join(", ")})`);
  const k = key as ConditionKey;
  // The registry is indexed by the same key the value is read under, so each entry sees its own argument type.
  return { key: k, predicate: PREDICATES[k] as AnyPredicate, arg: (cond as Record<ConditionKey, AnyConditionArg>)[k] };
}

function evaluate(
  cond: Condition,
  node: LineageNode,
  g: GraphIndex,
  params: Record<string, unknown>,
): Match | undefined {
  const { predicate, arg } = predicateOf(cond);
  return predicate.test({ arg, node, g, params });
}

function projectTextMatch(phrasesRaw: string[], node: LineageNode, g: GraphIndex): Match | undefined {
  const phrases = phrasesRaw.map(normaliseText);
  for (const d of g.ctx.documents ?? []) {
    const lines = d.text.split(/\r?\n/);
    const flat = normaliseText(d.text);
    const phrase = phrases.find((p) => flat.includes(p));
    if (!phrase) continue;
    const lineIdx = lines.findIndex((l) => normaliseText(l).includes(phrase.split(" ")[0]!));
    return {
      path: [node.id],
      evidence: [
        {
          code: "project-text",
          strength: "declared",
          location: { file: d.file, ...(lineIdx >= 0 ? { line: lineIdx + 1 } : {}) },
          raw: phrase,
        },
      ],
      relations: [],
      args: { projectText: phrase, projectTextAt: d.file },
    };
  }
  return undefined;
}

function someNodeMatch(
  where: Condition,
  node: LineageNode,
  g: GraphIndex,
  params: Record<string, unknown>,
): Match | undefined {
  for (const other of g.nodes.values()) {
    if (other.id === node.id) continue;
    const m = evaluate(where, other, g, params);
    if (m) {
      const edgeEvidence: Evidence[] = [];
      for (let i = 0; i + 1 < m.path.length; i++)
        for (const e of g.out.get(m.path[i]!) ?? []) if (e.to === m.path[i + 1]) edgeEvidence.push(...e.evidence);
      return {
        path: [node.id],
        evidence: [...m.evidence, ...edgeEvidence],
        relations: [],
        args: { ...(m.args ?? {}), other: other.name, otherPath: m.path.map((id) => g.nodes.get(id)?.name ?? id) },
      };
    }
  }
  return undefined;
}

function edgeMatch(
  edge: ConditionArg<"edge">,
  node: LineageNode,
  g: GraphIndex,
  params: Record<string, unknown>,
): Match | undefined {
  for (const e of g.out.get(node.id) ?? []) {
    if (!edge.relations.includes(e.relation)) continue;
    const ev = e.evidence.filter(
      (x) =>
        (!edge.strengths || edge.strengths.includes(x.strength)) &&
        (!edge.levels || edge.levels.includes(x.args?.level as "checkpoint" | "family")),
    );
    if (ev.length === 0) continue;
    const to = g.nodes.get(e.to);
    if (!to) continue;
    const m = edge.to ? evaluate(edge.to, to, g, params) : { path: [to.id], evidence: [], relations: [] };
    if (m)
      return {
        path: [node.id, ...m.path],
        evidence: [...ev, ...m.evidence],
        target: m.target ?? to.id,
        relations: [e.relation, ...m.relations],
        ...(m.args ? { args: m.args } : {}),
      };
  }
  return undefined;
}

function ancestorMatch(
  anc: ConditionArg<"ancestor">,
  node: LineageNode,
  g: GraphIndex,
  params: Record<string, unknown>,
): Match | undefined {
  const { via, strengths, where } = anc;
  const maxDepth = anc.maxDepth ?? 16;
  // Breadth-first, so the shortest path to a matching ancestor is reported.
  const queue: { id: string; path: string[]; evidence: Evidence[]; relations: string[] }[] = [
    { id: node.id, path: [node.id], evidence: [], relations: [] },
  ];
  const seen = new Set([node.id]);
  // An index instead of shift(): shift is O(n) per step on a long frontier.
  for (let head = 0; head < queue.length; head++) {
    const cur = queue[head]!;
    if (cur.path.length - 1 >= maxDepth) continue;
    for (const e of g.out.get(cur.id) ?? []) {
      if (!via.includes(e.relation) || seen.has(e.to)) continue;
      const ev = strengths ? e.evidence.filter((x) => strengths.includes(x.strength)) : e.evidence;
      if (ev.length === 0) continue;
      const to = g.nodes.get(e.to);
      if (!to) continue;
      seen.add(e.to);
      const next = {
        id: e.to,
        path: [...cur.path, e.to],
        evidence: [...cur.evidence, ...ev],
        relations: [...cur.relations, e.relation],
      };
      const m = evaluate(where, to, g, params);
      if (m)
        return {
          path: [...next.path, ...m.path.slice(1)],
          evidence: [...next.evidence, ...m.evidence],
          target: m.target ?? e.to,
          relations: [...next.relations, ...m.relations],
          ...(m.args ? { args: m.args } : {}),
        };
      queue.push(next);
    }
  }
  return undefined;
}

function subcomponentMatch(
  where: Condition,
  node: LineageNode,
  g: GraphIndex,
  params: Record<string, unknown>,
): Match | undefined {
  const stack = [...(g.parts.get(node.id) ?? [])];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const part = g.nodes.get(id);
    if (!part) continue;
    const m = evaluate(where, part, g, params);
    if (m)
      return {
        path: [node.id, ...m.path],
        evidence: m.evidence,
        target: m.target ?? id,
        relations: ["has-part", ...m.relations],
        ...(m.args ? { args: m.args } : {}),
      };
    stack.push(...(g.parts.get(id) ?? []));
  }
  return undefined;
}

/** Lower-case, collapse whitespace and strip quotes, so "Built  with\nLlama" and "built with Llama" match. */
function normaliseText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[“”"']/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function factEquals(actual: unknown, expected: string | boolean | number): boolean {
  if (Array.isArray(actual)) return actual.some((a) => factEquals(a, expected));
  if (typeof expected === "string" && typeof actual === "string")
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

/** The `reference` predicate: some reference of the node satisfies every given key. */
function referenceMatch(rc: ReferenceCondition, node: LineageNode, g: GraphIndex): Match | undefined {
  for (const r of g.refsByNode.get(node.id) ?? []) {
    // A name (a family key, a record) or a transform's input loads nothing itself: its missing revision pin or
    // facts say nothing about how the node is loaded.
    if (r.usage === "name" || r.usage === "transform") continue;
    if (rc.kinds && !rc.kinds.includes(r.kind)) continue;
    if (rc.extractors && !rc.extractors.includes(r.extractor)) continue;
    // Whether a value read at run time is pinned cannot be told from the code: only references that name a model.
    if (rc.pinned !== undefined && (r.skipReason !== undefined || !!r.revision !== rc.pinned)) continue;
    const facts = r.facts ?? {};
    if (rc.facts && !Object.entries(rc.facts).every(([k, vals]) => vals.some((v) => factEquals(facts[k], v)))) continue;
    if (rc.withoutFacts && rc.withoutFacts.some((k) => facts[k] !== undefined && facts[k] !== false)) continue;
    return {
      path: [node.id],
      evidence: [
        {
          code: `reference:${r.extractor}`,
          strength: r.strength,
          location: r.location,
          raw: r.raw,
          ...(r.facts ? { args: { ...r.facts } } : {}),
        },
      ],
      relations: [],
      args: { reference: r.raw, referenceAt: `${r.location.file}${r.location.line ? `:${r.location.line}` : ""}` },
    };
  }
  return undefined;
}

/** The message a rule's finding on `node` takes: its `message` id, the first `message` entry that holds, or the first message. */
function messageIdFor(rule: Rule, node: LineageNode, g: GraphIndex, params: Record<string, unknown>): string {
  if (typeof rule.message === "string") return rule.message;
  for (const choice of rule.message ?? []) if (!choice.when || evaluate(choice.when, node, g, params)) return choice.id;
  return Object.keys(rule.messages)[0]!;
}

/** Fills `{name}` placeholders from args; lists are joined with ", "; a missing value reads "unknown". */
export function renderMessage(template: string, args: Record<string, string | number | boolean | string[]>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => {
    const v = args[k];
    if (v === undefined) return "unknown";
    return Array.isArray(v) ? v.join(", ") : String(v);
  });
}

/** A rule's severity, reading a `$parameter` when it names one. */
export function ruleSeverity(rule: Rule, params: Record<string, unknown>): Severity {
  const s =
    typeof rule.severity === "string" && rule.severity.startsWith("$") ? params[rule.severity.slice(1)] : rule.severity;
  return s === "error" || s === "warning" || s === "note" ? s : "error";
}

function severityFor(rule: Rule, pack: RulePack, params: Record<string, unknown>): Severity | undefined {
  const base = ruleSeverity(rule, params);
  if (rule.verdict !== "undetermined") return base;
  if (pack.undetermined === "ignore") return undefined;
  if (pack.undetermined === "warn" && base === "error") return "warning";
  return base;
}

/** Resolved parameters of a pack: defaults overridden by the config file's `policies.<pack>.parameters`. */
export function packParameters(pack: RulePack, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(pack.parameters ?? {})) out[k] = k in overrides ? overrides[k] : p.default;
  return out;
}

/** The report's record of one pack run: its parameters and every rule with its effective severity. */
function policyRunOf(pack: RulePack, params: Record<string, unknown>): PolicyRun {
  return {
    pack: pack.id,
    version: pack.version,
    parameters: params,
    rules: pack.rules.map((r) => ({
      id: r.id,
      title: r.title,
      severity: ruleSeverity(r, params),
      verdict: r.verdict,
      source: r.source,
      description: r.description,
      ...(r.howToFix ? { howToFix: r.howToFix } : {}),
    })),
  };
}

/**
 * Evaluates packs over a graph. Test-scope nodes (named only by test or benchmark code) are judged only when
 * `context.includeTestCode` is set.
 * @param overrides parameter overrides per pack id.
 * @returns findings sorted by severity, pack, rule, node; and the policy runs for the report.
 */
export function evaluatePacks(
  graph: LineageGraph,
  packs: readonly RulePack[],
  overrides: Record<string, Record<string, unknown>> = {},
  context: PolicyContext = {},
): { findings: Finding[]; runs: PolicyRun[] } {
  const g = indexGraph(graph, context);
  const findings: Finding[] = [];
  const runs: PolicyRun[] = [];
  const judged = context.includeTestCode ? graph.nodes : graph.nodes.filter((n) => n.scope !== "test");
  for (const pack of packs) {
    const params = packParameters(pack, overrides[pack.id]);
    runs.push(policyRunOf(pack, params));
    for (const rule of pack.rules) {
      const severity = severityFor(rule, pack, params);
      if (!severity) continue;
      for (const node of judged) {
        const m = evaluate(rule.when, node, g, params);
        if (!m) continue;
        // A rule that follows no edge is about the node itself: it is its own target (publisher, licence, ...).
        const target = m.target ? g.nodes.get(m.target) : node;
        const args: Record<string, string | number | boolean | string[]> = {
          node: node.name,
          role: node.role,
          status: node.status,
          ...(node.statusReason ? { reason: node.statusReason.code, ...lookupArg(node) } : {}),
          ...(target ? { target: target.name, targetRole: target.role } : {}),
          ...(target?.publisher ? { publisher: target.publisher.entity, country: target.publisher.country } : {}),
          ...(node.publisher ? { nodePublisher: node.publisher.entity, nodeCountry: node.publisher.country } : {}),
          ...(node.license ? { license: node.license } : {}),
          ...(target?.license ? { targetLicense: target.license } : {}),
          relations: m.relations,
          path: m.path.map((id) => g.nodes.get(id)?.name ?? id),
          strengths: [...new Set(m.evidence.map((e) => e.strength))].sort(),
          ...(m.args ?? {}),
        };
        // Corroborating evidence: every edge between consecutive path nodes, whatever its relation
        // (a declared path segment and a structural signature match on the same hop are both shown).
        for (let i = 0; i + 1 < m.path.length; i++) {
          for (const e of g.out.get(m.path[i]!) ?? []) if (e.to === m.path[i + 1]) m.evidence.push(...e.evidence);
        }
        const chain = originChain(m.target, g);
        if (chain.names.length > 0)
          args.upstreamLineage =
            chain.names.length > 1 ? chain.names.join(" ← ") : `${chain.names[0]} (no further lineage known)`;
        const checkpoints = [
          ...new Set(
            m.evidence.flatMap((e) => (Array.isArray(e.args?.checkpoints) ? (e.args!.checkpoints as string[]) : [])),
          ),
        ];
        if (checkpoints.length > 0) args.checkpoints = checkpoints;
        // Structural matches: every known release sharing the configuration is named (never one picked), and keys
        // with no weight effect that differ are said.
        const candidates = [
          ...new Set(
            m.evidence.flatMap((e) =>
              e.code === "signature-match" && Array.isArray(e.args?.candidates) ? (e.args!.candidates as string[]) : [],
            ),
          ),
        ];
        const names = candidates.map((id) => g.nodes.get(`known:${id}`)?.name ?? id);
        args.candidateNote =
          names.length > 1
            ? `; ${names.length} known releases share this configuration, none is picked: ${names.join(", ")}`
            : "";
        const differs = [
          ...new Set(
            m.evidence.flatMap((e) =>
              e.code === "signature-match" && Array.isArray(e.args?.differs) ? (e.args!.differs as string[]) : [],
            ),
          ),
        ];
        args.differNote = differs.length > 0 ? `; differs only in ${differs.join(", ")}` : "";
        const messageId = messageIdFor(rule, node, g, params);
        // Where the node entered the product: every reference that names it (or, for an ancestor no file names,
        // the references of the nearest product node it descends from) is evidence, so every finding has a place.
        const named = node.kind === "upstream" ? referenceEvidence(node.id, g) : [];
        const declared = named.length > 0 || node.kind === "local" ? [] : entryEvidence(node.id, g);
        // A place an edge's own evidence already names is not repeated as a plain reference.
        const edgeAt = new Set(m.evidence.map((e) => `${e.location.file}:${e.location.line ?? ""}`));
        const evidence = dedupeEvidence([
          ...named.filter((e) => !edgeAt.has(`${e.location.file}:${e.location.line ?? ""}`)),
          ...m.evidence,
          ...chain.evidence,
          ...declared,
        ]);
        // The reviewer looks first where the strongest claim is made: declared and weight evidence before structure,
        // files of the scanned tree before knowledge-base records.
        const inTree = evidence.filter((e) => !e.location.hub && !e.code.startsWith("knowledge-base"));
        const location =
          (inTree.find((e) => e.strength !== "structural") ?? inTree[0])?.location ??
          node.location ??
          fallbackLocation(g);
        findings.push({
          id: stableId([
            pack.id,
            rule.id,
            node.id,
            m.target,
            ...evidence.map((e) => `${e.code}@${e.location.file}${e.location.pointer ?? ""}`).sort(),
          ]),
          pack: pack.id,
          rule: rule.id,
          severity,
          verdict: rule.verdict,
          node: node.id,
          message: { id: messageId, text: renderMessage(rule.messages[messageId]!, args), args },
          path: m.path,
          evidence,
          ...(location ? { location } : {}),
          ...(rule.howToFix ? { howToFix: rule.howToFix } : {}),
        });
      }
    }
  }
  findings.sort(compareFindings);
  return { findings, runs };
}

/** Status reasons of a Hub repo whose own record could not be had (src/resolve/hub/failures.ts). */
const LOOKUP_FAILURES: ReadonlySet<string> = new Set([
  "not-found",
  "not-found-or-private",
  "gated",
  "forbidden",
  "rate-limited",
  "hub-error",
  "unreachable",
]);

/**
 * The `lookup` message argument: why a node's own Hub record is missing, in words a reader can act on
 * (`hub-error, HTTP 500`, `not-found, HTTP 404`, `hub-error, <transfer error>`, `offline`, `the Hub could not be
 * reached`); nothing for a node whose record was had.
 */
function lookupArg(node: LineageNode): { lookup?: string } {
  const r = node.statusReason;
  if (!r) return {};
  const a = r.args ?? {};
  if (r.code === "lineage-not-looked-up")
    return { lookup: a.why === "unreachable" ? "the Hub could not be reached" : "offline" };
  if (!LOOKUP_FAILURES.has(r.code)) return {};
  const detail = a.status !== undefined ? `HTTP ${String(a.status)}` : a.message !== undefined ? String(a.message) : "";
  return { lookup: detail ? `${r.code}, ${detail}` : r.code };
}

/** Evidence of every reference that names a node (loads, downloads, keys), in file order: code `referenced-at`. */
function referenceEvidence(nodeId: string, g: GraphIndex): Evidence[] {
  return (g.refsByNode.get(nodeId) ?? [])
    .filter((r) => r.usage !== "name")
    .map((r) => ({
      code: "referenced-at",
      strength: r.strength,
      location: r.location,
      raw: r.raw,
      args: { extractor: r.extractor },
    }));
}

/**
 * For a node no reference names (an ancestor found on the Hub or in the knowledge base): the references or the
 * manifest of the nearest node that derives from it, walking lineage edges backwards (breadth first, 16 steps).
 */
function entryEvidence(nodeId: string, g: GraphIndex): Evidence[] {
  const seen = new Set([nodeId]);
  let frontier = [nodeId];
  for (let depth = 0; depth < 16 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const e of g.in.get(id) ?? []) {
        if (seen.has(e.from)) continue;
        seen.add(e.from);
        const from = g.nodes.get(e.from);
        if (!from) continue;
        const refs = from.kind === "upstream" ? referenceEvidence(from.id, g) : [];
        if (refs.length > 0) return refs.map((x) => ({ ...x, code: "entered-product-through" }));
        if (from.kind === "local" && from.location)
          return [{ code: "entered-product-through", strength: "declared", location: from.location, raw: from.name }];
        next.push(e.from);
      }
    }
    frontier = next;
  }
  return [];
}

/** Last resort for a finding about the project as a whole: its first file that names a model. */
function fallbackLocation(g: GraphIndex): Evidence["location"] | undefined {
  const refs = g.ctx.references ?? [];
  const first = [...refs].sort((a, b) => a.location.file.localeCompare(b.location.file))[0];
  return first ? { file: first.location.file } : g.ctx.files?.[0] !== undefined ? { file: g.ctx.files[0] } : undefined;
}

/** The upstream lineage of a node, following weight-carrying edges (first one at each step), for messages. */
function originChain(start: string | undefined, g: GraphIndex): { names: string[]; evidence: Evidence[] } {
  const names: string[] = [];
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  let cur = start;
  let via: string | undefined;
  while (cur && !seen.has(cur) && names.length < 16) {
    seen.add(cur);
    const n = g.nodes.get(cur);
    if (!n) break;
    const who = n.publisher ? ` (${n.publisher.entity}, ${n.publisher.country})` : "";
    names.push(`${via ? `${via} ` : ""}${n.name}${who}`);
    const next = (g.out.get(cur) ?? []).find((e) => WEIGHT_RELATIONS.has(e.relation));
    if (!next) break;
    evidence.push(...next.evidence);
    via = next.relation;
    cur = next.to;
  }
  return { names, evidence };
}
