/**
 * Maps bare model names found by the extractors to the Hub repositories they stand for, through the knowledge base's
 * cited table (`rules/knowledge/hub-aliases.yaml`): the Hub's legacy un-namespaced ids (`gpt2` ->
 * `openai-community/gpt2`) and a library's short names in the context of its loader (`SentenceTransformer(
 * "all-mpnet-base-v2")` -> `sentence-transformers/all-mpnet-base-v2`). A mapped reference becomes a Hub-id reference
 * (so lineage and policy see the repository, offline too) and keeps the name and the citation in its facts; a name
 * not in the table is left as it was. {@link canonicalHubCase} spells a Hub id written in several cases one way.
 * Pure: reads nothing, touches no network.
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

/** Hub ids as the knowledge base spells them (its checkpoints' repos), by lower-cased id. */
function knownSpellings(kb: KnowledgeBase): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of kb.components)
    for (const cp of c.checkpoints) for (const repo of cp.repos) out.set(repo.toLowerCase(), repo);
  return out;
}

/**
 * Spells each Hub id one way: the Hub resolves repo ids case-insensitively (`qwen/Qwen-VL-Chat` and
 * `Qwen/Qwen-VL-Chat` are one repo), so references that differ only in case name one model. The spelling kept is the
 * knowledge base's, else one whose organisation is spelled as a known publisher spells it (`Qwen`), else the most
 * frequent in the scan (ties: the first in code-point order); a rewritten reference
 * keeps its spelling in `facts.writtenAs`. Pure.
 */
export function canonicalHubCase(references: readonly ModelReference[], kb: KnowledgeBase): ModelReference[] {
  const known = knownSpellings(kb);
  const counts = new Map<string, Map<string, number>>();
  for (const r of references) {
    if (r.kind !== "hub-id" || !r.target || r.skipReason || !r.target.includes("/")) continue;
    const byCase = counts.get(r.target.toLowerCase()) ?? new Map<string, number>();
    byCase.set(r.target, (byCase.get(r.target) ?? 0) + 1);
    counts.set(r.target.toLowerCase(), byCase);
  }
  const orgs = new Set(kb.publishers.flatMap((p) => p.orgs));
  const orgRank = (id: string): number => (orgs.has(id.split("/")[0]!) ? 0 : 1);
  const spelling = new Map<string, string>();
  for (const [lower, byCase] of counts) {
    const best = [...byCase].sort(
      (a, b) => orgRank(a[0]) - orgRank(b[0]) || b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    )[0]![0];
    spelling.set(lower, known.get(lower) ?? best);
  }
  return references.map((r) => {
    if (r.kind !== "hub-id" || !r.target || r.skipReason) return r;
    const to = spelling.get(r.target.toLowerCase());
    if (!to || to === r.target) return r;
    return { ...r, target: to, facts: { ...(r.facts ?? {}), writtenAs: r.target } };
  });
}
