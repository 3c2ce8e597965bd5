// Loaded with `node --import` by scan-monorepo.bench.js: writes the process's peak resident set size (KiB) on exit.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  if (process.env.AIPROV_BENCH_RSS_FILE) writeFileSync(process.env.AIPROV_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
