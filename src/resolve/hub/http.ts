/**
 * The one `fetch` every Hub call goes through (passed to `@huggingface/hub` as its `fetch` parameter).
 *
 * `@huggingface/hub` turns a failed response into `HubApiError` and drops its headers, so this wrapper reads them
 * first and throws {@link HubHttpError} with the Hub's `X-Error-Code` (`RepoNotFound`, `RevisionNotFound`,
 * `EntryNotFound`, `GatedRepo`: huggingface_hub `utils/_http.py`) and `X-Error-Message`. It adds:
 * - the token as `Authorization: Bearer` on requests to the Hub's own origin only (never to a redirect target);
 * - a per-request timeout (`timeoutMs`);
 * - retries with exponential backoff on 5xx and 429, honouring `Retry-After` (RFC 9110 §10.2.3: seconds or an
 *   HTTP date) and the Hub's `RateLimit: "api";r=<remaining>;t=<seconds>` header (hub-docs `rate-limits.md`);
 * - bounded concurrency (at most `concurrency` requests in flight);
 * - a circuit breaker: after one connection-level failure (refused, DNS, timeout) every later request fails at once
 *   with {@link HubUnreachableError}, so an unreachable Hub costs one timeout, not one per repo;
 * - a size cap on every answer body (`maxBodyBytes`): a declared length past it is refused before reading, an
 *   undeclared one is streamed and cut at the cap, both with {@link HubOversizedError} (never buffered whole);
 * - proxies: when `HTTPS_PROXY`/`HTTP_PROXY` is set, requests go through undici's `EnvHttpProxyAgent`, which also
 *   honours `NO_PROXY` (Node's built-in fetch ignores these variables). `NODE_EXTRA_CA_CERTS` is read by Node itself.
 */
import { createRequire } from "node:module";

// undici (a tenth of a second to load) is loaded only when a proxy is configured: start-up cost, issue 13.
const requireUndici = (): typeof import("undici") =>
  createRequire(import.meta.url)("undici") as typeof import("undici");

/** A non-2xx answer from the Hub, with the headers `@huggingface/hub` would drop. */
export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    /** `X-Error-Code`: `RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`, or undefined. */
    readonly errorCode: string | undefined,
    readonly errorMessage: string | undefined,
  ) {
    super(`HTTP ${status}${errorCode ? ` ${errorCode}` : ""}${errorMessage ? `: ${errorMessage}` : ""}`);
    this.name = "HubHttpError";
  }
}

/** The Hub could not be reached (connection refused, DNS failure, timeout), or an earlier request found so. */
export class HubUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HubUnreachableError";
  }
}

/** Settings of {@link createHubFetch}. */
export interface HubFetchOptions {
  hubUrl: string;
  /** Access token (`HF_TOKEN` or `--token`); sent only to `hubUrl`'s origin, never logged. */
  token?: string;
  /** Per-request timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Maximum requests in flight (default 16). */
  concurrency?: number;
  /** Retries after the first attempt on 429/5xx (default 3). */
  retries?: number;
  /** First backoff in milliseconds, doubled on each retry (default 250). */
  backoffMs?: number;
  /** Longest wait honoured from `Retry-After`/`RateLimit`, in milliseconds (default 10000); longer means give up. */
  maxWaitMs?: number;
  /** Most bytes read from one answer body (default 16 MiB: model info and the files aiprov reads are far smaller). */
  maxBodyBytes?: number;
  /** Environment for the proxy variables (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Called once per HTTP request sent (for counting). */
  onRequest?: (url: string) => void;
}

/** A fetch function plus what it observed. */
export interface HubFetch {
  fetch: typeof fetch;
  /** Requests sent so far (retries included). */
  requestCount(): number;
  /** Set once a connection-level failure was met. */
  unreachable(): string | undefined;
}

/** Parses `Retry-After` (seconds or HTTP date) or the `t=` of a `RateLimit` header into milliseconds. */
export function retryDelayMs(headers: Headers, nowMs = Date.now()): number | undefined {
  const ra = headers.get("retry-after");
  if (ra) {
    if (/^\d+$/.test(ra.trim())) return Number(ra.trim()) * 1000;
    const d = Date.parse(ra);
    if (!Number.isNaN(d)) return Math.max(0, d - nowMs);
  }
  const rl = headers.get("ratelimit");
  const t = rl ? /(?:^|[;,\s])t=(\d+)/.exec(rl) : undefined;
  if (t) return Number(t[1]) * 1000;
  return undefined;
}

function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return !!(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/** An answer body larger than the cap: refused (declared length) or cut while streaming. Never retried. */
export class HubOversizedError extends Error {
  constructor(
    readonly url: string,
    /** The cap in bytes. */
    readonly limit: number,
  ) {
    super(`oversized answer (more than ${Math.round(limit / (1024 * 1024))} MiB) from ${url}`);
    this.name = "HubOversizedError";
  }
}

/**
 * Returns `res` with its body capped at `limit` bytes: a `Content-Length` past the cap throws at once (the body is
 * cancelled unread); otherwise the body is re-streamed and errors with {@link HubOversizedError} at the first chunk
 * past the cap, which also cancels the connection. @throws HubOversizedError
 */
export function capBody(res: Response, limit: number, url: string): Response {
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    void res.body?.cancel().catch(() => undefined);
    throw new HubOversizedError(url, limit);
  }
  if (!res.body || res.status === 204 || res.status === 205) return res;
  let seen = 0;
  const capped = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new HubOversizedError(url, limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  const out = new Response(capped, { status: res.status, statusText: res.statusText, headers: res.headers });
  Object.defineProperty(out, "url", { value: res.url });
  return out;
}

/** A connection that was made but broke mid-answer (reset, closed early): retried like a 5xx. */
export class HubTransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HubTransferError";
  }
}

/**
 * Error codes of a connection that was made and then broke (Node/undici `cause.code`): retried. Any other failure
 * to fetch (refused, DNS, TLS, bad port, timeout) means the Hub cannot be reached.
 */
const TRANSFER_ERRORS = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "UND_ERR_CLOSED", "UND_ERR_BODY_TIMEOUT"]);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Creates the wrapped fetch. Library code: never prints. */
export function createHubFetch(options: HubFetchOptions): HubFetch {
  const env = options.env ?? process.env;
  const origin = new URL(options.hubUrl).origin;
  const timeoutMs = options.timeoutMs ?? 5000;
  const limit = Math.max(1, options.concurrency ?? 16);
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 250;
  const maxWait = options.maxWaitMs ?? 10_000;
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  // The variables come from `env` (not the process's), so a caller's environment is what counts.
  const undici = proxyConfigured(env) ? requireUndici() : undefined;
  const dispatcher = undici
    ? new undici.EnvHttpProxyAgent({
        ...(env.HTTP_PROXY || env.http_proxy ? { httpProxy: env.HTTP_PROXY || env.http_proxy } : {}),
        ...(env.HTTPS_PROXY || env.https_proxy ? { httpsProxy: env.HTTPS_PROXY || env.https_proxy } : {}),
        ...(env.NO_PROXY || env.no_proxy ? { noProxy: env.NO_PROXY || env.no_proxy } : {}),
      })
    : undefined;
  let count = 0;
  let down: string | undefined;
  let active = 0;
  const queue: (() => void)[] = [];

  const acquire = async (): Promise<void> => {
    if (active < limit) {
      active++;
      return;
    }
    await new Promise<void>((r) => queue.push(r));
  };
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };

  const once = async (url: string, init: RequestInit): Promise<Response> => {
    if (down) throw new HubUnreachableError(down);
    count++;
    options.onRequest?.(url);
    const signal = init.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    try {
      if (undici && dispatcher)
        return (await undici.fetch(url, { ...(init as object), signal, dispatcher } as Parameters<
          typeof undici.fetch
        >[1])) as unknown as Response;
      return await fetch(url, { ...init, signal });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
      const code = e.cause?.code ?? "";
      if (!timedOut && TRANSFER_ERRORS.has(code)) throw new HubTransferError(`${url}: ${code}`);
      down = `${origin} unreachable (${timedOut ? `no answer within ${timeoutMs} ms` : code || e.cause?.toString() || e.message})`;
      throw new HubUnreachableError(down);
    }
  };

  const wrapped = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init.headers);
    if (options.token && new URL(url).origin === origin) headers.set("Authorization", `Bearer ${options.token}`);
    else if (new URL(url).origin !== origin) headers.delete("Authorization");
    await acquire();
    try {
      for (let attempt = 0; ; attempt++) {
        let res: Response;
        try {
          res = await once(url, { ...init, headers });
        } catch (err) {
          if (err instanceof HubTransferError && attempt < retries) {
            await sleep(backoff * 2 ** attempt);
            continue;
          }
          throw err;
        }
        if (res.ok) return capBody(res, maxBody, url);
        if (res.status === 304) return res;
        const retryable = res.status === 429 || res.status >= 500;
        if (retryable && attempt < retries) {
          const wait = retryDelayMs(res.headers) ?? backoff * 2 ** attempt;
          if (wait <= maxWait) {
            await res.body?.cancel().catch(() => undefined);
            await sleep(wait);
            continue;
          }
        }
        const error = new HubHttpError(
          res.status,
          url,
          res.headers.get("x-error-code") ?? undefined,
          res.headers.get("x-error-message") ?? undefined,
        );
        await res.body?.cancel().catch(() => undefined);
        throw error;
      }
    } finally {
      release();
    }
  };

  return { fetch: wrapped as typeof fetch, requestCount: () => count, unreachable: () => down };
}
