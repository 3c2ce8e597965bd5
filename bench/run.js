#!/usr/bin/env node
// Runs every bench/*.bench.js in name order, each in its own Node process (so one benchmark's memory and timers
// never skew another's). `npm run bench` builds first; pass names to run a subset: `node bench/run.js hub`.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.js"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n## ${file}\n`);
  const r = spawnSync(process.execPath, [join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
if (benches.length === 0) process.stdout.write("no benchmarks found\n");
process.exitCode = failed > 0 ? 1 : 0;
