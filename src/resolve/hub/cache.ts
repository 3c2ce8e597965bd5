/**
 * Caches for Hub facts.
 *
 * 1. aiprov's own cache: one JSON record per repo and commit (immutable: a commit's files never change) plus one
 *    short-lived "latest commit of main" entry per repo. Directory: `AIPROV_CACHE_DIR`, else
 *    `$XDG_CACHE_HOME/aiprov`, else `~/.cache/aiprov` (XDG Base Directory spec). Writes are atomic (a temporary file in
 *    the same folder, then `rename`), so concurrent scans never read half a record.
 * 2. The Hugging Face cache that `huggingface_hub` and transformers fill (`HF_HUB_CACHE`, else `$HF_HOME/hub`, else
 *    `~/.cache/huggingface/hub`; layout `models--<org>--<name>/refs/<rev>` and `snapshots/<sha>/<file>`, see
 *    huggingface_hub `file_download.py`). Read only: aiprov never writes there.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createHash, randomBytes } from "node:crypto";

/** The aiprov cache directory for an environment. */
export function aiprovCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.AIPROV_CACHE_DIR) return env.AIPROV_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "aiprov");
  return join(env.HOME || homedir(), ".cache", "aiprov");
}

/** The Hugging Face hub cache directory for an environment. */
export function hfCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, "hub");
  return join(env.HOME || homedir(), ".cache", "huggingface", "hub");
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, "_");

/** Writes `data` as JSON to `file` atomically. */
function writeAtomic(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** The "latest commit" entry: the sha `main` pointed at, or why the repo could not be read. */
export interface LatestEntry {
  sha?: string;
  /** A definite negative answer (`not-found`, `not-found-or-private`, `forbidden`) with its arguments, cached like a sha. */
  missing?: { code: string; args?: Record<string, string | number | boolean | string[]> };
  /** Epoch milliseconds. */
  fetchedAt: number;
}

/** Key of a cached weight comparison: the upstream repo at a commit, the local weight files' SHA-256, the part. */
export interface WeightResultKey {
  repo: string;
  revision: string;
  localHash: string;
  part: string;
}

/** SHA-256 of a value's JSON text: a record whose result was edited or cut short no longer matches it. */
function contentHash(v: unknown): string {
  return createHash("sha256").update(JSON.stringify(v) ?? "").digest("hex");
}

/** aiprov's on-disk cache. */
export class DiskCache {
  constructor(
    readonly dir: string,
    /** Lifetime of "latest" entries in milliseconds (default one hour). */
    readonly latestTtlMs = 60 * 60 * 1000,
    /** Sub-folder per Hub endpoint (empty for huggingface.co), so answers of one Hub never stand in for another's. */
    readonly namespace = "",
  ) {}

  private recordFile(repo: string, sha: string): string {
    const [org, name] = repo.split("/");
    return join(this.dir, "hub-v1", ...(this.namespace ? ["endpoints", safe(this.namespace)] : []), "records", safe(org ?? ""), safe(name ?? ""), `${safe(sha)}.json`);
  }

  private latestFile(repo: string): string {
    const [org, name] = repo.split("/");
    return join(this.dir, "hub-v1", ...(this.namespace ? ["endpoints", safe(this.namespace)] : []), "latest", safe(org ?? ""), `${safe(name ?? "")}.json`);
  }

  /** The record of `repo` at commit `sha`, if cached. */
  getRecord<T>(repo: string, sha: string): T | undefined {
    return readJson<T>(this.recordFile(repo, sha));
  }

  putRecord(repo: string, sha: string, record: unknown): void {
    writeAtomic(this.recordFile(repo, sha), record);
  }

  /** The latest entry of `repo`; with `allowStale` even when older than the TTL (offline use). */
  getLatest(repo: string, nowMs: number, allowStale = false): LatestEntry | undefined {
    const e = readJson<LatestEntry>(this.latestFile(repo));
    if (!e) return undefined;
    if (!allowStale && nowMs - e.fetchedAt > this.latestTtlMs) return undefined;
    return e;
  }

  putLatest(repo: string, entry: LatestEntry): void {
    writeAtomic(this.latestFile(repo), entry);
  }

  private weightFile(k: WeightResultKey): string {
    const [org, name] = k.repo.split("/");
    return join(this.dir, "hub-v1", ...(this.namespace ? ["endpoints", safe(this.namespace)] : []), "weights", safe(org ?? ""), safe(name ?? ""), safe(k.revision), `${safe(k.part)}-${safe(k.localHash)}.json`);
  }

  /**
   * The result of an earlier weight comparison for `k`, or undefined. A record whose key fields differ from `k` or
   * whose content hash does not match its result is never returned (`null`: present but not to be trusted).
   */
  getWeightResult(k: WeightResultKey): unknown {
    const r = readJson<Record<string, unknown>>(this.weightFile(k));
    if (r === undefined) return undefined;
    if (!r || typeof r !== "object" || r.v !== 1 || r.repo !== k.repo || r.revision !== k.revision || r.localHash !== k.localHash || r.part !== k.part) return null;
    if (r.sha256 !== contentHash(r.result)) return null;
    return r.result;
  }

  /** Stores the result of a weight comparison (immutable: the key names both sides' exact contents). */
  putWeightResult(k: WeightResultKey, result: unknown): void {
    writeAtomic(this.weightFile(k), { v: 1, ...k, result, sha256: contentHash(result) });
  }

  /** Deletes everything aiprov cached. Returns whether there was anything. */
  clear(): boolean {
    const had = existsSync(join(this.dir, "hub-v1"));
    rmSync(join(this.dir, "hub-v1"), { recursive: true, force: true });
    return had;
  }
}

/** Read-only view of the Hugging Face cache. */
export class HfCache {
  constructor(readonly dir: string) {}

  private repoDir(repo: string): string {
    return join(this.dir, `models--${repo.split("/").join("--")}`);
  }

  /** The commit a ref (default `main`) points at in the local cache. */
  ref(repo: string, ref = "main"): string | undefined {
    try {
      const sha = readFileSync(join(this.repoDir(repo), "refs", ref), "utf8").trim();
      return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
    } catch {
      return undefined;
    }
  }

  /** A file of the snapshot at `sha` as text, when present. */
  file(repo: string, sha: string, path: string): string | undefined {
    try {
      return readFileSync(join(this.repoDir(repo), "snapshots", sha, ...path.split("/")), "utf8");
    } catch {
      return undefined;
    }
  }
}
