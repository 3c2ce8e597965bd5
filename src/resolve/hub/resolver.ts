/**
 * The Hugging Face Hub resolver: follows `base_model` chains (and the other declarations in `facts.ts`) through the
 * Hub with `@huggingface/hub`, recursively up to a depth limit, with de-duplication and cycle detection.
 *
 * Per repo it costs, on a cold cache, one `modelInfo` call (`expand`: author, cardData, config, tags, gguf, gated,
 * sha, createdAt, siblings) and one GET per file only when the info does not settle the lineage: the README for prose, `adapter_config.json`, `mergekit_config.yml`, `config.json`
 * for nested components, or a GGUF header. Everything read names the repo, the file and the commit sha.
 *
 * Order of sources per repo: aiprov's cache (a fresh "latest" entry, then the record of that commit), the Hugging
 * Face cache (`refs/main` and its snapshot), then the network. `offline` means no request at all: caches only.
 * Failures never throw: the repo comes back `undetermined` with a reason (`not-found`, `not-found-or-private`,
 * `gated`, `forbidden`, `rate-limited`, `hub-error`, `unreachable`, `offline`, `depth-limit`).
 *
 * The parts: http.ts (the one fetch: token scope, timeouts, retries, size cap), lookup.ts (cache order, one repo),
 * record.ts (a repo's record in named passes), walk.ts (the walk up the lineage and the assembled answers),
 * failures.ts (what a failure means and how it is named).
 */
import type { Diagnostic, Publisher } from "../../model/types.js";
import { hubOrg } from "../../util/hub-id.js";
import { toPublisher, type KnowledgeBase } from "../knowledge/knowledge-base.js";
import type { Resolver } from "../types.js";
import { DiskCache, HfCache } from "./cache.js";
import { DEFAULT_HUB_URL } from "./endpoint.js";
import { createHubFetch, type HubFetch } from "./http.js";
import { createLookup } from "./lookup.js";
import { assembleUpstream, walkLineage } from "./walk.js";
import { trimEndChars } from "../../util/text.js";

/** Default Hub endpoint. */
export { DEFAULT_HUB_URL };

/** Settings of {@link createHubResolver}. */
export interface HubResolverOptions {
  kb: KnowledgeBase;
  hubUrl?: string;
  token?: string;
  /** No request at all: answer from the caches and the knowledge base. */
  offline?: boolean;
  /** Ignore cached "latest" entries (records of a commit stay valid: they are immutable). */
  refresh?: boolean;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Maximum requests in flight. */
  concurrency?: number;
  /** Maximum hops followed from the repos asked for (default 10). */
  maxDepth?: number;
  /** Maximum repos looked up per resolution (default 500, `DEFAULT_HUB_LOOKUP_BUDGET` in walk.ts); past it: undetermined. */
  lookupBudget?: number;
  /** aiprov cache (undefined: no disk cache). */
  cache?: DiskCache;
  /** Hugging Face cache to read first (undefined: none). */
  hfCache?: HfCache;
  env?: NodeJS.ProcessEnv;
  /** Retry settings passed to the fetch wrapper (tests shorten them). */
  retries?: number;
  backoffMs?: number;
  /** Progress callback: repos finished and repos known so far. */
  onProgress?: (done: number, total: number) => void;
}

/** A Hub resolver, with its request counter. */
export interface HubResolver extends Resolver {
  /** HTTP requests sent so far. */
  requestCount(): number;
}

/** The publisher of a repo: the knowledge base's entry for its org, else the Hub author with an unknown country. */
function publisherFor(kb: KnowledgeBase, repo: string, author: string | undefined): Publisher {
  const org = hubOrg(repo);
  const entry = kb.publisherForOrg(org);
  if (entry) return toPublisher(org, entry);
  return {
    org,
    entity: author ?? org,
    country: "unknown",
    source: "Hugging Face Hub author (not in the knowledge base)",
  };
}

/**
 * Creates the Hub resolver. Library code: never prints; problems become {@link Diagnostic}s, each said once.
 */
export function createHubResolver(options: HubResolverOptions): HubResolver {
  const hubUrl = trimEndChars(options.hubUrl ?? DEFAULT_HUB_URL, "/");
  const maxDepth = options.maxDepth ?? 10;
  const http: HubFetch = createHubFetch({
    hubUrl,
    ...(options.token ? { token: options.token } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const diags = new Map<string, Diagnostic>();
  const say = (key: string, d: Diagnostic): void => {
    if (!diags.has(key)) diags.set(key, d);
  };
  const lookup = createLookup({
    hubUrl,
    http,
    offline: !!options.offline,
    refresh: !!options.refresh,
    cache: options.cache,
    hfCache: options.hfCache,
    say,
  });
  const publisherOf = (repo: string, author: string | undefined): Publisher => publisherFor(options.kb, repo, author);
  return {
    network: !options.offline,
    requestCount: () => http.requestCount(),
    diagnostics: () => [
      ...diags.values(),
      ...[...new Set(options.cache?.problems ?? [])].map((message): Diagnostic => ({
        code: "cache-problem",
        severity: "warning",
        message,
      })),
    ],
    async resolve(repos) {
      const walk = await walkLineage(repos, lookup, maxDepth, say, options.onProgress, options.lookupBudget);
      return assembleUpstream(walk, maxDepth, publisherOf, say);
    },
  };
}
