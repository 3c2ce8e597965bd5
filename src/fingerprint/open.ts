/**
 * Opens what the user named: an existing local folder, or else a Hub id (`org/name[@revision]`) read by ranges
 * through the Hub client's fetch (`src/resolve/hub/http.ts`: token to the Hub's origin only, timeouts, retries).
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { createHubFetch } from "../resolve/hub/http.js";
import { parseHubId } from "../util/hub-id.js";
import { openHubModel } from "./hub-source.js";
import { openLocalModel, type ModelSource } from "./source.js";

/** Options of {@link openModel}. */
export interface OpenOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  offline: boolean;
  hubUrl: string;
  token?: string;
  timeoutMs?: number;
}

/**
 * @throws UsageError when the argument is neither a folder nor a Hub id, is a Hub id while offline, or cannot be
 *   listed on the Hub (not found, gated, unreachable).
 */
export async function openModel(arg: string, opts: OpenOptions): Promise<ModelSource> {
  const path = resolve(opts.cwd, arg);
  const st = await stat(path).catch(() => undefined);
  if (st?.isDirectory()) return openLocalModel(path, arg);
  if (st) throw new UsageError(`${arg}: not a folder (name the model folder that holds the *.safetensors files)`);
  const id = parseHubId(arg);
  if (!id) throw new UsageError(`${arg}: no such folder, and not a Hub id (org/name)`);
  if (opts.offline)
    throw new UsageError(
      `${arg}: no such folder; reading it from the Hub needs the network (drop --offline / HF_HUB_OFFLINE)`,
    );
  const hub = createHubFetch({
    hubUrl: opts.hubUrl,
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    env: opts.env,
  });
  try {
    return await openHubModel(id.id, {
      hubUrl: opts.hubUrl,
      fetch: hub.fetch,
      ...(id.revision ? { revision: id.revision } : {}),
    });
  } catch (err) {
    // Not found, gated, unreachable: the tool cannot do its job for this argument; say so in one sentence.
    throw new UsageError(`${arg}: could not be read from ${opts.hubUrl}: ${(err as Error).message}`);
  }
}
