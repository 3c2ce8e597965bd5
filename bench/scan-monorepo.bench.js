#!/usr/bin/env node
// Benchmark: `aiprov scan` over a generated monorepo of >= 50,000 files (code, configs, docs, binary noise, a few
// hundred model references), beside ripgrep searching the same tree for the same reference patterns.
// Prints wall time, files per second and peak memory. Targets (issue 3): within 2x of ripgrep's time, < 300 MB peak.
// The scan runs with --offline: this measures finding references, which is what ripgrep is compared on; asking the Hub
// about what was found is measured by bench/hub-resolve.bench.js.
// The tree is generated deterministically into os.tmpdir() and reused across runs (delete it to regenerate).
// ripgrep comes from Debian's package (`apt-get install -y ripgrep`); without it the comparison is skipped.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const FILES = Number(process.env.AIPROV_BENCH_FILES ?? 50_000);
const root = join(tmpdir(), `aiprov-bench-monorepo-${FILES}-v2`);

// Deterministic PRNG (mulberry32).
let seed = 0x9e3779b9;
const rand = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const IDS = ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "BAAI/bge-m3", "intfloat/multilingual-e5-large", "LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct", "google/gemma-2-9b-it", "mistralai/Mistral-7B-Instruct-v0.3", "openai/whisper-large-v3", "upstage/SOLAR-10.7B-Instruct-v1.0", "naver-hyperclovax/HyperCLOVAX-SEED-Text-Instruct-1.5B"];
const WORDS = "alpha beta gamma delta user order invoice account session token cache queue render layout router parse format value index count total price item cart payment".split(" ");
const ident = () => `${pick(WORDS)}_${pick(WORDS)}_${Math.floor(rand() * 1000)}`;

function noisePy(lines) {
  const out = ["import os", "import json", ""];
  for (let i = 0; i < lines; i++) out.push(i % 6 === 0 ? `def ${ident()}(x, y=${i}):` : `    ${ident()} = json.dumps({"k": "${pick(WORDS)}", "n": ${i}})  # ${pick(WORDS)}`);
  return out.join("\n") + "\n    pass\n";
}
function noiseTs(lines) {
  const out = [`import { ${pick(WORDS)} } from "./${pick(WORDS)}.js";`, ""];
  for (let i = 0; i < lines; i++) out.push(i % 8 === 0 ? `export function ${ident()}(a: number): string {` : `  const ${ident()} = { key: "${pick(WORDS)}", n: ${i} }; // ${pick(WORDS)}`);
  return out.join("\n") + "\n}\n";
}
const REF_PY = [
  (id) => `from transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained("${id}", trust_remote_code=True)\n`,
  (id) => `from huggingface_hub import snapshot_download\nsnapshot_download(repo_id="${id}")\n`,
  (id) => `from sentence_transformers import SentenceTransformer\nembedder = SentenceTransformer("${id}")\n`,
  (id) => `from transformers import pipeline\nasr = pipeline("text-generation", model="${id}")\n`,
];
const REF_TS = [(id) => `import { pipeline } from "@huggingface/transformers";\nexport const p = await pipeline("feature-extraction", "${id}");\n`];

function generate() {
  if (existsSync(join(root, ".complete"))) return;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  let files = 0;
  let refs = 0;
  const write = (rel, text) => {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    files++;
  };
  write(".gitignore", "node_modules/\ndist/\n*.log\n");
  for (let p = 0; files < FILES; p++) {
    const pkg = `packages/${pick(WORDS)}-${p}`;
    for (let i = 0; i < 30; i++) {
      const hasRef = rand() < 1 / 90;
      write(`${pkg}/src/mod_${i}.py`, noisePy(40 + Math.floor(rand() * 80)) + (hasRef ? pick(REF_PY)(pick(IDS)) : ""));
      if (hasRef) refs++;
    }
    for (let i = 0; i < 30; i++) {
      const hasRef = rand() < 1 / 200;
      write(`${pkg}/web/comp_${i}.ts`, noiseTs(40 + Math.floor(rand() * 80)) + (hasRef ? pick(REF_TS)(pick(IDS)) : ""));
      if (hasRef) refs++;
    }
    for (let i = 0; i < 10; i++) write(`${pkg}/docs/page_${i}.md`, `# ${ident()}\n\n${Array.from({ length: 30 }, () => pick(WORDS)).join(" ")}\n`);
    for (let i = 0; i < 8; i++) write(`${pkg}/data/fixture_${i}.json`, JSON.stringify({ id: i, name: ident(), tags: [pick(WORDS), pick(WORDS)] }, null, 2));
    for (let i = 0; i < 8; i++) write(`${pkg}/conf/conf_${i}.yaml`, `name: ${ident()}\nreplicas: ${i}\nlabels:\n  app: ${pick(WORDS)}\n`);
    if (rand() < 0.3) {
      write(`${pkg}/settings.yaml`, `llm:\n  model: ${pick(IDS)}\nembedding:\n  embedding_model: ${pick(IDS)}\n`);
      refs += 2;
    }
    if (rand() < 0.1) {
      write(`${pkg}/Dockerfile`, `FROM python:3.11\nENV MODEL_ID=${pick(IDS)}\nCMD ["vllm", "serve", "${pick(IDS)}"]\n`);
      refs += 2;
    }
    for (let i = 0; i < 5; i++) write(`${pkg}/assets/img_${i}.png`, Buffer.from(Array.from({ length: 256 }, () => Math.floor(rand() * 256))));
    for (let i = 0; i < 5; i++) write(`${pkg}/styles/s_${i}.css`, `.${pick(WORDS)} { color: #${Math.floor(rand() * 0xffffff).toString(16)}; }\n`);
    for (let i = 0; i < 3; i++) write(`${pkg}/node_modules/dep/index.js`, "module.exports = 1;\n");
  }
  writeFileSync(join(root, ".complete"), JSON.stringify({ files, refs }));
}

function time(cmd, args, env = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, r };
}

const genStart = Date.now();
generate();
const meta = JSON.parse(readFileSync(join(root, ".complete"), "utf8"));
console.log(`tree: ${root} (${meta.files} files, ${meta.refs} model references planted; generated/reused in ${Date.now() - genStart} ms)`);

const rssFile = join(tmpdir(), `aiprov-bench-rss-${process.pid}`);
const out = join(tmpdir(), `aiprov-bench-out-${process.pid}.json`);
const runs = [];
// AIPROV_BENCH_JOBS=<n> passes --jobs <n> (default: aiprov's own default).
const jobs = process.env.AIPROV_BENCH_JOBS ? ["--jobs", process.env.AIPROV_BENCH_JOBS] : [];
for (let i = 0; i < 3; i++) {
  const { ms, r } = time(process.execPath, ["--import", join(here, "rss-hook.mjs"), join(repo, "bin", "aiprov.js"), "scan", root, "--offline", "--format", "json", "--output", out, ...jobs], { AIPROV_BENCH_RSS_FILE: rssFile });
  if (r.status !== 0) {
    console.error(`aiprov scan failed (exit ${r.status}): ${r.stderr}`);
    process.exit(1);
  }
  runs.push({ ms, rssKiB: Number(readFileSync(rssFile, "utf8")) });
}
// One more run with AIPROV_TIMING=1: where the time goes, stage by stage.
const timed = time(process.execPath, [join(repo, "bin", "aiprov.js"), "scan", root, "--offline", "--format", "json", "--output", out], { AIPROV_TIMING: "1" });
const stages = timed.r.stderr.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " ")).join(", ");
const result = JSON.parse(readFileSync(out, "utf8"));
rmSync(out, { force: true });
rmSync(rssFile, { force: true });
const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const peakMB = Math.max(...runs.map((r) => r.rssKiB)) / 1024;
console.log(`aiprov: wall ${best.ms.toFixed(0)} ms (best of ${runs.length}: ${runs.map((r) => r.ms.toFixed(0)).join(", ")}), ${(result.coverage.filesSeen / (best.ms / 1000)).toFixed(0)} files/s, peak RSS ${peakMB.toFixed(1)} MB`);
console.log(`        files seen ${result.coverage.filesSeen}, scanned ${result.coverage.filesScanned}, references ${result.references.length}; threads ${process.env.AIPROV_BENCH_JOBS ?? "default"}`);
console.log(`        stages (AIPROV_TIMING=1, one run of ${timed.ms.toFixed(0)} ms): ${stages}`);

const PATTERNS = ["from_pretrained\\(", "pipeline\\(", "snapshot_download", "hf_hub_download", "SentenceTransformer\\(", "vllm serve", "MODEL_ID=", "model: ", "embedding_model: "];
const rg = spawnSync("rg", ["--version"], { encoding: "utf8" });
if (rg.error || rg.status !== 0) {
  console.log("ripgrep (rg) not found: comparison skipped. Install it from Debian's packages: apt-get install -y ripgrep");
  process.exit(0);
}
const rgRuns = [];
let matches = 0;
for (let i = 0; i < 3; i++) {
  const { ms, r } = time("rg", ["--count-matches", "--no-messages", ...PATTERNS.flatMap((p) => ["-e", p]), root]);
  rgRuns.push(ms);
  matches = r.stdout.split("\n").filter(Boolean).reduce((n, l) => n + Number(l.split(":").pop()), 0);
}
const rgBest = Math.min(...rgRuns);
console.log(`rg:     wall ${rgBest.toFixed(0)} ms (best of 3: ${rgRuns.map((x) => x.toFixed(0)).join(", ")}), ${matches} matches (${rg.stdout.split("\n")[0]})`);
// The floor for any Node.js tool on this machine: one thread that lists the same tree (skipping node_modules as rg's
// .gitignore does), reads every file and tests the same patterns, with nothing else. aiprov parses, links and reports
// on top of this; the gap between this line and rg's is Node's file I/O and regex engine, not aiprov's work.
const FLOOR = `
const { readdirSync, readFileSync } = require("node:fs");
const re = new RegExp(${JSON.stringify(PATTERNS.join("|"))});
let hits = 0;
const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { if (e.name === "node_modules" || e.name.startsWith(".")) continue; const p = d + "/" + e.name; if (e.isDirectory()) walk(p); else if (e.isFile() && re.test(readFileSync(p, "latin1"))) hits++; } };
walk(process.argv[1]);
console.log(hits);`;
const floorRuns = [];
for (let i = 0; i < 3; i++) floorRuns.push(time(process.execPath, ["-e", FLOOR, root]).ms);
const floorBest = Math.min(...floorRuns);
console.log(`node floor (walk + read + the same regex, one thread): wall ${floorBest.toFixed(0)} ms (best of 3: ${floorRuns.map((x) => x.toFixed(0)).join(", ")}), ${(floorBest / rgBest).toFixed(2)}x rg; aiprov is ${(best.ms / floorBest).toFixed(2)}x this floor`);
const ratio = best.ms / rgBest;
console.log(`ratio aiprov/rg: ${ratio.toFixed(2)}x (target <= 2x: ${ratio <= 2 ? "met" : "NOT met"}); peak memory target < 300 MB: ${peakMB < 300 ? "met" : "NOT met"}`);
