/**
 * Status settlement, the last pass of the lineage: each component in the tree gets its status from the edges and open
 * references the earlier passes left, then a model takes on what its parts are.
 * Order of the questions for one component (first that holds wins): unparsable (kept); a weight edge to a third-party
 * or undetermined node -> third-party; a tokenizer equal to or extending a known third party's -> third-party
 * (`tokenizer-of`); weights compared but inconclusive -> undetermined; a configuration equal to a third party's
 * released checkpoint, not settled by weights -> undetermined (`checkpoint-signature-match`); an unresolved reference
 * -> undetermined; else no third-party lineage, with what was checked.
 */
import type { LineageEdge, LineageNode } from "../model/types.js";
import { WEIGHT_RELATIONS } from "../model/relations.js";
import type { WeightInconclusiveInput } from "../model/weight-evidence.js";
import type { GraphBuilder } from "./graph.js";
import type { CheckedLog } from "./knowledge-evidence.js";
import type { UnresolvedLog } from "./references.js";

/** A configuration match the weights settled: every comparison on it says not derived. */
function settledByWeights(e: LineageEdge): boolean {
  const compared = e.evidence.filter((x) => x.code === "weight-comparison");
  return compared.length > 0 && compared.every((x) => x.args?.outcome === "not-derived");
}

/** A tokenizer-of edge to a third party whose vocabulary the project's equals or extends, or undefined. */
function reusedTokenizer(b: GraphBuilder, node: LineageNode, own: readonly LineageEdge[]): LineageNode["statusReason"] {
  if (node.role !== "tokenizer") return undefined;
  const tok = own.find(
    (e) =>
      e.relation === "tokenizer-of" &&
      e.evidence.some((x) => x.args?.verdict === "identical" || x.args?.verdict === "extended") &&
      b.nodes.get(e.to)?.status === "third-party",
  );
  if (!tok) return undefined;
  const ev = tok.evidence.find((x) => x.code === "tokenizer-fingerprint");
  return {
    code: "tokenizer-of",
    args: {
      known: b.nodes.get(tok.to)!.name,
      verdict: String(ev?.args?.verdict ?? "identical"),
      newTokens: Number(ev?.args?.newTokens ?? 0),
    },
  };
}

/** A configuration equal to a third party's released checkpoint and not settled by weights: the reason, or undefined. */
function checkpointMatch(b: GraphBuilder, own: readonly LineageEdge[]): LineageNode["statusReason"] {
  const matching = own.filter(
    (e) =>
      e.relation === "same-architecture" &&
      e.evidence.some((x) => x.code === "signature-match" && x.args?.level === "checkpoint") &&
      b.nodes.get(e.to)?.status === "third-party" &&
      !settledByWeights(e),
  );
  const first = matching[0];
  if (!first) return undefined;
  const all = matching.map((e) => b.nodes.get(e.to)?.name ?? e.to);
  const pending = first.evidence.filter((x) => x.code === "weight-comparison" && x.args?.outcome === "undetermined");
  return {
    code: "checkpoint-signature-match",
    args: {
      known: all.length > 1 ? all.join(" / ") : (b.nodes.get(first.to)?.name ?? first.to),
      ...(all.length > 1 ? { candidates: all } : {}),
      ...(pending.length > 0
        ? {
            weights: [...new Set(pending.map((x) => String(x.args?.reason)))],
            upstreams: pending.map((x) => String(x.args?.upstream)),
            compare: pending.map((x) => String(x.args?.command)),
          }
        : {}),
    },
  };
}

/**
 * Sets the status of every component in the tree from its own edges and open references (see the module comment).
 * @param inconclusive weight comparisons between the thresholds, per component.
 */
export function settleLocalStatuses(
  b: GraphBuilder,
  unresolvedBy: UnresolvedLog,
  checked: CheckedLog,
  inconclusive: readonly WeightInconclusiveInput[],
): void {
  const edges = [...b.edges.values()];
  for (const node of b.nodes.values()) {
    if (node.kind !== "local" || node.status === "undetermined") continue;
    const own = edges.filter((e) => e.from === node.id && e.relation !== "component-of");
    if (
      own.some(
        (e) =>
          WEIGHT_RELATIONS.has(e.relation) && ["third-party", "undetermined"].includes(b.nodes.get(e.to)?.status ?? ""),
      )
    ) {
      node.status = "third-party";
      continue;
    }
    // A tokenizer equal to, or extending, a known third party's is that party's tokenizer (a fact, not weights).
    const tokenizer = reusedTokenizer(b, node, own);
    const w = inconclusive.find((x) => `local:${x.subject}` === node.id);
    const weights: LineageNode["statusReason"] = w
      ? {
          code: "weights-inconclusive",
          args: {
            entry: w.entry,
            name: w.name,
            component: w.component,
            pearson: w.pearson,
            controlPearson: w.controlPearson,
            values: w.values,
          },
        }
      : undefined;
    const open = unresolvedBy.get(node.id) ?? [];
    const unresolved: LineageNode["statusReason"] =
      open.length > 0
        ? {
            code: "unresolved-reference",
            args: { reason: open[0]!.skipReason ?? "unresolved", raw: open[0]!.raw, count: open.length },
          }
        : undefined;
    if (tokenizer) {
      node.status = "third-party";
      node.statusReason = tokenizer;
      continue;
    }
    const reason = weights ?? checkpointMatch(b, own) ?? unresolved;
    if (reason) {
      node.status = "undetermined";
      node.statusReason = reason;
      continue;
    }
    node.checked = checked.get(node.id) ?? [];
  }
}

/** A model is no cleaner than its parts: a part's third-party or undetermined origin shows on the whole. */
export function settleParts(b: GraphBuilder): void {
  const partsOf = new Map<string, string[]>();
  for (const e of b.edges.values())
    if (e.relation === "component-of" && b.nodes.get(e.from)?.kind === "local" && b.nodes.get(e.to)?.kind === "local")
      partsOf.set(e.to, [...(partsOf.get(e.to) ?? []), e.from]);
  const settle = (id: string, seen: Set<string>): LineageNode["status"] => {
    const node = b.nodes.get(id)!;
    if (seen.has(id) || node.status !== "no-third-party-lineage") return node.status;
    seen.add(id);
    // A reused tokenizer is reported on the tokenizer itself; it says nothing about the model's weights.
    const parts = (partsOf.get(id) ?? [])
      .map((p) => ({ id: p, status: settle(p, seen) }))
      .filter((p) => b.nodes.get(p.id)!.statusReason?.code !== "tokenizer-of");
    const third = parts.filter((p) => p.status === "third-party").map((p) => b.nodes.get(p.id)!.name);
    const und = parts.filter((p) => p.status === "undetermined").map((p) => b.nodes.get(p.id)!.name);
    if (third.length > 0) {
      node.status = "third-party";
      node.statusReason = {
        code: "part-third-party",
        args: { parts: third, ...(und.length ? { undetermined: und } : {}) },
      };
    } else if (und.length > 0) {
      node.status = "undetermined";
      node.statusReason = { code: "part-undetermined", args: { parts: und } };
    }
    if (node.status !== "no-third-party-lineage") delete node.checked;
    return node.status;
  };
  for (const n of b.nodes.values()) if (n.kind === "local") settle(n.id, new Set());
}
