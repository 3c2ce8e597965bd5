/**
 * The two passes of a Hub resolution after the per-repo lookups: the walk up the lineage (breadth by promise, with
 * de-duplication, case-insensitive ids and a depth limit) and the assembly of each repo's {@link UpstreamInfo} (own
 * parents, or the hints other cards give about it; the failure of a repo the Hub could not answer for, named once).
 */
import type { Diagnostic, Publisher } from "../../model/types.js";
import { parseHubId } from "../../util/hub-id.js";
import type { UpstreamInfo } from "../types.js";
import type { Parent } from "./facts.js";
import { failureText } from "./failures.js";
import type { Lookup } from "./lookup.js";

/** What the walk found: each repo's lookup, its depth and its first spelling, keyed by the lowercase id. */
export interface Walk {
  results: Map<string, Lookup>;
  depthOf: Map<string, number>;
  canonical: Map<string, string>;
  /** Repos (lowercase ids) with parents left unlooked-up because the lookup budget was spent: undetermined. */
  overBudget?: Set<string>;
  /** The lookup budget of the walk. */
  budget?: number;
}

/** Default number of repos one scan may look up on the Hub (`--hub-lookup-budget`). */
export const DEFAULT_HUB_LOOKUP_BUDGET = 500;

/**
 * Looks up `repos` and every parent and hinted parent up to `maxDepth` hops (a hint counts two), each repo once.
 * A repo with parents at the depth limit is said (`hub-depth-limit`). At most `budget` repos are looked up per walk
 * (cards that fan out would otherwise cost their width to the power of the depth): a repo whose parents are past the
 * budget is undetermined (`overBudget`), a repo asked for past it fails with `lookup-budget-exceeded`, and the budget
 * is named once (`hub-lookup-budget`).
 */
export async function walkLineage(
  repos: Iterable<string>,
  lookup: (repo: string) => Promise<Lookup>,
  maxDepth: number,
  say: (key: string, d: Diagnostic) => void,
  onProgress?: (done: number, total: number) => void,
  budget = DEFAULT_HUB_LOOKUP_BUDGET,
): Promise<Walk> {
  const walk: Walk = { results: new Map(), depthOf: new Map(), canonical: new Map(), overBudget: new Set(), budget };
  const pending = new Set<Promise<void>>();
  let done = 0;
  let looked = 0;
  const schedule = (repo: string, depth: number, from?: string): void => {
    const key = repo.toLowerCase();
    if (walk.canonical.has(key)) return;
    if (looked >= budget) {
      say("lookup-budget", {
        code: "hub-lookup-budget",
        severity: "warning",
        message: `more than ${budget} Hub repos in the lineage: the lookup budget (--hub-lookup-budget ${budget}) is spent, the ancestors past it are undetermined`,
      });
      if (from !== undefined) return void walk.overBudget!.add(from);
      walk.canonical.set(key, repo);
      walk.depthOf.set(key, depth);
      walk.results.set(key, { missing: { code: "lookup-budget-exceeded", args: { budget } }, cacheable: false });
      return;
    }
    looked++;
    walk.canonical.set(key, repo);
    walk.depthOf.set(key, depth);
    const p = lookup(repo).then((r) => {
      walk.results.set(key, r);
      done++;
      onProgress?.(done, walk.canonical.size);
      if (!("record" in r)) return;
      if (depth >= maxDepth) {
        if (r.record.parents.length > 0)
          say(`depth:${key}`, {
            code: "hub-depth-limit",
            severity: "info",
            message: `${repo}: lineage not followed past ${maxDepth} hops`,
          });
        return;
      }
      for (const parent of r.record.parents) schedule(parent.repo, depth + 1, key);
      for (const h of r.record.hints) schedule(h.parent.repo, depth + 2, key);
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  for (const repo of repos) {
    const h = parseHubId(repo);
    if (h) schedule(h.id, 0);
  }
  while (pending.size > 0) await Promise.all([...pending]);
  return walk;
}

/**
 * Each walked repo's {@link UpstreamInfo}. Hints ("Y (based on X)" in some card) stand in for Y's own declarations
 * only when Y declares nothing. Offline and unreachable repos have a known publisher and a lineage not looked up (the
 * packs raise their undetermined finding on it); any other failure leaves the repo undetermined. Every repo the Hub
 * could not answer for is named in a `hub-lookup-failed` diagnostic: missing data is never silent.
 */
export function assembleUpstream(
  walk: Walk,
  maxDepth: number,
  publisherOf: (repo: string, author: string | undefined) => Publisher,
  say: (key: string, d: Diagnostic) => void,
): Map<string, UpstreamInfo> {
  const hints = new Map<string, Parent[]>();
  for (const r of walk.results.values())
    if ("record" in r)
      for (const h of r.record.hints)
        hints.set(h.subject.toLowerCase(), [...(hints.get(h.subject.toLowerCase()) ?? []), h.parent]);
  const out = new Map<string, UpstreamInfo>();
  for (const [key, r] of walk.results) {
    const repo = walk.canonical.get(key)!;
    if ("record" in r) {
      const rec = r.record;
      const own = rec.parents.length > 0 ? rec.parents : (hints.get(key) ?? []);
      const beyond = (walk.depthOf.get(key) ?? 0) >= maxDepth && own.length > 0;
      const budgetSpent = walk.overBudget?.has(key) === true;
      out.set(repo, {
        repo,
        revision: rec.sha,
        ...(rec.createdAt ? { releaseTime: rec.createdAt } : {}),
        publisher: publisherOf(repo, rec.author),
        ...(rec.license ? { license: rec.license } : {}),
        ...(rec.task ? { task: rec.task } : {}),
        ...(rec.datasets?.length ? { datasets: rec.datasets } : {}),
        state: budgetSpent ? "undetermined" : rec.state,
        ...(budgetSpent
          ? { reason: { code: "lookup-budget-exceeded", args: { budget: walk.budget ?? DEFAULT_HUB_LOOKUP_BUDGET } } }
          : rec.reason
            ? { reason: rec.reason }
            : {}),
        parents: own.map((p) => ({
          repo: walk.canonical.get(p.repo.toLowerCase()) ?? p.repo,
          relation: p.relation,
          evidence: p.evidence,
          ...(p.role ? { role: p.role } : {}),
        })),
        lineageLookedUp: !beyond,
      });
      continue;
    }
    const failed = (): void =>
      say(`missing:${key}`, {
        code: "hub-lookup-failed",
        severity: "warning",
        message: `${repo}: ${failureText(r.missing)}; its lineage is undetermined`,
      });
    if (r.missing.code === "offline" || r.missing.code === "unreachable") {
      // As the offline resolver: the publisher is known, the repo's own lineage was not looked up. An unreachable
      // Hub gives the same findings as --offline; only the reason (kept here) and the per-repo diagnostic differ.
      out.set(repo, {
        repo,
        publisher: publisherOf(repo, undefined),
        state: "resolved",
        ...(r.missing.code === "unreachable" ? { reason: r.missing } : {}),
        parents: [],
        lineageLookedUp: false,
      });
      if (r.missing.code === "unreachable") failed();
      continue;
    }
    out.set(repo, {
      repo,
      publisher: publisherOf(repo, undefined),
      state: "undetermined",
      reason: r.missing,
      parents: [],
      lineageLookedUp: false,
    });
    // Past the lookup budget: named once by the walk (`hub-lookup-budget`), not per repo.
    if (r.missing.code === "lookup-budget-exceeded") continue;
    if (r.missing.code === "rate-limited" || r.missing.code === "hub-error") {
      say(`missing:${r.missing.code}`, {
        code: `hub-${r.missing.code}`,
        severity: "warning",
        message: `${repo}: the Hub answered ${String(r.missing.args?.status ?? r.missing.args?.message ?? "an error")} after retries; its lineage is undetermined`,
      });
    }
    failed();
  }
  return out;
}
