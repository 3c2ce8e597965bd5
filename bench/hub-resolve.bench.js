// Benchmark: resolve a project with 300 distinct Hub references against the local Hub with 100 ms injected latency.
// Prints requests per distinct repo (target: <= 3 cold, counting only the files needed; 0 warm) and the wall time
// beside a one-at-a-time baseline (target: 8x faster or better). Needs `npm run build` (npm run bench does it).
//
// The synthetic Hub: 300 models `bench-org/model-NNN` (240 declare `base_model` in their card front matter, which
// the model info carries: 1 request; 60 declare it only in prose: info + README = 2) on 20 bases `bench-base/base-NN`
// (a card with a licence and a config.json, no base: info + config.json + README prose check = 3).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalHub } from "../dist/local-hub/server.js";
import { loadKnowledgeBase } from "../dist/resolve/knowledge/knowledge-base.js";
import { DiskCache, HfCache } from "../dist/resolve/hub/cache.js";
import { createHubResolver } from "../dist/resolve/hub/resolver.js";
import { scan } from "../dist/scan/scan.js";

const N = 300;
const BASES = 20;
const LATENCY = 100;
const tmp = mkdtempSync(join(tmpdir(), "aiprov-bench-hub-"));
const fixtures = join(tmp, "hub");
const project = join(tmp, "project");
const pad = (i, n = 3) => String(i).padStart(n, "0");
for (let b = 0; b < BASES; b++) {
  const dir = join(fixtures, "bench-base", `base-${pad(b, 2)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "README.md"), `---\nlicense: apache-2.0\n---\n# Base ${b}\nPretrained from scratch.\n`);
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ architectures: ["LlamaForCausalLM"], model_type: "llama", hidden_size: 4096 }),
  );
}
for (let i = 0; i < N; i++) {
  const dir = join(fixtures, "bench-org", `model-${pad(i)}`);
  mkdirSync(dir, { recursive: true });
  const base = `bench-base/base-${pad(i % BASES, 2)}`;
  writeFileSync(
    join(dir, "README.md"),
    i % 5 === 4
      ? `---\nlicense: mit\n---\n# Model ${i}\nThis model is a fine-tuned version of [${base}](https://huggingface.co/${base}).\n`
      : `---\nlicense: mit\nbase_model: ${base}\n---\n# Model ${i}\n`,
  );
  const local = join(project, "models", `m${pad(i)}`);
  mkdirSync(local, { recursive: true });
  writeFileSync(join(local, "README.md"), `---\nbase_model: bench-org/model-${pad(i)}\n---\n`);
}

const kb = loadKnowledgeBase();
const hub = await startLocalHub({ fixtures, latencyMs: LATENCY });
const run = async (label, cacheDir, concurrency) => {
  hub.reset();
  const resolver = createHubResolver({
    kb,
    hubUrl: hub.url,
    cache: new DiskCache(cacheDir),
    hfCache: new HfCache(join(tmp, "hf")),
    env: {},
    ...(concurrency ? { concurrency } : {}),
  });
  const t0 = performance.now();
  const result = await scan({
    root: project,
    kb,
    packs: [],
    failOn: "never",
    offline: false,
    organization: [],
    resolver,
  });
  const ms = performance.now() - t0;
  const repos = result.lineage.nodes.filter((n) => n.id.startsWith("hub:")).length;
  const undetermined = result.lineage.nodes.filter(
    (n) => n.id.startsWith("hub:") && n.status === "undetermined",
  ).length;
  return { label, ms, requests: hub.requests.length, repos, undetermined };
};

const cold = await run("concurrent, cold cache", join(tmp, "cache-a"));
const warm = await run("concurrent, warm cache", join(tmp, "cache-a"));
const base = await run("one at a time, cold cache (baseline)", join(tmp, "cache-b"), 1);
await hub.close();
rmSync(tmp, { recursive: true, force: true });

console.log(
  `local Hub, ${LATENCY} ms injected latency per request; project with ${N} distinct references (${cold.repos} repos with their bases)`,
);
for (const r of [cold, warm, base]) {
  console.log(
    `${r.label.padEnd(40)} ${String(Math.round(r.ms)).padStart(7)} ms  ${String(r.requests).padStart(5)} requests  ${(r.requests / r.repos).toFixed(2)} requests/repo  ${r.undetermined} undetermined`,
  );
}
const speedup = base.ms / cold.ms;
console.log(
  `speed-up over one at a time: ${speedup.toFixed(1)}x (target >= 8x); cold requests/repo ${(cold.requests / cold.repos).toFixed(2)} (target <= 3); warm requests ${warm.requests} (target 0)`,
);
if (cold.requests / cold.repos > 3 || warm.requests !== 0 || speedup < 8 || cold.undetermined > 0) process.exitCode = 1;
