/**
 * The policy engine: evaluates every rule of every pack on every lineage node and returns findings.
 * Evaluation is a pure function of the graph, the packs and their parameters: no I/O, no clock.
 */
import type { Evidence, Finding, LineageEdge, LineageGraph, LineageNode, PolicyRun, Severity } from "../model/types.js";
import { stableId } from "../util/hash.js";
import type { Condition, ListOrParam, Rule, RulePack } from "./types.js";

/** A successful match: the lineage path it followed and the evidence along it. */
interface Match {
  path: string[];
  evidence: Evidence[];
  target?: string;
  relations: string[];
}

/** Indexes over the graph, built once per evaluation. */
interface GraphIndex {
  nodes: Map<string, LineageNode>;
  out: Map<string, LineageEdge[]>;
  parts: Map<string, string[]>;
}

function indexGraph(graph: LineageGraph): GraphIndex {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, LineageEdge[]>();
  const parts = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = out.get(e.from) ?? [];
    list.push(e);
    out.set(e.from, list);
    if (e.relation === "component-of") {
      const p = parts.get(e.to) ?? [];
      p.push(e.from);
      parts.set(e.to, p);
    }
  }
  return { nodes, out, parts };
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

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return re.test(value);
}

function thirdParty(n: LineageNode): boolean {
  return n.kind === "upstream" && n.status !== "own";
}

function evaluate(cond: Condition, node: LineageNode, g: GraphIndex, params: Record<string, unknown>): Match | undefined {
  const ok = (b: boolean): Match | undefined => (b ? { path: [node.id], evidence: [], relations: [] } : undefined);
  if ("all" in cond) {
    let acc: Match = { path: [node.id], evidence: [], relations: [] };
    for (const c of cond.all) {
      const m = evaluate(c, node, g, params);
      if (!m) return undefined;
      if (m.path.length > acc.path.length) acc = { ...m, evidence: [...acc.evidence, ...m.evidence] };
      else acc.evidence.push(...m.evidence);
    }
    return acc;
  }
  if ("any" in cond) {
    for (const c of cond.any) {
      const m = evaluate(c, node, g, params);
      if (m) return m;
    }
    return undefined;
  }
  if ("not" in cond) return ok(!evaluate(cond.not, node, g, params));
  if ("kind" in cond) return ok(node.kind === cond.kind);
  if ("role" in cond) return ok(list(cond.role, params).includes(node.role));
  if ("status" in cond) return ok(cond.status.includes(node.status));
  if ("statusReason" in cond) return ok(!!node.statusReason && cond.statusReason.includes(node.statusReason.code));
  if ("inProduct" in cond) return ok(node.inProduct === cond.inProduct);
  if ("thirdParty" in cond) return ok(thirdParty(node) === cond.thirdParty);
  if ("knownComponent" in cond) return ok(!!node.knownComponent === cond.knownComponent);
  if ("country" in cond) return ok(!!node.publisher && list(cond.country, params).includes(node.publisher.country));
  if ("publisher" in cond) {
    const names = list(cond.publisher, params).map((x) => x.toLowerCase());
    return ok(!!node.publisher && (names.includes(node.publisher.org.toLowerCase()) || names.includes(node.publisher.entity.toLowerCase())));
  }
  if ("license" in cond) return ok(!!node.license && list(cond.license, params).some((p) => globMatch(p, node.license!)));
  if ("claims" in cond) return ok(cond.claims.includes("from-scratch") && !!node.claims?.fromScratch);
  if ("edge" in cond) {
    for (const e of g.out.get(node.id) ?? []) {
      if (!cond.edge.relations.includes(e.relation)) continue;
      const ev = e.evidence.filter(
        (x) => (!cond.edge.strengths || cond.edge.strengths.includes(x.strength)) && (!cond.edge.levels || cond.edge.levels.includes(x.args?.level as "checkpoint" | "family")),
      );
      if (ev.length === 0) continue;
      const to = g.nodes.get(e.to);
      if (!to) continue;
      const m = cond.edge.to ? evaluate(cond.edge.to, to, g, params) : { path: [to.id], evidence: [], relations: [] };
      if (m) return { path: [node.id, ...m.path], evidence: [...ev, ...m.evidence], target: m.target ?? to.id, relations: [e.relation, ...m.relations] };
    }
    return undefined;
  }
  if ("ancestor" in cond) {
    const { via, strengths, where } = cond.ancestor;
    const maxDepth = cond.ancestor.maxDepth ?? 16;
    // Breadth-first, so the shortest path to a matching ancestor is reported.
    const queue: { id: string; path: string[]; evidence: Evidence[]; relations: string[] }[] = [{ id: node.id, path: [node.id], evidence: [], relations: [] }];
    const seen = new Set([node.id]);
    while (queue.length > 0) {
      const cur = queue.shift()!;
      if (cur.path.length - 1 >= maxDepth) continue;
      for (const e of g.out.get(cur.id) ?? []) {
        if (!via.includes(e.relation) || seen.has(e.to)) continue;
        const ev = strengths ? e.evidence.filter((x) => strengths.includes(x.strength)) : e.evidence;
        if (ev.length === 0) continue;
        const to = g.nodes.get(e.to);
        if (!to) continue;
        seen.add(e.to);
        const next = { id: e.to, path: [...cur.path, e.to], evidence: [...cur.evidence, ...ev], relations: [...cur.relations, e.relation] };
        const m = evaluate(where, to, g, params);
        if (m) return { path: [...next.path, ...m.path.slice(1)], evidence: [...next.evidence, ...m.evidence], target: m.target ?? e.to, relations: [...next.relations, ...m.relations] };
        queue.push(next);
      }
    }
    return undefined;
  }
  if ("subcomponent" in cond) {
    const stack = [...(g.parts.get(node.id) ?? [])];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const part = g.nodes.get(id);
      if (!part) continue;
      const m = evaluate(cond.subcomponent.where, part, g, params);
      if (m) return { path: [node.id, ...m.path], evidence: m.evidence, target: m.target ?? id, relations: ["has-part", ...m.relations] };
      stack.push(...(g.parts.get(id) ?? []));
    }
    return undefined;
  }
  return undefined;
}

/** Fills `{name}` placeholders from args; lists are joined with ", "; a missing value reads "unknown". */
export function renderMessage(template: string, args: Record<string, string | number | boolean | string[]>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => {
    const v = args[k];
    if (v === undefined) return "unknown";
    return Array.isArray(v) ? v.join(", ") : String(v);
  });
}

function severityFor(rule: Rule, pack: RulePack): Severity | undefined {
  if (rule.verdict !== "undetermined") return rule.severity;
  if (pack.undetermined === "ignore") return undefined;
  if (pack.undetermined === "warn" && rule.severity === "error") return "warning";
  return rule.severity;
}

/** Resolved parameters of a pack: defaults overridden by the config file's `policies.<pack>.parameters`. */
export function packParameters(pack: RulePack, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(pack.parameters ?? {})) out[k] = k in overrides ? overrides[k] : p.default;
  return out;
}

/**
 * Evaluates packs over a graph.
 * @param overrides parameter overrides per pack id.
 * @returns findings sorted by severity, pack, rule, node; and the policy runs for the report.
 */
export function evaluatePacks(
  graph: LineageGraph,
  packs: readonly RulePack[],
  overrides: Record<string, Record<string, unknown>> = {},
): { findings: Finding[]; runs: PolicyRun[] } {
  const g = indexGraph(graph);
  const findings: Finding[] = [];
  const runs: PolicyRun[] = [];
  for (const pack of packs) {
    const params = packParameters(pack, overrides[pack.id]);
    runs.push({
      pack: pack.id,
      version: pack.version,
      parameters: params,
      rules: pack.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, source: r.source, description: r.description, ...(r.howToFix ? { howToFix: r.howToFix } : {}) })),
    });
    for (const rule of pack.rules) {
      const severity = severityFor(rule, pack);
      if (!severity) continue;
      for (const node of graph.nodes) {
        const m = evaluate(rule.when, node, g, params);
        if (!m) continue;
        const target = m.target ? g.nodes.get(m.target) : undefined;
        const args: Record<string, string | number | boolean | string[]> = {
          node: node.name,
          role: node.role,
          status: node.status,
          ...(node.statusReason ? { reason: node.statusReason.code } : {}),
          ...(target ? { target: target.name, targetRole: target.role } : {}),
          ...(target?.publisher ? { publisher: target.publisher.entity, country: target.publisher.country } : {}),
          ...(node.publisher ? { nodePublisher: node.publisher.entity, nodeCountry: node.publisher.country } : {}),
          ...(node.license ? { license: node.license } : {}),
          relations: m.relations,
          path: m.path.map((id) => g.nodes.get(id)?.name ?? id),
          strengths: [...new Set(m.evidence.map((e) => e.strength))].sort(),
        };
        // Corroborating evidence: every edge between consecutive path nodes, whatever its relation
        // (a declared path segment and a structural signature match on the same hop are both shown).
        for (let i = 0; i + 1 < m.path.length; i++) {
          for (const e of g.out.get(m.path[i]!) ?? []) if (e.to === m.path[i + 1]) m.evidence.push(...e.evidence);
        }
        const chain = originChain(m.target, g);
        if (chain.names.length > 0) args.upstreamLineage = chain.names.length > 1 ? chain.names.join(" ← ") : `${chain.names[0]} (no further lineage known)`;
        const checkpoints = [...new Set(m.evidence.flatMap((e) => (Array.isArray(e.args?.checkpoints) ? (e.args!.checkpoints as string[]) : [])))];
        if (checkpoints.length > 0) args.checkpoints = checkpoints;
        const messageId = Object.keys(rule.messages)[0]!;
        const evidence = dedupeEvidence([...m.evidence, ...chain.evidence]);
        // The reviewer looks first where the strongest claim is made: declared and weight evidence before structure,
        // files of the scanned tree before knowledge-base records.
        const inTree = evidence.filter((e) => !e.location.hub && !e.code.startsWith("knowledge-base"));
        const location = (inTree.find((e) => e.strength !== "structural") ?? inTree[0])?.location ?? node.location;
        findings.push({
          id: stableId([pack.id, rule.id, node.id, m.target, ...evidence.map((e) => `${e.code}@${e.location.file}${e.location.pointer ?? ""}`).sort()]),
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
  const order: Record<Severity, number> = { error: 0, warning: 1, note: 2 };
  findings.sort((a, b) => order[a.severity] - order[b.severity] || a.pack.localeCompare(b.pack) || a.rule.localeCompare(b.rule) || a.node.localeCompare(b.node) || a.id.localeCompare(b.id));
  return { findings, runs };
}

const WEIGHT = new Set(["finetune", "adapter", "merge", "quantized", "distillation", "initialised-from"]);

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
    const next = (g.out.get(cur) ?? []).find((e) => WEIGHT.has(e.relation));
    if (!next) break;
    evidence.push(...next.evidence);
    via = next.relation;
    cur = next.to;
  }
  return { names, evidence };
}

function dedupeEvidence(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const k = `${e.code}|${e.location.file}|${e.location.pointer ?? ""}|${e.location.line ?? ""}|${e.raw ?? ""}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
