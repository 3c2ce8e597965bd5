/**
 * `npm run local-hub -- --port <port> [--fixtures <dir>] [--latency <ms>]`: starts the local Hub for a person to try
 * aiprov against (for example `aiprov explain Q-bert/Merged-AGI-7B --hub-url <printed url>`), prints its URL and runs
 * until interrupted. Default fixtures: the package's `tests/fixtures/hub`.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { packagePath } from "../util/package-root.js";
import { startLocalHub } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    fixtures: { type: "string" },
    latency: { type: "string", default: "0" },
  },
});
const fixtures = values.fixtures ? resolve(values.fixtures) : packagePath("tests", "fixtures", "hub");
const hub = await startLocalHub({ fixtures, port: Number(values.port), latencyMs: Number(values.latency) });
process.stdout.write(`local Hub serving ${fixtures}\n${hub.url}\n`);
const stop = (): void => void hub.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
