// Identification benchmark (issue 12): scans the identification set (tests/identification/cases.yaml, 60+ real
// component configs, plus in-house controls) in three forms — as released, renamed, nested without a model_type —
// and prints per form how many were identified (one right entry), given as an honest candidate list, missed or
// wrong, for all cases and for the held-out quarter; then the knowledge base's entry counts by role.
// Needs `npm run build` (npm run bench does it). Usage: node bench/identification.bench.js
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKnowledgeBase } from "../dist/resolve/knowledge/knowledge-base.js";
import { FORMS, evaluateForm, loadIdentificationSet, tally } from "../dist/identification/evaluate.js";

const here = dirname(fileURLToPath(import.meta.url));
const set = loadIdentificationSet(
  join(here, "..", "tests", "identification", "cases.yaml"),
  join(here, "..", "tests", "identification", "controls.yaml"),
);
const kb = loadKnowledgeBase();
const pad = (s, n) => String(s).padEnd(n);
const row = (cells) => console.log(cells.map((c, i) => pad(c, i === 0 ? 22 : 11)).join(""));
console.log(
  `identification set: ${set.cases.length} cases (${set.cases.filter((c) => c.heldOut).length} held out, ${set.cases.filter((c) => c.knowledgeSource).length} from the knowledge base's own source files), ${set.controls.length} in-house controls`,
);
row(["form", "identified", "candidates", "missed", "wrong", "rate", "ms"]);
const misses = [];
for (const form of FORMS) {
  const t0 = performance.now();
  const results = await evaluateForm(set, form, kb);
  const ms = Math.round(performance.now() - t0);
  const parts = {
    all: results.filter((r) => !r.control),
    tuned: results.filter((r) => !r.control && !r.heldOut),
    "held-out": results.filter((r) => !r.control && r.heldOut),
  };
  for (const [label, rs] of Object.entries(parts)) {
    const t = tally(rs);
    row([
      `${form} (${label})`,
      t.identified,
      t.candidates,
      t.missed,
      t.wrong,
      `${(((t.identified + t.candidates) / Math.max(1, t.total)) * 100).toFixed(1)}%`,
      label === "all" ? ms : "",
    ]);
  }
  const controls = results.filter((r) => r.control);
  const matchedControls = controls.filter((r) => r.outcome === "wrong");
  row([
    `${form} (controls)`,
    "",
    "",
    "",
    matchedControls.length,
    `${controls.length - matchedControls.length}/${controls.length} clean`,
    "",
  ]);
  for (const r of results) if (r.outcome === "missed" && !r.control) misses.push(`${form}: ${r.id}`);
  for (const r of results)
    if (r.outcome === "wrong")
      misses.push(
        `${form}: ${r.id} WRONG -> ${r.matched.join(", ")}${r.contradicted.length ? ` (contradicted: ${r.contradicted.join(", ")})` : ""}`,
      );
}
if (misses.length)
  console.log(
    `\nnot identified (${misses.length}):\n  ${misses.slice(0, 60).join("\n  ")}${misses.length > 60 ? "\n  ..." : ""}`,
  );
const byRole = {};
for (const c of kb.components) byRole[c.role] = (byRole[c.role] ?? 0) + 1;
console.log(`\nknowledge base: ${kb.components.length} component entries`);
for (const [role, n] of Object.entries(byRole).sort((a, b) => b[1] - a[1])) console.log(`  ${pad(role, 16)} ${n}`);
console.log(
  `  checkpoints: ${kb.components.reduce((n, c) => n + c.checkpoints.length, 0)}, publishers: ${kb.publishers.length}`,
);
