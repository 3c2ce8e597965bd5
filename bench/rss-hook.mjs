// Loaded with `node --import` by scan-monorepo.bench.js: on exit, writes the process's peak resident set size (KiB)
// and CPU time (microseconds, user and system, every thread of the process) as JSON.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  if (!process.env.AIPROV_BENCH_RSS_FILE) return;
  const { user, system } = process.cpuUsage();
  writeFileSync(
    process.env.AIPROV_BENCH_RSS_FILE,
    JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, userUs: user, systemUs: system }),
  );
});
