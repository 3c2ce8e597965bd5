// The generated monorepo of the scan benchmarks: code, configs, docs, binary noise and a few hundred planted model
// references (Python and TypeScript loaders, settings files, Dockerfiles), written deterministically to os.tmpdir()
// and reused across runs (delete the folder to regenerate). Used by bench/scan-monorepo.bench.js.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

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

const IDS = [
  "meta-llama/Llama-3.1-8B-Instruct",
  "Qwen/Qwen2.5-7B-Instruct",
  "BAAI/bge-m3",
  "intfloat/multilingual-e5-large",
  "LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
  "google/gemma-2-9b-it",
  "mistralai/Mistral-7B-Instruct-v0.3",
  "openai/whisper-large-v3",
  "upstage/SOLAR-10.7B-Instruct-v1.0",
  "naver-hyperclovax/HyperCLOVAX-SEED-Text-Instruct-1.5B",
];
const WORDS =
  "alpha beta gamma delta user order invoice account session token cache queue render layout router parse format value index count total price item cart payment".split(
    " ",
  );
const ident = () => `${pick(WORDS)}_${pick(WORDS)}_${Math.floor(rand() * 1000)}`;

function noisePy(lines) {
  const out = ["import os", "import json", ""];
  for (let i = 0; i < lines; i++)
    out.push(
      i % 6 === 0
        ? `def ${ident()}(x, y=${i}):`
        : `    ${ident()} = json.dumps({"k": "${pick(WORDS)}", "n": ${i}})  # ${pick(WORDS)}`,
    );
  return out.join("\n") + "\n    pass\n";
}
function noiseTs(lines) {
  const out = [`import { ${pick(WORDS)} } from "./${pick(WORDS)}.js";`, ""];
  for (let i = 0; i < lines; i++)
    out.push(
      i % 8 === 0
        ? `export function ${ident()}(a: number): string {`
        : `  const ${ident()} = { key: "${pick(WORDS)}", n: ${i} }; // ${pick(WORDS)}`,
    );
  return out.join("\n") + "\n}\n";
}
const REF_PY = [
  (id) =>
    `from transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained("${id}", trust_remote_code=True)\n`,
  (id) => `from huggingface_hub import snapshot_download\nsnapshot_download(repo_id="${id}")\n`,
  (id) => `from sentence_transformers import SentenceTransformer\nembedder = SentenceTransformer("${id}")\n`,
  (id) => `from transformers import pipeline\nasr = pipeline("text-generation", model="${id}")\n`,
];
const REF_TS = [
  (id) =>
    `import { pipeline } from "@huggingface/transformers";\nexport const p = await pipeline("feature-extraction", "${id}");\n`,
];

/**
 * Generates (or reuses) the tree of about `wanted` files in os.tmpdir(); returns its root, its file count and every
 * planted reference (file, Hub id).
 * Deterministic: the same `files` always gives the same tree.
 */
export function generateTree(wanted) {
  seed = 0x9e3779b9;
  const root = join(tmpdir(), `aiprov-bench-monorepo-${wanted}-v3`);
  const FILES = wanted;
  if (existsSync(join(root, ".complete")))
    return { root, ...JSON.parse(readFileSync(join(root, ".complete"), "utf8")) };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  let files = 0;
  const planted = [];
  const plant = (file, template, id) => {
    planted.push({ file, id });
    return template(id);
  };
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
      const noise = noisePy(40 + Math.floor(rand() * 80));
      const ref = hasRef ? plant(`${pkg}/src/mod_${i}.py`, pick(REF_PY), pick(IDS)) : "";
      write(`${pkg}/src/mod_${i}.py`, noise + ref);
    }
    for (let i = 0; i < 30; i++) {
      const hasRef = rand() < 1 / 200;
      const noise = noiseTs(40 + Math.floor(rand() * 80));
      const ref = hasRef ? plant(`${pkg}/web/comp_${i}.ts`, pick(REF_TS), pick(IDS)) : "";
      write(`${pkg}/web/comp_${i}.ts`, noise + ref);
    }
    for (let i = 0; i < 10; i++)
      write(`${pkg}/docs/page_${i}.md`, `# ${ident()}\n\n${Array.from({ length: 30 }, () => pick(WORDS)).join(" ")}\n`);
    for (let i = 0; i < 8; i++)
      write(
        `${pkg}/data/fixture_${i}.json`,
        JSON.stringify({ id: i, name: ident(), tags: [pick(WORDS), pick(WORDS)] }, null, 2),
      );
    for (let i = 0; i < 8; i++)
      write(`${pkg}/conf/conf_${i}.yaml`, `name: ${ident()}\nreplicas: ${i}\nlabels:\n  app: ${pick(WORDS)}\n`);
    if (rand() < 0.3) {
      const [a, b] = [pick(IDS), pick(IDS)];
      planted.push({ file: `${pkg}/settings.yaml`, id: a }, { file: `${pkg}/settings.yaml`, id: b });
      write(`${pkg}/settings.yaml`, `llm:\n  model: ${a}\nembedding:\n  embedding_model: ${b}\n`);
    }
    if (rand() < 0.1) {
      const [a, b] = [pick(IDS), pick(IDS)];
      planted.push({ file: `${pkg}/Dockerfile`, id: a }, { file: `${pkg}/Dockerfile`, id: b });
      write(`${pkg}/Dockerfile`, `FROM python:3.11\nENV MODEL_ID=${a}\nCMD ["vllm", "serve", "${b}"]\n`);
    }
    for (let i = 0; i < 5; i++)
      write(`${pkg}/assets/img_${i}.png`, Buffer.from(Array.from({ length: 256 }, () => Math.floor(rand() * 256))));
    for (let i = 0; i < 5; i++)
      write(`${pkg}/styles/s_${i}.css`, `.${pick(WORDS)} { color: #${Math.floor(rand() * 0xffffff).toString(16)}; }\n`);
    for (let i = 0; i < 3; i++) write(`${pkg}/node_modules/dep/index.js`, "module.exports = 1;\n");
  }
  writeFileSync(join(root, ".complete"), JSON.stringify({ files, planted }));
  return { root, files, planted };
}
