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
 */
import { downloadFile, modelInfo } from "@huggingface/hub";
import { gguf } from "@huggingface/gguf";
import type { Diagnostic, Publisher } from "../../model/types.js";
import { hubOrg, parseHubId } from "../../util/hub-id.js";
import { cardLicense, findFrontMatter } from "../../extract/extractors/model-card/index.js";
import { hfConfigExtractor } from "../../extract/extractors/hf-config/index.js";
import type { FileReader } from "../../extract/types.js";
import { toPublisher, type KnowledgeBase } from "../knowledge/knowledge-base.js";
import type { Resolver, UpstreamInfo } from "../types.js";
import { DiskCache, HfCache } from "./cache.js";
import { DEFAULT_HUB_URL } from "./endpoint.js";
import { addParent, autoMapParents, cardParents, ggufParents, hubLocation, mergekitParents, peftParent, proseParents, type Hint, type Parent, type RepoTraits } from "./facts.js";
import { createHubFetch, HubHttpError, HubTransferError, HubUnreachableError, type HubFetch } from "./http.js";
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

/** What is cached per repo and commit. */
interface RepoRecord {
  v: 1;
  repo: string;
  sha: string;
  author?: string;
  license?: string;
  gated?: boolean;
  /** When the repo was created on the Hub (ISO 8601, from the info's `createdAt`): its release time. */
  createdAt?: string;
  parents: Parent[];
  hints: Hint[];
  state: "resolved" | "undetermined";
  reason?: UpstreamInfo["reason"];
  /** Where the facts came from: `hub`, `hf-cache`. */
  source: string;
}

type Lookup = { record: RepoRecord } | { missing: NonNullable<UpstreamInfo["reason"]>; cacheable: boolean };

/** Most bytes read from one Hub file (8 MiB, the scan's own text limit). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Architectures and model types of composite models (several pretrained parts), whose config.json is worth reading. */
const COMPOSITE = /ForConditionalGeneration|VisionText|Vision|VL|Llava|Omni|Ultravox|Speech|Audio|Vlm|multimodal|mllama|qwen2_5_vl|qwen2_vl|idefics|paligemma|internvl/i;

const INFO_FIELDS = ["author", "cardData", "config", "tags", "gguf", "gated", "sha", "createdAt", "siblings"];

/** An in-memory {@link FileReader} over downloaded text, so the local-file extractors can read Hub files. */
export function memoryReader(path: string, text: string): FileReader {
  const bytes = Buffer.from(text, "utf8");
  return {
    path,
    size: bytes.length,
    absolutePath: path,
    text: async () => text,
    head: async (n) => bytes.subarray(0, n),
    range: async (s, e) => bytes.subarray(s, e),
    stream: () => {
      throw new Error("stream() is not available for downloaded text");
    },
  };
}

function reasonOf(err: unknown): { missing: NonNullable<UpstreamInfo["reason"]>; cacheable: boolean; unreachable?: boolean } {
  if (err instanceof HubUnreachableError) return { missing: { code: "unreachable", args: { message: err.message } }, cacheable: false, unreachable: true };
  if (err instanceof HubHttpError) {
    if (err.errorCode === "GatedRepo") return { missing: { code: "gated", args: { status: err.status } }, cacheable: true };
    if (err.status === 401) return { missing: { code: "not-found-or-private", args: { status: 401, ...(err.errorCode ? { errorCode: err.errorCode } : {}) } }, cacheable: true };
    if (err.status === 403) return { missing: { code: "forbidden", args: { status: 403 } }, cacheable: true };
    if (err.status === 404) return { missing: { code: "not-found", args: { status: 404, ...(err.errorCode ? { errorCode: err.errorCode } : {}) } }, cacheable: true };
    if (err.status === 429) return { missing: { code: "rate-limited", args: { status: 429 } }, cacheable: false };
    return { missing: { code: "hub-error", args: { status: err.status } }, cacheable: false };
  }
  if (err instanceof HubTransferError) return { missing: { code: "hub-error", args: { message: err.message } }, cacheable: false };
  return { missing: { code: "hub-error", args: { message: (err as Error)?.message ?? String(err) } }, cacheable: false };
}

/**
 * Creates the Hub resolver. Library code: never prints; problems become {@link Diagnostic}s, each said once.
 */
export function createHubResolver(options: HubResolverOptions): HubResolver {
  const kb = options.kb;
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
  const memo = new Map<string, Promise<Lookup>>();

  const download = async (repo: string, sha: string, path: string): Promise<string | undefined> => {
    const local = options.hfCache?.file(repo, sha, path);
    if (local !== undefined) return local;
    if (options.offline) return undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        // One GET per file: the file's URL at the commit is known, so the library's size/ETag probe
        // (`fileDownloadInfo`, a second request) is skipped; a missing file answers 404 EntryNotFound.
        const url = `${hubUrl}/${repo}/resolve/${encodeURIComponent(sha)}/${path.split("/").map(encodeURIComponent).join("/")}`;
        const blob = await downloadFile({ repo, path, revision: sha, hubUrl, fetch: http.fetch, xet: false, downloadInfo: { url, etag: "", size: Number.MAX_SAFE_INTEGER } });
        // A Range request caps what is read (cards and configs are small; a huge one is cut, then fails to parse).
        return blob ? await blob.slice(0, MAX_FILE_BYTES).text() : undefined;
      } catch (err) {
        if (err instanceof HubHttpError && err.errorCode === "EntryNotFound") return undefined;
        if (err instanceof HubHttpError && err.status === 416) return "";
        if (err instanceof HubHttpError || err instanceof HubUnreachableError || attempt >= 1) throw err;
        // A body cut short (connection reset mid-transfer): try once more.
      }
    }
  };

  const publisherOf = (repo: string, author: string | undefined): Publisher => {
    const org = hubOrg(repo);
    const entry = kb.publisherForOrg(org);
    if (entry) return toPublisher(org, entry);
    return { org, entity: author ?? org, country: "unknown", source: "Hugging Face Hub author (not in the knowledge base)" };
  };

  /** Builds the record of one repo at one commit from its info and, when needed, a few of its files. */
  const buildRecord = async (repo: string, sha: string, info: Record<string, unknown> | undefined, source: string): Promise<RepoRecord> => {
    const files = new Set<string>(Array.isArray(info?.siblings) ? (info.siblings as { rfilename?: string }[]).map((s) => s.rfilename ?? "") : []);
    const haveFile = (f: string): boolean => (info ? files.has(f) : options.hfCache?.file(repo, sha, f) !== undefined);
    const tags = Array.isArray(info?.tags) ? (info.tags as unknown[]).filter((t): t is string => typeof t === "string") : [];
    const config = (info?.config ?? undefined) as Record<string, unknown> | undefined;
    let card = info?.cardData as Record<string, unknown> | undefined;
    let readme: string | undefined;
    let cardLineOf: ((pointer: string) => number | undefined) | undefined;
    if (!card && haveFile("README.md")) {
      readme = await download(repo, sha, "README.md");
      const fm = readme ? safeFrontMatter(readme) : undefined;
      if (fm) {
        card = fm.data;
        cardLineOf = (p) => fm.doc.locate(p)?.line;
      }
    }
    const ggufFiles = [...files].filter((f) => /\.gguf$/i.test(f)).sort();
    const traits: RepoTraits = {
      adapter: haveFile("adapter_config.json") || !!config?.peft || card?.library_name === "peft",
      quantized: ggufFiles.length > 0 || !!info?.gguf || !!config?.quantization_config || tags.includes("gguf"),
      merge: tags.includes("merge") || tags.includes("mergekit") || haveFile("mergekit_config.yml"),
    };
    const parents: Parent[] = cardParents(repo, sha, card, tags, traits, cardLineOf);
    let hints: Hint[] = [];
    const peft = config?.peft as Record<string, unknown> | undefined;
    if (peft?.base_model_name_or_path) {
      const p = peftParent(repo, sha, peft.base_model_name_or_path, "adapter_config.json");
      if (p) addParent(parents, repo, p);
    } else if (haveFile("adapter_config.json") && parents.length === 0) {
      const text = await download(repo, sha, "adapter_config.json");
      if (text) {
        try {
          const p = peftParent(repo, sha, (JSON.parse(text) as Record<string, unknown>).base_model_name_or_path, "adapter_config.json");
          if (p) addParent(parents, repo, p);
        } catch {
          say(`bad-json:${repo}`, { code: "hub-file-unparsable", severity: "warning", message: `${repo}: adapter_config.json is not valid JSON`, location: hubLocation(repo, sha, "adapter_config.json") });
        }
      }
    }
    if (haveFile("mergekit_config.yml") && !parents.some((p) => p.relation === "merge")) {
      const text = await download(repo, sha, "mergekit_config.yml");
      if (text) for (const p of mergekitParents(repo, sha, text)) addParent(parents, repo, p);
    }
    if (parents.length === 0 && ggufFiles.length > 0 && !options.offline) {
      const file = ggufFiles[0]!;
      try {
        const url = `${hubUrl}/${repo}/resolve/${sha}/${file}`;
        const { metadata } = await gguf(url, { fetch: http.fetch });
        for (const p of ggufParents(repo, sha, file, metadata as unknown as Record<string, unknown>)) addParent(parents, repo, p);
      } catch (err) {
        if (err instanceof HubUnreachableError) throw err;
        say(`gguf:${repo}`, { code: "hub-gguf-unreadable", severity: "warning", message: `${repo}: the GGUF header of ${file} could not be read (${(err as Error).message})`, location: hubLocation(repo, sha, file) });
      }
    }
    if (config?.auto_map && parents.length === 0) for (const p of autoMapParents(repo, sha, config.auto_map, "config.json")) addParent(parents, repo, p);
    const archs = Array.isArray(config?.architectures) ? (config.architectures as unknown[]).join(" ") : "";
    const composite = COMPOSITE.test(`${archs} ${typeof config?.model_type === "string" ? config.model_type : ""}`);
    if ((parents.length === 0 || composite) && haveFile("config.json")) {
      // Nested component configs and _name_or_path: the same extraction as for local files, so that a composite
      // model's parts (a VLM's vision tower, an audio encoder) are resolved upstream as they are locally.
      const text = await download(repo, sha, "config.json");
      if (text) {
        const out = await hfConfigExtractor.extract(memoryReader("config.json", text), { maxTextBytes: 8 * 1024 * 1024 }).catch(() => ({ references: [] }));
        const hadCard = parents.length > 0;
        for (const r of out.references ?? []) {
          if (r.kind !== "hub-id" || !r.target || r.skipReason) continue;
          // With card parents, only the parts are new information (the whole model's base is declared already).
          if (hadCard && (!r.role || r.role === "model" || r.role === "backbone")) continue;
          addParent(parents, repo, {
            repo: r.target,
            relation: r.relation ?? "initialised-from",
            ...(r.role && r.role !== "model" ? { role: r.role } : {}),
            evidence: [{ code: "config-reference", strength: r.strength, location: { ...r.location, hub: { repo, revision: sha } }, raw: r.raw }],
          });
        }
      }
    }
    if (parents.length === 0) {
      if (readme === undefined && haveFile("README.md")) readme = await download(repo, sha, "README.md");
      if (readme) {
        const prose = proseParents(repo, sha, readme);
        for (const p of prose.parents) addParent(parents, repo, p);
        hints = prose.hints;
      }
    } else if (readme) {
      hints = proseParents(repo, sha, readme).hints;
    }
    const license = card ? cardLicense(card) : undefined;
    const gated = info?.gated === "auto" || info?.gated === "manual";
    const created = info?.createdAt instanceof Date ? info.createdAt.toISOString() : typeof info?.createdAt === "string" && !Number.isNaN(Date.parse(info.createdAt)) ? new Date(info.createdAt).toISOString() : undefined;
    return { v: 1, repo, sha, ...(typeof info?.author === "string" ? { author: info.author } : {}), ...(created ? { createdAt: created } : {}), ...(license ? { license } : {}), ...(gated ? { gated } : {}), parents, hints, state: "resolved", source };
  };

  const lookupNetwork = async (repo: string): Promise<Lookup> => {
    let info: Record<string, unknown>;
    try {
      info = (await modelInfo({ name: repo, hubUrl, revision: "main", fetch: http.fetch, additionalFields: INFO_FIELDS as never[] })) as unknown as Record<string, unknown>;
    } catch (err) {
      const r = reasonOf(err);
      if (r.unreachable) say("unreachable", { code: "hub-unreachable", severity: "warning", message: `${http.unreachable() ?? r.missing.args?.message}: lineage beyond the knowledge base and caches is undetermined` });
      return r;
    }
    const malformed = malformedInfo(info);
    if (malformed) return { missing: { code: "hub-error", args: { message: `malformed answer: ${malformed}` } }, cacheable: false };
    const sha = info.sha as string;
    // `--refresh` trusts nothing cached, not even the immutable record of a commit.
    const cached = options.refresh ? undefined : options.cache?.getRecord<RepoRecord>(repo, sha, isRepoRecord);
    // An undetermined record (gated, forbidden) depends on who asks: online, ask again rather than reuse it.
    if (cached?.v === 1 && cached.state !== "undetermined") {
      options.cache?.putLatest(repo, { sha, fetchedAt: Date.now() });
      return { record: cached };
    }
    let record: RepoRecord;
    try {
      record = await buildRecord(repo, sha, info, "hub");
    } catch (err) {
      const r = reasonOf(err);
      if (r.unreachable) {
        say("unreachable", { code: "hub-unreachable", severity: "warning", message: `${http.unreachable()}: lineage beyond the knowledge base and caches is undetermined` });
        return r;
      }
      if (!r.cacheable) return r;
      // Gated or forbidden file: the repo exists, its lineage could not be read.
      record = { v: 1, repo, sha, ...(typeof info.author === "string" ? { author: info.author } : {}), parents: [], hints: [], state: "undetermined", reason: r.missing, source: "hub", ...(r.missing.code === "gated" ? { gated: true } : {}) };
    }
    options.cache?.putRecord(repo, sha, record);
    options.cache?.putLatest(repo, { sha, fetchedAt: Date.now() });
    return { record };
  };

  const lookup = async (repo: string): Promise<Lookup> => {
    const nowMs = Date.now();
    const latest = options.refresh && !options.offline ? undefined : options.cache?.getLatest(repo, nowMs, options.offline);
    if (latest?.missing) return { missing: latest.missing, cacheable: false };
    if (latest?.sha) {
      const rec = options.cache?.getRecord<RepoRecord>(repo, latest.sha, isRepoRecord);
      if (rec?.v === 1 && (rec.state !== "undetermined" || options.offline)) return { record: rec };
    }
    const hfSha = options.refresh && !options.offline ? undefined : options.hfCache?.ref(repo);
    if (hfSha) {
      const rec = options.cache?.getRecord<RepoRecord>(repo, hfSha, isRepoRecord);
      if (rec?.v === 1) return { record: rec };
      if (options.hfCache?.file(repo, hfSha, "README.md") !== undefined || options.hfCache?.file(repo, hfSha, "config.json") !== undefined) {
        try {
          const record = await buildRecord(repo, hfSha, undefined, "hf-cache");
          options.cache?.putRecord(repo, hfSha, record);
          return { record };
        } catch {
          /* fall through to the network */
        }
      }
    }
    if (options.offline) return { missing: { code: "offline" }, cacheable: false };
    const r = await lookupNetwork(repo);
    if ("missing" in r && r.cacheable) options.cache?.putLatest(repo, { missing: r.missing, fetchedAt: Date.now() });
    return r;
  };

  const lookupOnce = (repo: string): Promise<Lookup> => {
    const key = repo.toLowerCase();
    let p = memo.get(key);
    if (!p) {
      p = lookup(repo);
      memo.set(key, p);
    }
    return p;
  };

  return {
    network: !options.offline,
    requestCount: () => http.requestCount(),
    diagnostics: () => [...diags.values(), ...[...new Set(options.cache?.problems ?? [])].map((message): Diagnostic => ({ code: "cache-problem", severity: "warning", message }))],
    async resolve(repos) {
      const results = new Map<string, Lookup>();
      const depthOf = new Map<string, number>();
      const canonical = new Map<string, string>();
      const pending = new Set<Promise<void>>();
      let done = 0;
      const schedule = (repo: string, depth: number): void => {
        const key = repo.toLowerCase();
        if (canonical.has(key)) return;
        canonical.set(key, repo);
        depthOf.set(key, depth);
        const p = lookupOnce(repo).then((r) => {
          results.set(key, r);
          done++;
          options.onProgress?.(done, canonical.size);
          if (!("record" in r)) return;
          if (depth >= maxDepth) {
            if (r.record.parents.length > 0) say(`depth:${key}`, { code: "hub-depth-limit", severity: "info", message: `${repo}: lineage not followed past ${maxDepth} hops` });
            return;
          }
          for (const parent of r.record.parents) schedule(parent.repo, depth + 1);
          for (const h of r.record.hints) schedule(h.parent.repo, depth + 2);
        });
        pending.add(p);
        void p.finally(() => pending.delete(p));
      };
      for (const repo of repos) {
        const h = parseHubId(repo);
        if (h) schedule(h.id, 0);
      }
      while (pending.size > 0) await Promise.all([...pending]);

      // Hints ("Y (based on X)" in some card) stand in for Y's own declarations only when Y declares nothing.
      const hints = new Map<string, Parent[]>();
      for (const r of results.values()) if ("record" in r) for (const h of r.record.hints) hints.set(h.subject.toLowerCase(), [...(hints.get(h.subject.toLowerCase()) ?? []), h.parent]);

      const out = new Map<string, UpstreamInfo>();
      for (const [key, r] of results) {
        const repo = canonical.get(key)!;
        if ("record" in r) {
          const rec = r.record;
          const own = rec.parents.length > 0 ? rec.parents : (hints.get(key) ?? []);
          const beyond = (depthOf.get(key) ?? 0) >= maxDepth && own.length > 0;
          out.set(repo, {
            repo,
            revision: rec.sha,
            ...(rec.createdAt ? { releaseTime: rec.createdAt } : {}),
            publisher: publisherOf(repo, rec.author),
            ...(rec.license ? { license: rec.license } : {}),
            state: rec.state,
            ...(rec.reason ? { reason: rec.reason } : {}),
            parents: own.map((p) => ({ repo: canonical.get(p.repo.toLowerCase()) ?? p.repo, relation: p.relation, evidence: p.evidence, ...(p.role ? { role: p.role } : {}) })),
            lineageLookedUp: !beyond,
          });
        } else if (r.missing.code === "offline" || r.missing.code === "unreachable") {
          // As the offline resolver: the publisher is known, the repo's own lineage was not looked up. An unreachable
          // Hub gives the same findings as --offline; only the reason (kept here) differs.
          out.set(repo, { repo, publisher: publisherOf(repo, undefined), state: "resolved", ...(r.missing.code === "unreachable" ? { reason: r.missing } : {}), parents: [], lineageLookedUp: false });
          // The packs raise their undetermined finding on a lineage not looked up; the failure is named per repo.
          if (r.missing.code === "unreachable") say(`missing:${key}`, { code: "hub-lookup-failed", severity: "warning", message: `${repo}: ${failureText(r.missing)}; its lineage is undetermined` });
        } else {
          out.set(repo, { repo, publisher: publisherOf(repo, undefined), state: "undetermined", reason: r.missing, parents: [], lineageLookedUp: false });
          if (r.missing.code === "rate-limited" || r.missing.code === "hub-error") {
            say(`missing:${r.missing.code}`, { code: `hub-${r.missing.code}`, severity: "warning", message: `${repo}: the Hub answered ${String(r.missing.args?.status ?? r.missing.args?.message ?? "an error")} after retries; its lineage is undetermined` });
          }
          // Every repo the Hub could not answer for is named, whatever the failure: missing data is never silent.
          say(`missing:${key}`, { code: "hub-lookup-failed", severity: "warning", message: `${repo}: ${failureText(r.missing)}; its lineage is undetermined` });
        }
      }
      return out;
    },
  };
}

/** Shape check of a cached {@link RepoRecord}: a record of the wrong shape is ignored, never trusted. */
function isRepoRecord(v: unknown): boolean {
  if (!v || typeof v !== "object") return false;
  const r = v as Record<string, unknown>;
  const str = (x: unknown): boolean => x === undefined || typeof x === "string";
  const parentOk = (p: unknown): boolean => !!p && typeof p === "object" && typeof (p as Parent).repo === "string" && !!parseHubId((p as Parent).repo) && typeof (p as Parent).relation === "string" && Array.isArray((p as Parent).evidence);
  return (
    r.v === 1 &&
    typeof r.repo === "string" &&
    typeof r.sha === "string" &&
    COMMIT_SHA.test(r.sha) &&
    str(r.author) &&
    str(r.license) &&
    (r.gated === undefined || typeof r.gated === "boolean") &&
    Array.isArray(r.parents) &&
    r.parents.every(parentOk) &&
    Array.isArray(r.hints) &&
    r.hints.every((h) => !!h && typeof h === "object" && typeof (h as Hint).subject === "string" && parentOk((h as Hint).parent)) &&
    (r.state === "resolved" || r.state === "undetermined") &&
    typeof r.source === "string"
  );
}

/** Words for a failed lookup, naming the failure (status, timeout, reset, malformed answer). */
function failureText(m: NonNullable<UpstreamInfo["reason"]>): string {
  const status = m.args?.status !== undefined ? ` (HTTP ${String(m.args.status)})` : "";
  const detail = m.args?.message !== undefined ? ` (${String(m.args.message)})` : "";
  switch (m.code) {
    case "not-found":
      return `the Hub has no such model${status}`;
    case "not-found-or-private":
      return `the Hub answered not found or private${status}`;
    case "gated":
      return `the model is gated and the token has no access${status}`;
    case "forbidden":
      return `the Hub refused access${status}`;
    case "rate-limited":
      return `the Hub kept rate-limiting the requests${status}`;
    case "unreachable":
      return `the Hub could not be reached${detail}`;
    default:
      return `the Hub's answer could not be used${status}${detail}`;
  }
}

/** Hugging Face ids and commit hashes as the Hub writes them. */
const COMMIT_SHA = /^[0-9a-f]{40}$/;

/**
 * Checks the shape of a model-info answer before anything in it is used or cached: a commit sha of 40 hex digits,
 * an author that is a name, objects where objects belong. A hostile or broken endpoint (an echo of the request, an
 * HTML page, wrong-typed fields) is a malformed answer, never lineage. @returns the first problem, or undefined.
 */
function malformedInfo(info: unknown): string | undefined {
  if (!info || typeof info !== "object" || Array.isArray(info)) return "not a JSON object";
  const i = info as Record<string, unknown>;
  if (typeof i.sha !== "string" || !COMMIT_SHA.test(i.sha)) return "no commit sha of 40 hex digits";
  if (i.author !== undefined && (typeof i.author !== "string" || !/^[A-Za-z0-9][\w.-]{0,95}$/.test(i.author))) return "author is not an organization or user name";
  for (const k of ["cardData", "config", "gguf"]) if (i[k] !== undefined && i[k] !== null && (typeof i[k] !== "object" || Array.isArray(i[k]))) return `${k} is not an object`;
  for (const k of ["tags", "siblings"]) if (i[k] !== undefined && i[k] !== null && !Array.isArray(i[k])) return `${k} is not a list`;
  return undefined;
}

function safeFrontMatter(text: string): ReturnType<typeof findFrontMatter> {
  try {
    return findFrontMatter(text);
  } catch {
    return undefined;
  }
}
