/** Spawns the built CLI (`bin/aiprov.js`) as a user would, and captures its output and exit code. */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { run } from "../../src/cli/main.js";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The shared corpus beside the checkout (`AIPROV_CORPUS` overrides); only `npm run test:corpus` reads it. */
export const CORPUS = process.env.AIPROV_CORPUS ?? join(REPO_ROOT, "..", "shared", "corpus");
export const BIN = join(REPO_ROOT, "bin", "aiprov.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aiprov <args>` with a clean environment (no network, fixed clock, no colour). */
export function aiprov(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      NO_COLOR: "1",
      SOURCE_DATE_EPOCH: "1764374400",
      HF_HUB_OFFLINE: "1",
      ...opts.env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Like {@link aiprov} but without blocking the event loop, for tests that serve something (the local Hub) from the
 * test process itself. Same clean environment; pass `HF_HUB_OFFLINE: "0"` in `env` to let it reach 127.0.0.1.
 */
export function aiprovAsync(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        NO_COLOR: "1",
        SOURCE_DATE_EPOCH: "1764374400",
        HF_HUB_OFFLINE: "1",
        ...opts.env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs `aiprov <args>` in this process through the CLI's own entry (`run`), not a child: what a test needs when it
 * serves a local Hub from the same event loop. No colour, fixed clock, not a TTY; `env` is the whole environment
 * beside those two (nothing of the test runner's environment leaks in).
 */
export async function aiprovInProcess(
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: opts.cwd,
    env: { NO_COLOR: "1", SOURCE_DATE_EPOCH: "1764374400", ...opts.env },
    isTTY: false,
  });
  return { code, stdout, stderr };
}
