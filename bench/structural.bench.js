// Name-blind structural matching speed (issue 12): every knowledge entry's identity, written as a config block three
// ways (as in the entry, keys renamed to another spelling of the family, model_type dropped), identified against the
// whole bundled knowledge base; then the same number of in-house blocks (sizes shifted) that must match nothing.
// Prints blocks per second and the average candidates per block. Needs `npm run build`.
import { loadKnowledgeBase } from "../dist/resolve/knowledge/knowledge-base.js";
import { identifyBlock, indexedEntries } from "../dist/resolve/knowledge/structural.js";

const kb = loadKnowledgeBase();
const RENAME = {
  num_hidden_layers: "n_layers",
  hidden_size: "dim",
  num_attention_heads: "n_heads",
  intermediate_size: "inter_dim",
  d_model: "hidden_size",
  encoder_layers: "num_hidden_layers",
  depth: "num_hidden_layers",
  num_heads: "num_attention_heads",
};
const blocks = [];
for (const c of kb.components) {
  if (Object.keys(c.identity).length === 0) continue;
  const role = c.role === "backbone" ? "model" : c.role;
  blocks.push({ config: { ...c.identity }, role, modelType: c.match?.modelTypes?.[0] });
  blocks.push({
    config: Object.fromEntries(Object.entries(c.identity).map(([k, v]) => [RENAME[k] ?? k, v])),
    role,
    modelType: "acme_inhouse",
  });
  blocks.push({ config: { ...c.identity }, role });
}
const controls = blocks.map((b) => ({
  ...b,
  config: Object.fromEntries(
    Object.entries(b.config).map(([k, v]) => [k, typeof v === "number" && Number.isInteger(v) && v > 8 ? v + 7 : v]),
  ),
}));
// Warm the index once (built on first use).
identifyBlock(blocks[0], kb);
let t0 = performance.now();
let found = 0;
let candidates = 0;
for (const b of blocks) {
  const r = identifyBlock(b, kb);
  if (r.matches.length > 0) found++;
  candidates += r.matches.length;
}
const ms = performance.now() - t0;
t0 = performance.now();
let controlMatches = 0;
for (const b of controls) controlMatches += identifyBlock(b, kb).matches.length;
const msControls = performance.now() - t0;
console.log(`entries indexed: ${indexedEntries(kb)} of ${kb.components.length}`);
console.log(
  `entry-derived blocks: ${blocks.length} in ${ms.toFixed(1)} ms (${((blocks.length / ms) * 1000).toFixed(0)} blocks/s), ${found} matched, ${(candidates / blocks.length).toFixed(2)} candidates per block`,
);
console.log(`shifted-size controls: ${controls.length} in ${msControls.toFixed(1)} ms, ${controlMatches} matches`);
