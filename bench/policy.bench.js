// Policy evaluation cost: every shipped pack over synthetic lineage graphs of growing size (local models, each with
// an encoder part, a fine-tune chain of upstreams of mixed countries and licences, and one from-scratch claim that
// makes `someNode` scan the graph). Reports wall time and findings per size. Run: npm run bench -- policy
import { performance } from "node:perf_hooks";
import { evaluatePacks } from "../dist/policy/engine.js";
import { bundledPackIds, loadPacks } from "../dist/policy/load.js";

const packs = loadPacks(bundledPackIds());
const countries = ["US", "CN", "FR", "KR", "unknown"];
const licences = ["apache-2.0", "llama3.1", "gemma", "other:qwen", "cc-by-nc-4.0", undefined];

function graph(models) {
  const nodes = [];
  const edges = [];
  const ev = (file) => [{ code: "bench", strength: "declared", location: { file } }];
  for (let i = 0; i < models; i++) {
    const m = `local:m${i}/config.json#`;
    const enc = `${m}/vision_config`;
    nodes.push({
      id: m,
      kind: "local",
      role: "model",
      name: `m${i}`,
      status: "third-party",
      inProduct: true,
      ...(i === 0
        ? { claims: { fromScratch: { code: "c", strength: "declared", location: { file: "README.md" } } } }
        : {}),
    });
    nodes.push({
      id: enc,
      kind: "local",
      role: "vision-encoder",
      name: `m${i}/vision`,
      status: "no-third-party-lineage",
      inProduct: true,
    });
    edges.push({
      id: `p${i}`,
      from: enc,
      to: m,
      relation: "component-of",
      strength: "declared",
      evidence: ev(`m${i}/config.json`),
    });
    let prev = m;
    for (let d = 0; d < 3; d++) {
      const u = `hub:org${(i + d) % 50}/model-${i}-${d}`;
      const lic = licences[(i + d) % licences.length];
      nodes.push({
        id: u,
        kind: "upstream",
        role: "model",
        name: u.slice(4),
        repo: u.slice(4),
        status: "third-party",
        inProduct: false,
        publisher: {
          org: `org${(i + d) % 50}`,
          entity: `Org ${(i + d) % 50}`,
          country: countries[(i + d) % countries.length],
        },
        ...(lic ? { license: lic } : {}),
      });
      edges.push({
        id: `e${i}-${d}`,
        from: prev,
        to: u,
        relation: d === 0 ? "finetune" : "merge",
        strength: "declared",
        evidence: ev(`m${i}/README.md`),
      });
      prev = u;
    }
  }
  return { nodes, edges };
}

for (const models of [100, 1000, 3000]) {
  const g = graph(models);
  const t0 = performance.now();
  const { findings } = evaluatePacks(g, packs, {}, { files: [], documents: [] });
  const ms = performance.now() - t0;
  console.log(
    `${String(g.nodes.length).padStart(6)} nodes ${String(g.edges.length).padStart(6)} edges, ${packs.length} packs: ${ms.toFixed(0).padStart(6)} ms, ${findings.length} findings, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
  );
}
