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
 *
 * The cache cannot lie (issue 11): every file is an envelope `{ v: 2, hash, data }` whose SHA-256 `hash` covers
 * the repo, the commit and the data, so a record edited by hand or copied under another name is ignored; the
 * caller's shape check runs on every read; nothing is written that holds a known secret (the Hub token) or a
 * secret-shaped string; only real repo ids and commit hashes become folder names; negative entries expire (and one
 * dated in the future is ignored). A cache that cannot be read or written is a warning (see `problems`), never a
 * failed scan.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { parseHubId } from "../../util/hub-id.js";
import { hasSecret, redactDeep } from "../../util/redact.js";

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

/** Writes `data` as JSON to `file` atomically. @throws the file system's error. */
function writeAtomic(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}

/** Largest cache file read (a record is a few KiB; anything larger is not ours). */
const MAX_CACHE_FILE_BYTES = 4 * 1024 * 1024;

/** SHA-256 of what an envelope vouches for: the key (repo and commit or `latest`) and the data. */
function envelopeHash(key: string, data: unknown): string {
  return createHash("sha256").update(key).update("\0").update(JSON.stringify(data)).digest("hex");
}

/** A 40-hex commit hash. */
const COMMIT = /^[0-9a-f]{40}$/;

/** Shape check a caller gives for the records it stores. */
export type RecordCheck = (value: unknown) => boolean;

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
  return createHash("sha256")
    .update(JSON.stringify(v) ?? "")
    .digest("hex");
}

/** aiprov's on-disk cache. */
export class DiskCache {
  /** Problems met reading or writing the cache (warnings for the report; the scan goes on without it). */
  readonly problems: string[] = [];
  private writeFailed = false;

  constructor(
    readonly dir: string,
    /** Lifetime of "latest" entries in milliseconds (default one hour). */
    readonly latestTtlMs = 60 * 60 * 1000,
    /** Sub-folder per Hub endpoint (empty for huggingface.co), so answers of one Hub never stand in for another's. */
    readonly namespace = "",
  ) {}

  private recordFile(repo: string, sha: string): string | undefined {
    if (!parseHubId(repo) || repo.includes("@") || !COMMIT.test(sha)) return undefined;
    const [org, name] = repo.split("/");
    return join(
      this.dir,
      "hub-v1",
      ...(this.namespace ? ["endpoints", safe(this.namespace)] : []),
      "records",
      safe(org ?? ""),
      safe(name ?? ""),
      `${safe(sha)}.json`,
    );
  }

  private latestFile(repo: string): string | undefined {
    if (!parseHubId(repo) || repo.includes("@")) return undefined;
    const [org, name] = repo.split("/");
    return join(
      this.dir,
      "hub-v1",
      ...(this.namespace ? ["endpoints", safe(this.namespace)] : []),
      "latest",
      safe(org ?? ""),
      `${safe(name ?? "")}.json`,
    );
  }

  /** Reads and checks an envelope; a file that is absent is undefined, one that fails a check is a problem too. */
  private read(file: string | undefined, key: string, check: RecordCheck): unknown {
    if (!file) return undefined;
    let text: string;
    try {
      if (!existsSync(file)) return undefined;
      const st = statSync(file);
      // A FIFO or device in the cache would block the read forever: regular files only.
      if (!st.isFile()) throw new Error("not a regular file");
      if (st.size > MAX_CACHE_FILE_BYTES) throw new Error("larger than any record");
      text = readFileSync(file, "utf8");
    } catch (err) {
      this.problems.push(
        `${file}: cache entry could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); asked again`,
      );
      return undefined;
    }
    try {
      const env = JSON.parse(text) as { v?: unknown; hash?: unknown; data?: unknown };
      if (env?.v !== 2 || typeof env.hash !== "string" || env.hash !== envelopeHash(key, env.data) || !check(env.data))
        throw new Error("fails its hash or schema check");
      return env.data;
    } catch (err) {
      this.problems.push(`${file}: cache entry ignored (${(err as Error).message.split("\n")[0]}); asked again`);
      return undefined;
    }
  }

  /** Writes an envelope; never a secret; a failure is a problem reported once, and the scan goes on. */
  private write(file: string | undefined, key: string, data: unknown): void {
    if (!file || this.writeFailed) return;
    // A repo id that holds the token (a hostile Hub echoing the Authorization header as a base model) names no file.
    if (hasSecret(file)) return;
    const clean = redactDeep(data);
    if (hasSecret(JSON.stringify(clean))) return;
    try {
      writeAtomic(file, { v: 2, hash: envelopeHash(key, clean), data: clean });
    } catch (err) {
      this.writeFailed = true;
      this.problems.push(
        `${this.dir}: the cache folder cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); Hub answers were not cached`,
      );
    }
  }

  /** The record of `repo` at commit `sha`, if cached and it passes `check` and its hash. */
  getRecord<T>(repo: string, sha: string, check: RecordCheck = () => true): T | undefined {
    return this.read(this.recordFile(repo, sha), `${repo}@${sha}`, check) as T | undefined;
  }

  putRecord(repo: string, sha: string, record: unknown): void {
    this.write(this.recordFile(repo, sha), `${repo}@${sha}`, record);
  }

  /**
   * The latest entry of `repo`; with `allowStale` even when older than the TTL (offline use). A negative entry
   * (`missing`) lives a quarter of the TTL and is never used stale; an entry dated in the future is ignored.
   */
  getLatest(repo: string, nowMs: number, allowStale = false): LatestEntry | undefined {
    const e = this.read(this.latestFile(repo), `${repo}@latest`, isLatestEntry) as LatestEntry | undefined;
    if (!e) return undefined;
    if (e.fetchedAt > nowMs + 60_000) return undefined;
    const ttl = e.missing ? this.latestTtlMs / 4 : this.latestTtlMs;
    if ((!allowStale || e.missing) && nowMs - e.fetchedAt > ttl) return undefined;
    return e;
  }

  putLatest(repo: string, entry: LatestEntry): void {
    this.write(this.latestFile(repo), `${repo}@latest`, entry);
  }

  private weightFile(k: WeightResultKey): string {
    const [org, name] = k.repo.split("/");
    return join(
      this.dir,
      "hub-v1",
      ...(this.namespace ? ["endpoints", safe(this.namespace)] : []),
      "weights",
      safe(org ?? ""),
      safe(name ?? ""),
      safe(k.revision),
      `${safe(k.part)}-${safe(k.localHash)}.json`,
    );
  }

  /**
   * The result of an earlier weight comparison for `k`, or undefined. A record whose key fields differ from `k` or
   * whose content hash does not match its result is never returned (`null`: present but not to be trusted).
   */
  getWeightResult(k: WeightResultKey): unknown {
    const file = this.weightFile(k);
    let r: Record<string, unknown> | undefined;
    try {
      if (!existsSync(file)) return undefined;
      const st = statSync(file);
      if (!st.isFile() || st.size > MAX_CACHE_FILE_BYTES) return null;
      r = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch {
      return null;
    }
    if (
      !r ||
      typeof r !== "object" ||
      r.v !== 1 ||
      r.repo !== k.repo ||
      r.revision !== k.revision ||
      r.localHash !== k.localHash ||
      r.part !== k.part
    )
      return null;
    if (r.sha256 !== contentHash(r.result)) return null;
    return r.result;
  }

  /** Stores the result of a weight comparison (immutable: the key names both sides' exact contents). */
  putWeightResult(k: WeightResultKey, result: unknown): void {
    if (this.writeFailed) return;
    try {
      writeAtomic(this.weightFile(k), { v: 1, ...k, result, sha256: contentHash(result) });
    } catch (err) {
      this.writeFailed = true;
      this.problems.push(
        `${this.dir}: the cache folder cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); a weight comparison was not cached`,
      );
    }
  }

  /** Deletes everything aiprov cached. Returns whether there was anything. */
  clear(): boolean {
    const had = existsSync(join(this.dir, "hub-v1"));
    rmSync(join(this.dir, "hub-v1"), { recursive: true, force: true });
    return had;
  }
}

/** Shape of a {@link LatestEntry}. */
function isLatestEntry(v: unknown): boolean {
  if (!v || typeof v !== "object") return false;
  const e = v as Record<string, unknown>;
  if (typeof e.fetchedAt !== "number" || !Number.isFinite(e.fetchedAt)) return false;
  if (e.sha !== undefined && (typeof e.sha !== "string" || !COMMIT.test(e.sha))) return false;
  if (
    e.missing !== undefined &&
    (typeof e.missing !== "object" || e.missing === null || typeof (e.missing as { code?: unknown }).code !== "string")
  )
    return false;
  return e.sha !== undefined || e.missing !== undefined;
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
      const file = join(this.repoDir(repo), "refs", ref);
      // A FIFO in the Hugging Face cache (often inside the CI workspace) would block the read forever.
      if (!statSync(file).isFile()) return undefined;
      const sha = readFileSync(file, "utf8").trim();
      return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
    } catch {
      return undefined;
    }
  }

  /** A file of the snapshot at `sha` as text, when present. */
  file(repo: string, sha: string, path: string): string | undefined {
    try {
      const file = join(this.repoDir(repo), "snapshots", sha, ...path.split("/"));
      if (!statSync(file).isFile()) return undefined;
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  }
}
