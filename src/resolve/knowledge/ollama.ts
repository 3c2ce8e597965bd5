/**
 * Maps Ollama library tags found by the extractors to the Hub models they package, through the knowledge base's
 * cited table (`rules/knowledge/ollama-tags.yaml`). A mapped reference becomes a Hub-id reference (so lineage and
 * policy see the upstream) and keeps the tag and the citation in its facts; a tag not in the table keeps kind
 * `ollama-tag` with skip reason `unknown-alias`. A value the extractor could not place (an unknown alias) that has the
 * shape of a sized Ollama tag of a library name the table lists (`qwen3.5:9b` in an env default read by code that
 * talks to Ollama over HTTP) is mapped the same way; a bare name (`mistral`) is not, since it names other things too.
 * Pure: reads nothing, touches no network.
 */
import type { ModelReference } from "../../model/types.js";
import type { KnowledgeBase } from "./knowledge-base.js";

/** `<library name>:<size tag>`, as Ollama writes a sized tag. */
const SIZED_TAG = /^[a-z0-9][a-z0-9._-]*:[a-z0-9][a-z0-9._-]*$/i;

/** An unknown alias shaped like a sized tag of a library name the table lists. */
function isTagShaped(r: ModelReference, kb: KnowledgeBase): boolean {
  return (
    r.kind === "known-component" &&
    r.skipReason === "unknown-alias" &&
    r.usage !== "name" &&
    !!r.target &&
    SIZED_TAG.test(r.target) &&
    kb.ollamaUpstream?.(r.target) !== undefined
  );
}

/** Returns the references with Ollama tags mapped to their upstream Hub repos where the table knows them. */
export function mapOllamaTags(references: readonly ModelReference[], kb: KnowledgeBase): ModelReference[] {
  return references.map((r) => {
    const shaped = isTagShaped(r, kb);
    if (!r.target || (!shaped && (r.kind !== "ollama-tag" || r.skipReason))) return r;
    const hit = kb.ollamaUpstream?.(r.target);
    if (!hit) return { ...r, skipReason: "unknown-alias" };
    const { skipReason: _drop, ...rest } = r;
    return {
      ...rest,
      kind: "hub-id",
      target: hit.repo,
      facts: { ...(r.facts ?? {}), ollamaTag: r.target, mappedBy: hit.entry.source.url ?? hit.entry.source.title },
    };
  });
}
