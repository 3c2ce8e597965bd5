#!/usr/bin/env node
// Benchmark dispatcher: runs every bench/*.bench.js in name order (or those whose names contain an argument),
// each in its own process so peak-memory figures do not mix. Usage: npm run bench [-- <filter>... [--flag value...]]
// Arguments from the first one starting with "--" on are passed to every selected benchmark (e.g. devrepos --json).
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith("--"));
const filters = firstFlag < 0 ? args : args.slice(0, firstFlag);
const passed = firstFlag < 0 ? [] : args.slice(firstFlag);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.js"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (benches.length === 0) {
  console.log("no benchmark matched");
  process.exit(0);
}
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b} ===`);
  const r = spawnSync(process.execPath, ["--expose-gc", join(here, b), ...passed], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
