/**
 * One repo's lookup, in the order aiprov trusts its sources: aiprov's cache (a fresh "latest" entry, then the record
 * of that commit), the Hugging Face cache (`refs/main` and its snapshot), then the network (model info, checked for
 * shape, then the record built from it). `offline` means no request at all. Never throws: a failure comes back as
 * a classified {@link Failure}; a definite one (404, 401, 403, gated) is kept as a short-lived negative entry.
 */
import { downloadFile, modelInfo } from "@huggingface/hub";
import type { Diagnostic } from "../../model/types.js";
import type { DiskCache, HfCache } from "./cache.js";
import { reasonOf, type Failure } from "./failures.js";
import { HubHttpError, HubOversizedError, HubUnreachableError, type HubFetch } from "./http.js";
import { buildRecord, isRepoRecord, malformedInfo, type RecordSources, type RepoRecord } from "./record.js";

/** A repo's record, or why there is none. */
export type Lookup = { record: RepoRecord } | Failure;

/** What a lookup reads from and reports to. */
export interface LookupContext {
  hubUrl: string;
  http: HubFetch;
  offline: boolean;
  refresh: boolean;
  cache: DiskCache | undefined;
  hfCache: HfCache | undefined;
  say(key: string, d: Diagnostic): void;
}

/** Most bytes read from one Hub file (8 MiB, the scan's own text limit). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

const INFO_FIELDS = [
  "author",
  "cardData",
  "config",
  "tags",
  "gguf",
  "gated",
  "sha",
  "createdAt",
  "siblings",
  "pipeline_tag",
];

/** The file sources of {@link buildRecord}: the Hugging Face cache first, then one GET per file. */
function recordSources(ctx: LookupContext): RecordSources {
  const download = async (repo: string, sha: string, path: string): Promise<string | undefined> => {
    const local = ctx.hfCache?.file(repo, sha, path);
    if (local !== undefined) return local;
    if (ctx.offline) return undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        // One GET per file: the file's URL at the commit is known, so the library's size/ETag probe
        // (`fileDownloadInfo`, a second request) is skipped; a missing file answers 404 EntryNotFound.
        const url = `${ctx.hubUrl}/${repo}/resolve/${encodeURIComponent(sha)}/${path.split("/").map(encodeURIComponent).join("/")}`;
        const blob = await downloadFile({
          repo,
          path,
          revision: sha,
          hubUrl: ctx.hubUrl,
          fetch: ctx.http.fetch,
          xet: false,
          downloadInfo: { url, etag: "", size: Number.MAX_SAFE_INTEGER },
        });
        // A Range request caps what is read (cards and configs are small; a huge one is cut, then fails to parse).
        return blob ? await blob.slice(0, MAX_FILE_BYTES).text() : undefined;
      } catch (err) {
        if (err instanceof HubHttpError && err.errorCode === "EntryNotFound") return undefined;
        if (err instanceof HubHttpError && err.status === 416) return "";
        if (
          err instanceof HubHttpError ||
          err instanceof HubUnreachableError ||
          err instanceof HubOversizedError ||
          attempt >= 1
        )
          throw err;
        // A body cut short (connection reset mid-transfer): try once more.
      }
    }
  };
  return {
    download,
    cachedFile: (repo, sha, path) => ctx.hfCache?.file(repo, sha, path),
    offline: ctx.offline,
    hubUrl: ctx.hubUrl,
    fetch: ctx.http.fetch,
    say: ctx.say,
  };
}

const unreachableSaid = (ctx: LookupContext, detail: unknown): Diagnostic => ({
  code: "hub-unreachable",
  severity: "warning",
  message: `${ctx.http.unreachable() ?? String(detail)}: lineage beyond the knowledge base and caches is undetermined`,
});

/** The network lookup: model info at `main`, its shape checked, then the commit's cached record or a new one. */
async function lookupNetwork(ctx: LookupContext, src: RecordSources, repo: string): Promise<Lookup> {
  let info: Record<string, unknown>;
  try {
    info = (await modelInfo({
      name: repo,
      hubUrl: ctx.hubUrl,
      revision: "main",
      fetch: ctx.http.fetch,
      additionalFields: INFO_FIELDS as never[],
    })) as unknown as Record<string, unknown>;
  } catch (err) {
    const r = reasonOf(err);
    if (r.unreachable) ctx.say("unreachable", unreachableSaid(ctx, r.missing.args?.message));
    return r;
  }
  const malformed = malformedInfo(info);
  if (malformed)
    return { missing: { code: "hub-error", args: { message: `malformed answer: ${malformed}` } }, cacheable: false };
  const sha = info.sha as string;
  // `--refresh` trusts nothing cached, not even the immutable record of a commit.
  const cached = ctx.refresh ? undefined : ctx.cache?.getRecord<RepoRecord>(repo, sha, isRepoRecord);
  // An undetermined record (gated, forbidden) depends on who asks: online, ask again rather than reuse it.
  if (cached?.v === 1 && cached.state !== "undetermined") {
    ctx.cache?.putLatest(repo, { sha, fetchedAt: Date.now() });
    return { record: cached };
  }
  let record: RepoRecord;
  try {
    record = await buildRecord(src, repo, sha, info, "hub");
  } catch (err) {
    const r = reasonOf(err);
    if (r.unreachable) ctx.say("unreachable", unreachableSaid(ctx, r.missing.args?.message));
    if (r.unreachable || !r.cacheable) return r;
    // Gated or forbidden file: the repo exists, its lineage could not be read.
    record = {
      v: 1,
      repo,
      sha,
      ...(typeof info.author === "string" ? { author: info.author } : {}),
      parents: [],
      hints: [],
      state: "undetermined",
      reason: r.missing,
      source: "hub",
      ...(r.missing.code === "gated" ? { gated: true } : {}),
    };
  }
  ctx.cache?.putRecord(repo, sha, record);
  ctx.cache?.putLatest(repo, { sha, fetchedAt: Date.now() });
  return { record };
}

/** The caches' answer for a repo (aiprov's, then the Hugging Face cache's snapshot), or undefined to ask the Hub. */
async function lookupCached(ctx: LookupContext, src: RecordSources, repo: string): Promise<Lookup | undefined> {
  const fresh = !ctx.refresh || ctx.offline;
  const latest = fresh ? ctx.cache?.getLatest(repo, Date.now(), ctx.offline) : undefined;
  if (latest?.missing) return { missing: latest.missing, cacheable: false };
  if (latest?.sha) {
    const rec = ctx.cache?.getRecord<RepoRecord>(repo, latest.sha, isRepoRecord);
    if (rec?.v === 1 && (rec.state !== "undetermined" || ctx.offline)) return { record: rec };
  }
  const hfSha = fresh ? ctx.hfCache?.ref(repo) : undefined;
  if (!hfSha) return undefined;
  const rec = ctx.cache?.getRecord<RepoRecord>(repo, hfSha, isRepoRecord);
  if (rec?.v === 1) return { record: rec };
  if (
    ctx.hfCache?.file(repo, hfSha, "README.md") === undefined &&
    ctx.hfCache?.file(repo, hfSha, "config.json") === undefined
  )
    return undefined;
  try {
    const record = await buildRecord(src, repo, hfSha, undefined, "hf-cache");
    ctx.cache?.putRecord(repo, hfSha, record);
    return { record };
  } catch {
    return undefined; // fall through to the network
  }
}

/**
 * Creates the memoised lookup of a resolver: each repo (case-insensitive) is looked up once per resolver, whatever
 * the number of paths that reach it.
 */
export function createLookup(ctx: LookupContext): (repo: string) => Promise<Lookup> {
  const src = recordSources(ctx);
  const memo = new Map<string, Promise<Lookup>>();
  const lookup = async (repo: string): Promise<Lookup> => {
    const cached = await lookupCached(ctx, src, repo);
    if (cached) return cached;
    if (ctx.offline) return { missing: { code: "offline" }, cacheable: false };
    const r = await lookupNetwork(ctx, src, repo);
    if ("missing" in r && r.cacheable) ctx.cache?.putLatest(repo, { missing: r.missing, fetchedAt: Date.now() });
    return r;
  };
  return (repo) => {
    const key = repo.toLowerCase();
    let p = memo.get(key);
    if (!p) {
      p = lookup(repo);
      memo.set(key, p);
    }
    return p;
  };
}
