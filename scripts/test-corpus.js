#!/usr/bin/env node
// `npm run test:corpus`: runs the tests that scan the real corpus (tests/corpus/, vitest.corpus.config.ts) when
// `../shared/corpus` (or $AIPROV_CORPUS) is there, and says plainly that it skipped them when it is not.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.AIPROV_CORPUS ?? join(root, "..", "shared", "corpus");
if (!existsSync(corpus)) {
  console.log(
    `test:corpus SKIPPED: no corpus at ${corpus} (set AIPROV_CORPUS or place the shared folder beside the checkout).`,
  );
  process.exit(0);
}
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const run = (args) => spawnSync(npx, args, { cwd: root, stdio: "inherit" }).status ?? 1;
const built =
  spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], { cwd: root, stdio: "inherit" })
    .status ?? 1;
if (built !== 0) process.exit(built);
process.exit(run(["vitest", "run", "--config", "vitest.corpus.config.ts", ...process.argv.slice(2)]));
