/**
 * A small Hugging Face Hub-compatible HTTP server for tests, benchmarks and trying aiprov without the internet.
 *
 * It serves fixture repositories from a folder laid out as `<fixtures>/<org>/<name>/` (the repo's files, plus an
 * optional `info.json` holding the model-info fields the real API answers with). It implements what
 * `@huggingface/hub` calls (see shared/research/manifests-and-apis.md §B2-B4 and the library's
 * `model-info.ts`, `list-files.ts`, `file-download-info.ts`, `WebBlob`):
 * - `GET /api/models/<org>/<name>[/revision/<rev>]?expand=<field>...` (only the expanded fields plus `_id`/`id`
 *   when `expand` is given, as the Hub does);
 * - `GET /api/models/<org>/<name>/tree/<rev>[/<path>]?recursive=`: a JSON array of `{type, oid, size, path}`;
 * - `GET|HEAD /<org>/<name>/(resolve|raw)/<rev>/<path>` with `Range` (206, `Content-Range`, `ETag`,
 *   `X-Repo-Commit`, 416 on an unsatisfiable range);
 * - the Hub's `X-Error-Code` header: `RepoNotFound` (401 anonymous, 404 with a token, as the Hub hides private
 *   repos), `RevisionNotFound`, `EntryNotFound`, `GatedRepo` (401 anonymous, 403 with a token not granted).
 *
 * Like the Hub, `cardData` is the README's YAML front matter and `config` a digest of `config.json` (plus
 * `config.peft` from `adapter_config.json`) unless `info.json` gives them. Faults can be injected: latency, 429 with
 * `Retry-After` and `RateLimit`, 5xx, requests that never answer, and truncated bodies. Every request is counted.
 * Binds 127.0.0.1 only.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import { trimEndChars } from "../util/text.js";

/** One injected fault: requests whose path (without query) matches `path` get `status` for the next `times` hits. */
export interface Fault {
  /** A substring or regular expression matched against the request path. */
  path: string | RegExp;
  /** HTTP status to answer (429, 500, 502, 503), or `hang` (never answer) or `truncate` (cut the body short). */
  kind: number | "hang" | "truncate";
  /** How many matching requests the fault applies to (default: all). */
  times?: number;
  /** `Retry-After` seconds for 429/503. */
  retryAfter?: number;
  /** `RateLimit` header value, e.g. `"api";r=0;t=1`. */
  rateLimit?: string;
}

/** Settings of {@link startLocalHub}. */
export interface LocalHubOptions {
  /** Folder of fixture repos (`<org>/<name>/`). */
  fixtures: string;
  /** Port (0: a free one). */
  port?: number;
  /** Latency added before every answer, in milliseconds. */
  latencyMs?: number;
  faults?: Fault[];
  /** Tokens that have been granted access to gated repos (`Bearer <token>`). */
  grantedTokens?: string[];
}

/** One request as the server saw it. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  authorized: boolean;
}

/** A running local Hub. */
export interface LocalHub {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** Every request answered so far. */
  requests: LoggedRequest[];
  /** Clears the request log. */
  reset(): void;
  /** Replaces the injected faults (counters restart). */
  setFaults(faults: Fault[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

interface Repo {
  id: string;
  dir: string;
  sha: string;
  files: Map<string, string>; // path -> absolute file
  info: Record<string, unknown>;
}

const FIXED_DATE = "2024-01-01T00:00:00.000Z";

function walkFiles(dir: string, root = dir, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) walkFiles(abs, root, out);
    else if (!(dir === root && name === "info.json")) out.set(relative(root, abs).split("\\").join("/"), abs);
  }
  return out;
}

function frontMatter(text: string): Record<string, unknown> | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\s*$/m.exec(text);
  if (!m) return undefined;
  try {
    const data = parseYaml(m[1]!) as unknown;
    return typeof data === "object" && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function configDigest(files: Map<string, string>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const cfg = files.get("config.json");
  if (cfg) {
    try {
      const c = JSON.parse(readFileSync(cfg, "utf8")) as Record<string, unknown>;
      for (const k of ["architectures", "model_type", "auto_map", "quantization_config"])
        if (c[k] !== undefined) out[k] = c[k];
    } catch {
      /* the Hub leaves config out when config.json does not parse */
    }
  }
  const ad = files.get("adapter_config.json");
  if (ad) {
    try {
      const a = JSON.parse(readFileSync(ad, "utf8")) as Record<string, unknown>;
      out.peft = { base_model_name_or_path: a.base_model_name_or_path, task_type: a.task_type };
    } catch {
      /* ignored as above */
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Loads every fixture repo under `fixtures` (two levels: org, name). */
export function loadFixtureRepos(fixtures: string): Map<string, Repo> {
  const repos = new Map<string, Repo>();
  if (!existsSync(fixtures)) return repos;
  for (const org of readdirSync(fixtures).sort()) {
    const orgDir = join(fixtures, org);
    if (!statSync(orgDir).isDirectory()) continue;
    for (const name of readdirSync(orgDir).sort()) {
      const dir = join(orgDir, name);
      if (!statSync(dir).isDirectory()) continue;
      const id = `${org}/${name}`;
      const files = walkFiles(dir);
      const infoFile = join(dir, "info.json");
      const given = existsSync(infoFile) ? (JSON.parse(readFileSync(infoFile, "utf8")) as Record<string, unknown>) : {};
      const h = createHash("sha1").update(id);
      for (const [p, abs] of files) h.update(p).update(readFileSync(abs));
      const sha = typeof given.sha === "string" ? given.sha : h.digest("hex");
      const readme = files.get("README.md");
      const cardData = given.cardData ?? (readme ? frontMatter(readFileSync(readme, "utf8")) : undefined);
      const config = given.config ?? configDigest(files);
      const info: Record<string, unknown> = {
        _id: createHash("sha1").update(`id:${id}`).digest("hex").slice(0, 24),
        id,
        author: org,
        sha,
        lastModified: FIXED_DATE,
        createdAt: FIXED_DATE,
        private: false,
        gated: false,
        disabled: false,
        downloads: 0,
        likes: 0,
        tags: [],
        ...given,
        ...(cardData ? { cardData } : {}),
        ...(config ? { config } : {}),
        siblings: [...files.keys()].map((rfilename) => ({ rfilename })),
      };
      repos.set(id.toLowerCase(), { id, dir, sha, files, info });
    }
  }
  return repos;
}

/** ETags by file, kept while the file's size and mtime stay the same (hashing a 40 MB checkpoint per request is slow). */
const etags = new Map<string, { stamp: string; etag: string }>();

function etagOf(abs: string): string {
  const st = statSync(abs);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const known = etags.get(abs);
  if (known?.stamp === stamp) return known.etag;
  const etag = `"${createHash("sha1").update(readFileSync(abs)).digest("hex")}"`;
  etags.set(abs, { stamp, etag });
  return etag;
}

/** Bytes [start, end] (inclusive) of a file, read without loading the rest. */
function readRange(abs: string, start: number, end: number): Buffer {
  const buf = Buffer.alloc(end - start + 1);
  const fd = openSync(abs, "r");
  try {
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, start + off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** One request being answered: what it asked, and how to answer and log it. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded path, without the query. */
  path: string;
  token: string | undefined;
  /** Logs the request with `status`. */
  log(status: number): void;
  send(status: number, body: string | Buffer, headers?: Record<string, string>): void;
  /** A Hub error answer: JSON body, `X-Error-Code` and `X-Error-Message` headers. */
  error(status: number, code: string | undefined, message: string): void;
}

function exchangeOf(req: IncomingMessage, res: ServerResponse, requests: LoggedRequest[]): Exchange {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const path = decodeURIComponent(url.pathname);
  const auth = req.headers.authorization;
  const token = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
  const log = (status: number, logged = path): void =>
    void requests.push({ method: req.method ?? "GET", path: logged, status, authorized: !!token });
  const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
    log(status, `${path}${url.search}`);
    res.writeHead(status, { "Content-Length": String(Buffer.byteLength(body)), ...headers });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const error = (status: number, code: string | undefined, message: string): void =>
    send(status, JSON.stringify({ error: message }), {
      "Content-Type": "application/json",
      ...(code ? { "X-Error-Code": code } : {}),
      "X-Error-Message": message,
    });
  return { req, res, url, path, token, log: (status) => log(status), send, error };
}

type ActiveFault = Fault & { used: number };

/**
 * Applies the first injected fault matching the path: an error status is answered here (`answered`), a hang keeps the
 * response open (`answered`), a truncation is left to the file answer (`truncate`); undefined when none applies.
 */
function applyFault(
  x: Exchange,
  faults: readonly ActiveFault[],
  hanging: Set<ServerResponse>,
): "answered" | "truncate" | undefined {
  const fault = faults.find(
    (f) =>
      (typeof f.path === "string" ? x.path.includes(f.path) : f.path.test(x.path)) &&
      (f.times === undefined || f.used < f.times),
  );
  if (!fault) return undefined;
  fault.used++;
  if (fault.kind === "hang") {
    x.log(0);
    hanging.add(x.res);
    return "answered";
  }
  if (fault.kind === "truncate") return "truncate";
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
  if (fault.rateLimit) headers.RateLimit = fault.rateLimit;
  x.send(fault.kind, JSON.stringify({ error: fault.kind === 429 ? "Too Many Requests" : "Internal Error" }), headers);
  return "answered";
}

/** `GET /api/models/<id>[/revision/<rev>]`: the model info, only the expanded fields when `expand` is given. */
function answerInfo(x: Exchange, repo: Repo): void {
  const expand = x.url.searchParams.getAll("expand").concat(x.url.searchParams.getAll("expand[]"));
  const body =
    expand.length === 0
      ? repo.info
      : Object.fromEntries([
          ["_id", repo.info._id],
          ["id", repo.info.id],
          ...expand.filter((k) => k in repo.info).map((k) => [k, repo.info[k]]),
        ]);
  x.send(200, JSON.stringify(body), { "Content-Type": "application/json" });
}

/** `GET /api/models/<id>/tree/<rev>[/<path>]?recursive=`: the files under the path. */
function answerTree(x: Exchange, repo: Repo, under: string | undefined): void {
  const prefix = under ? `${trimEndChars(under, "/")}/` : "";
  const recursive = x.url.searchParams.get("recursive") === "true";
  const entries = [...repo.files.entries()]
    .filter(([p]) => p.startsWith(prefix) && (recursive || !p.slice(prefix.length).includes("/")))
    .map(([p, abs]) => ({ type: "file", oid: etagOf(abs).slice(1, -1), size: statSync(abs).size, path: p }));
  x.send(200, JSON.stringify(entries), { "Content-Type": "application/json" });
}

/**
 * `GET|HEAD /<id>/(resolve|raw)/<rev>/<path>`: the file, whole or a `Range` (206, 416 when unsatisfiable), after the
 * gate check; `truncate` cuts the body in half and drops the connection.
 */
function answerFile(x: Exchange, repo: Repo, filePath: string, granted: ReadonlySet<string>, truncate: boolean): void {
  const gated = repo.info.gated === "auto" || repo.info.gated === "manual";
  if (gated && !(x.token && granted.has(x.token))) {
    return x.error(
      x.token ? 403 : 401,
      "GatedRepo",
      `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
    );
  }
  const abs = repo.files.get(filePath);
  if (!abs) return x.error(404, "EntryNotFound", "Entry not found");
  const size = statSync(abs).size;
  const headers: Record<string, string> = {
    ETag: etagOf(abs),
    "X-Repo-Commit": repo.sha,
    "Accept-Ranges": "bytes",
    "Content-Type": "application/octet-stream",
  };
  const rangeHeader = x.req.headers.range;
  const range = rangeHeader ? /^bytes=(\d+)-(\d*)$/.exec(rangeHeader) : undefined;
  if (rangeHeader && !range) return x.error(416, undefined, "Range Not Satisfiable");
  let status = 200;
  let body: Buffer;
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
    if (start >= size || start > end) {
      x.log(416);
      x.res.writeHead(416, { "Content-Range": `bytes */${size}` });
      x.res.end();
      return;
    }
    status = 206;
    body = readRange(abs, start, end);
    headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  } else body = x.req.method === "HEAD" ? Buffer.alloc(size) : readFileSync(abs);
  if (truncate && x.req.method !== "HEAD") {
    x.log(status);
    x.res.writeHead(status, { ...headers, "Content-Length": String(body.length) });
    x.res.write(body.subarray(0, Math.floor(body.length / 2)));
    x.res.destroy();
    return;
  }
  x.send(status, body, headers);
}

const API_PATH = /^\/api\/models\/([^/]+\/[^/]+)(?:\/(revision|tree)\/([^/]+)(?:\/(.*))?)?$/;
const FILE_PATH = /^\/([^/]+\/[^/]+)\/(resolve|raw)\/([^/]+)\/(.+)$/;

/**
 * Routes a request to its repo (the Hub's `RepoNotFound`, 401 anonymous and 404 with a token, and
 * `RevisionNotFound`), then to the info, tree or file answer.
 */
function route(x: Exchange, repos: ReadonlyMap<string, Repo>, granted: ReadonlySet<string>, truncate: boolean): void {
  const api = API_PATH.exec(x.path);
  const file = api ? undefined : FILE_PATH.exec(x.path);
  const repoId = api?.[1] ?? file?.[1];
  if (!repoId) return x.error(404, undefined, "Not Found");
  const repo = repos.get(repoId.toLowerCase());
  if (!repo) return x.error(x.token ? 404 : 401, "RepoNotFound", "Repository not found");
  const rev = api?.[3] ?? file?.[3];
  if (rev !== undefined && !["main", "HEAD", repo.sha].includes(rev))
    return x.error(404, "RevisionNotFound", `Invalid rev id: ${rev}`);
  if (api) return api[2] === "tree" ? answerTree(x, repo, api[4]) : answerInfo(x, repo);
  answerFile(x, repo, file![4]!, granted, truncate);
}

/**
 * Starts the server on 127.0.0.1.
 * @throws when the port is taken or the fixtures folder cannot be read.
 */
export async function startLocalHub(options: LocalHubOptions): Promise<LocalHub> {
  const repos = loadFixtureRepos(options.fixtures);
  const requests: LoggedRequest[] = [];
  let latency = options.latencyMs ?? 0;
  let faults: ActiveFault[] = (options.faults ?? []).map((f) => ({ ...f, used: 0 }));
  const granted = new Set(options.grantedTokens ?? []);
  const hanging = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const x = exchangeOf(req, res, requests);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const fault = applyFault(x, faults, hanging);
    if (fault === "answered") return;
    route(x, repos, granted, fault === "truncate");
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    reset: () => void requests.splice(0, requests.length),
    setFaults: (f) => void (faults = f.map((x) => ({ ...x, used: 0 }))),
    setLatency: (ms) => void (latency = ms),
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
