/**
 * Builds the lineage graph: nodes for the components found in the tree and for their upstreams, typed edges from each
 * derived node to what it derives from, each edge carrying its evidence.
 *
 * Four named passes over one {@link GraphBuilder}, in order:
 * 1. nodes: one `local:` node per component of the tree, `component-of` edges for nested configurations (here);
 * 2. resolve: what the knowledge base and fingerprints say about each component: signatures, path segments, weights,
 *    tokenizers (src/lineage/knowledge-evidence.ts);
 * 3. references: every reference as an edge to a Hub, known, hosted or in-tree node, or an unresolved `ref:` node
 *    (src/lineage/references.ts);
 * 4. settlement: each component's status from its edges and open references, then from its parts
 *    (src/lineage/settle.ts);
 * 5. scope: nodes named only by test or benchmark code are marked `scope: "test"` (src/lineage/scope.ts).
 * Node ids are stable across runs: `local:<file>#<pointer>` for components in the tree, `hub:<org/name>` for Hub
 * repos, `known:<id>` for known pretrained components of the knowledge base, `ref:<reference id>` for references that
 * could not be resolved to anything.
 */
import type { Diagnostic, LineageGraph, LocalComponent, ModelReference } from "../model/types.js";
import type { KnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { UpstreamInfo } from "../resolve/types.js";
import type { TokenizerEvidenceInput } from "../fingerprint/tokenizer-match.js";
import type { WeightEvidenceInput, WeightInconclusiveInput } from "../model/weight-evidence.js";
import { GraphBuilder } from "./graph.js";
import {
  addStructuralEvidence,
  addTokenizerEvidence,
  addWeightEvidence,
  type CheckedLog,
} from "./knowledge-evidence.js";
import { addReferences } from "./references.js";
import { settleLocalStatuses, settleParts } from "./settle.js";
import { markTestScope } from "./scope.js";

export type { WeightEvidenceInput };

/** Inputs of {@link buildLineage}. */
export interface BuildInput {
  components: readonly LocalComponent[];
  references: readonly ModelReference[];
  kb: KnowledgeBase;
  /** Hub orgs, publisher ids or entity names that count as the applicant's own. */
  organization: readonly string[];
  /** What the resolver found for every Hub repo referenced (and their parents). */
  upstream: ReadonlyMap<string, UpstreamInfo>;
  /** Weight evidence (optional; absent when no fingerprint entry matched or none was loaded). */
  weights?: readonly WeightEvidenceInput[];
  /** Project tokenizers equal to, extending or overlapping known tokenizers (optional). */
  tokenizers?: readonly TokenizerEvidenceInput[];
  /** Weight comparisons between the thresholds (optional). */
  weightsInconclusive?: readonly WeightInconclusiveInput[];
}

/** Pass 1: a node per component of the tree (unparsable ones undetermined) and `component-of` edges for nesting. */
export function addLocalNodes(b: GraphBuilder, components: readonly LocalComponent[]): void {
  for (const c of components) {
    b.nodes.set(`local:${c.key}`, {
      id: `local:${c.key}`,
      kind: "local",
      role: c.role,
      name: c.name,
      location: c.location,
      ...(c.license ? { license: c.license } : {}),
      ...(c.claims ? { claims: c.claims } : {}),
      status: c.unparsable ? "undetermined" : "no-third-party-lineage",
      ...(c.unparsable
        ? {
            statusReason:
              c.facts?.notRead === "folder-unreadable"
                ? { code: "folder-not-read", args: { folder: c.location.file } }
                : typeof c.facts?.notRead === "string"
                  ? { code: "manifest-not-read", args: { file: c.location.file, reason: c.facts.notRead } }
                  : { code: "manifest-unparsable", args: { file: c.location.file } },
          }
        : {}),
      inProduct: true,
    });
  }
  for (const c of components) {
    if (c.parent && b.nodes.has(`local:${c.parent}`)) {
      b.addEdge(`local:${c.key}`, `local:${c.parent}`, "component-of", {
        code: "nested-component-config",
        strength: "declared",
        location: c.location,
        raw: c.location.pointer ?? "",
      });
    }
  }
}

/** Builds the graph (see the module comment for the passes). Pure: no I/O. Nodes and edges come out sorted by id. */
export function buildLineage(input: BuildInput): { graph: LineageGraph; diagnostics: Diagnostic[] } {
  const b = new GraphBuilder({ kb: input.kb, organization: input.organization, upstream: input.upstream });
  const checked: CheckedLog = new Map();
  addLocalNodes(b, input.components);
  addStructuralEvidence(b, input.components, checked);
  addWeightEvidence(b, input.weights ?? [], checked);
  addTokenizerEvidence(b, input.tokenizers ?? [], checked);
  const unresolvedBy = addReferences(b, input.references, checked);
  settleLocalStatuses(b, unresolvedBy, checked, input.weightsInconclusive ?? []);
  settleParts(b);
  const nodes = [...b.nodes.values()].sort((a, c) => a.id.localeCompare(c.id));
  const edges = [...b.edges.values()].sort(
    (a, c) => a.from.localeCompare(c.from) || a.to.localeCompare(c.to) || a.relation.localeCompare(c.relation),
  );
  const graph = { nodes, edges };
  markTestScope(graph);
  return { graph, diagnostics: [] };
}
