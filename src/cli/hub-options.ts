/**
 * Hub settings shared by the commands that resolve lineage (`scan`, `explain`): flags, environment variables
 * (`HF_TOKEN`, `HF_ENDPOINT`, `HF_HUB_OFFLINE`, as huggingface_hub reads them) and the configuration file, in that
 * order of precedence. The token is only ever handed to the fetch wrapper; it is never printed or stored.
 */
import { Option, type Command } from "commander";
import { registerSecret } from "../util/redact.js";
import { UsageError } from "../errors.js";
import type { KnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import { createOfflineResolver } from "../resolve/offline.js";
import { aiprovCacheDir, DiskCache, HfCache, hfCacheDir } from "../resolve/hub/cache.js";
import { DEFAULT_HUB_URL } from "../resolve/hub/endpoint.js";
import type { Resolver } from "../resolve/types.js";
import type { AiprovConfig } from "../config/config.js";
import type { CliIO } from "./io.js";
import type { OpenOptions } from "../fingerprint/open.js";
import { trimEndChars } from "../util/text.js";

/** Resolved Hub settings. */
export interface HubSettings {
  offline: boolean;
  hubUrl: string;
  token?: string;
  timeoutMs: number;
  refresh: boolean;
  /** Most Hub repos one scan looks up (`--hub-lookup-budget`; undefined: the resolver's default, 500). */
  lookupBudget?: number;
}

/**
 * How `compare` and `fingerprint` open a model named by path or Hub id: the command's Hub settings (flag, environment,
 * default endpoint; see {@link hubSettings}) with the folder names are resolved against.
 */
export function modelOpenOptions(
  opts: Record<string, unknown>,
  io: { cwd: string; env: NodeJS.ProcessEnv },
): OpenOptions {
  const hub = hubSettings(opts, io.env);
  return {
    cwd: io.cwd,
    env: io.env,
    offline: hub.offline,
    hubUrl: hub.hubUrl,
    timeoutMs: hub.timeoutMs,
    ...(hub.token ? { token: hub.token } : {}),
  };
}

/**
 * Adds `--hub-url`, `--token`, `--timeout`, `--refresh`, `--hub-lookup-budget` to a command (`--offline` is declared by
 * each command). The budget is a flag only: a scanned project's config cannot raise it.
 */
export function addHubOptions(cmd: Command): Command {
  return cmd
    .option("--hub-url <url>", "Hugging Face Hub endpoint (default: HF_ENDPOINT or https://huggingface.co)")
    .option(
      "--token <token>",
      "Hub access token for gated or private repos (default: HF_TOKEN); never printed or stored",
    )
    .addOption(new Option("--timeout <seconds>", "timeout of one Hub request, in seconds (default 5)"))
    .option("--refresh", "ignore cached 'latest commit' entries and ask the Hub again")
    .option(
      "--hub-lookup-budget <n>",
      "most Hub repos one run looks up; ancestors past it are undetermined (default 500)",
    );
}

/** The Hub URL without credentials, query or trailing slash. @throws UsageError when it is not an http(s) URL. */
export function cleanHubUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`--hub-url: '${value}' is not a URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new UsageError(`--hub-url: '${value}' is not an http(s) URL`);
  u.username = "";
  u.password = "";
  u.search = "";
  u.hash = "";
  return trimEndChars(u.href, "/");
}

/** Reads the settings. @throws UsageError on a bad `--timeout` or `--hub-url`. */
export function hubSettings(
  opts: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  config: AiprovConfig = {},
): HubSettings {
  const offline =
    Boolean(opts.offline) ||
    config.offline === true ||
    env.HF_HUB_OFFLINE === "1" ||
    env.HF_HUB_OFFLINE?.toLowerCase() === "true";
  const hubUrl = cleanHubUrl(
    (opts.hubUrl as string | undefined) ?? env.HF_ENDPOINT ?? config.hubUrl ?? DEFAULT_HUB_URL,
  );
  const rawTimeout = opts.timeout as string | undefined;
  const seconds = rawTimeout !== undefined ? Number(rawTimeout) : (config.timeout ?? 5);
  // setTimeout takes at most 2^31-1 ms; a day is more than any request should wait.
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400)
    throw new UsageError(`--timeout: '${rawTimeout ?? seconds}' is not a number of seconds between 0 and 86400`);
  const token = (opts.token as string | undefined) ?? env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN;
  if (token !== undefined && token !== "") {
    // Whatever happens later, the exact token value is redacted from every message and report.
    registerSecret(token);
    // A token is one printable word; anything else would end up inside an HTTP header error (and its message).
    if (!/^[\x21-\x7e]+$/.test(token))
      throw new UsageError(
        `the Hub token (${opts.token !== undefined ? "--token" : "HF_TOKEN"}) contains spaces or control characters; it was not used`,
      );
  }
  const rawBudget = opts.hubLookupBudget as string | undefined;
  const budget = rawBudget !== undefined ? Number(rawBudget) : undefined;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1))
    throw new UsageError(`--hub-lookup-budget: '${rawBudget}' is not a whole number of at least 1`);
  return {
    offline,
    hubUrl,
    ...(token ? { token } : {}),
    timeoutMs: Math.round(seconds * 1000),
    refresh: Boolean(opts.refresh),
    ...(budget !== undefined ? { lookupBudget: budget } : {}),
  };
}

/**
 * The resolver for a command: the offline (knowledge-base) resolver for `scan --offline`; otherwise the Hub resolver
 * with aiprov's cache and the Hugging Face cache. `cacheOnlyWhenOffline` makes an offline `explain` read the caches.
 */
export async function makeResolver(
  kb: KnowledgeBase,
  s: HubSettings,
  env: NodeJS.ProcessEnv,
  extra: { cacheOnlyWhenOffline?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<Resolver> {
  if (s.offline && !extra.cacheOnlyWhenOffline) return createOfflineResolver(kb);
  // The Hub client is loaded only when the Hub may be asked.
  const { createHubResolver } = await import("../resolve/hub/resolver.js");
  return createHubResolver({
    kb,
    hubUrl: s.hubUrl,
    ...(s.token ? { token: s.token } : {}),
    offline: s.offline,
    refresh: s.refresh,
    timeoutMs: s.timeoutMs,
    ...(s.lookupBudget !== undefined ? { lookupBudget: s.lookupBudget } : {}),
    cache: new DiskCache(
      aiprovCacheDir(env),
      undefined,
      s.hubUrl === DEFAULT_HUB_URL ? "" : new URL(s.hubUrl).host + new URL(s.hubUrl).pathname,
    ),
    hfCache: new HfCache(hfCacheDir(env)),
    env,
    ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
  });
}

/**
 * A progress line on stderr, only when stderr is a terminal and resolving takes more than `delayMs`.
 * Returns the callback for the resolver and a function that clears the line.
 */
export function progressReporter(
  io: CliIO,
  stderrIsTTY: boolean,
  delayMs = 400,
): { onProgress: (done: number, total: number) => void; stop: () => void } {
  const started = Date.now();
  let shown = false;
  return {
    onProgress: (done, total) => {
      if (!stderrIsTTY || Date.now() - started < delayMs) return;
      shown = true;
      io.stderr(`\rresolving lineage on the Hub: ${done}/${total} repos`);
    },
    stop: () => {
      if (shown) io.stderr("\r\x1b[K");
    },
  };
}
