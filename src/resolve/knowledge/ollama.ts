/**
 * Maps Ollama library tags found by the extractors to the Hub models they package, through the knowledge base's
 * cited table (`rules/knowledge/ollama-tags.yaml`). A mapped reference becomes a Hub-id reference (so lineage and
 * policy see the upstream) and keeps the tag and the citation in its facts; a tag not in the table keeps kind
 * `ollama-tag` with skip reason `unknown-alias`. Pure: reads nothing, touches no network.
 */
import type { ModelReference } from "../../model/types.js";
import type { KnowledgeBase } from "./knowledge-base.js";

/** Returns the references with Ollama tags mapped to their upstream Hub repos where the table knows them. */
export function mapOllamaTags(references: readonly ModelReference[], kb: KnowledgeBase): ModelReference[] {
  return references.map((r) => {
    if (r.kind !== "ollama-tag" || !r.target || r.skipReason) return r;
    const hit = kb.ollamaUpstream?.(r.target);
    if (!hit) return { ...r, skipReason: "unknown-alias" };
    return {
      ...r,
      kind: "hub-id",
      target: hit.repo,
      facts: { ...(r.facts ?? {}), ollamaTag: r.target, mappedBy: hit.entry.source.url ?? hit.entry.source.title },
    };
  });
}
