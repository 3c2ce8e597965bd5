/**
 * Opens what the user named: an existing local folder, or else a Hub id (`org/name[@revision]`) read by ranges.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { parseHubId } from "../util/hub-id.js";
import { openHubModel } from "./hub-source.js";
import { openLocalModel, type ModelSource } from "./source.js";

/** Options of {@link openModel}. */
export interface OpenOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  offline: boolean;
  fetch?: typeof fetch;
}

/**
 * @throws UsageError when the argument is neither a folder nor a Hub id, or is a Hub id while offline.
 */
export async function openModel(arg: string, opts: OpenOptions): Promise<ModelSource> {
  const path = resolve(opts.cwd, arg);
  const st = await stat(path).catch(() => undefined);
  if (st?.isDirectory()) return openLocalModel(path, arg);
  if (st) throw new UsageError(`${arg}: not a folder (name the model folder that holds the *.safetensors files)`);
  const id = parseHubId(arg);
  if (!id) throw new UsageError(`${arg}: no such folder, and not a Hub id (org/name)`);
  if (opts.offline) throw new UsageError(`${arg}: no such folder; reading it from the Hub needs the network (drop --offline / HF_HUB_OFFLINE)`);
  const token = opts.env.HF_TOKEN ?? opts.env.HUGGING_FACE_HUB_TOKEN;
  return openHubModel(id.id, {
    ...(opts.env.HF_ENDPOINT ? { hubUrl: opts.env.HF_ENDPOINT } : {}),
    ...(token ? { accessToken: token } : {}),
    ...(id.revision ? { revision: id.revision } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}
