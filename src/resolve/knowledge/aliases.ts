/**
 * Maps bare model names found by the extractors to the Hub repositories they stand for, through the knowledge base's
 * cited table (`rules/knowledge/hub-aliases.yaml`): the Hub's legacy un-namespaced ids (`gpt2` ->
 * `openai-community/gpt2`) and a library's short names in the context of its loader (`SentenceTransformer(
 * "all-mpnet-base-v2")` -> `sentence-transformers/all-mpnet-base-v2`). A mapped reference becomes a Hub-id reference
 * (so lineage and policy see the repository, offline too) and keeps the name and the citation in its facts; a name
 * not in the table is left as it was. Pure: reads nothing, touches no network.
 */
import type { ModelReference } from "../../model/types.js";
import type { KnowledgeBase } from "./knowledge-base.js";

/** Whether a reference is a bare name that no other step resolved (a Hub id without organisation, an unknown alias). */
function isBareName(r: ModelReference): r is ModelReference & { target: string } {
  if (!r.target || r.usage === "name" || r.localTarget) return false;
  if (r.kind === "known-component") return r.skipReason === "unknown-alias";
  return r.kind === "hub-id" && !r.target.includes("/") && (!r.skipReason || r.skipReason === "unknown-alias");
}

/** Returns the references with bare names mapped to the Hub repositories the table says they stand for. */
export function mapHubAliases(references: readonly ModelReference[], kb: KnowledgeBase): ModelReference[] {
  return references.map((r) => {
    if (!isBareName(r)) return r;
    const loader = typeof r.facts?.loader === "string" ? r.facts.loader : undefined;
    const hit = kb.hubAlias?.(r.target, loader);
    if (!hit) return r;
    const { skipReason: _drop, ...rest } = r;
    return {
      ...rest,
      kind: "hub-id",
      target: hit.repo,
      facts: { ...(r.facts ?? {}), alias: r.target, mappedBy: hit.entry.source.url ?? hit.entry.source.title },
    };
  });
}
