import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "./registry.js";
import { runExtractors } from "./run.js";

// A large but ordinary Python module (4,000 functions, each loading a model by a constant; over a second to analyse)
// beside a small one (a few milliseconds). With a 250 ms budget the large one is abandoned and named; the small one is
// analysed as usual.
const root = mkdtempSync(join(tmpdir(), "aiprov-budget-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const big = ["from transformers import AutoModel", 'BASE = "Qwen/Qwen2.5-7B-Instruct"', ""];
for (let i = 0; i < 4000; i++)
  big.push(
    `def load_${i}(path=BASE, n=${i}):`,
    `    m = AutoModel.from_pretrained(path, revision="v${i}")`,
    `    return [m for _ in range(n) if n % 3 == ${i % 3}]`,
    "",
  );
writeFileSync(join(root, "big.py"), big.join("\n"));
writeFileSync(
  join(root, "small.py"),
  'from sentence_transformers import SentenceTransformer\nSentenceTransformer("BAAI/bge-m3")\n',
);
const files = ["big.py", "small.py"].map((p) => ({ path: p, absolutePath: join(root, p) }));

describe("per-file analysis budget", () => {
  // What a thread loads once, on its first parse (grammars, the loader and provider tables), is loaded here first: the
  // budget is for a file's own work.
  beforeAll(async () => {
    await runExtractors(files.slice(1), await loadExtractors(), { maxTextBytes: 8 << 20 });
  });

  it("abandons a file past its budget with a diagnostic naming it and an unresolved reference, and keeps the others", async () => {
    const x = await loadExtractors();
    const r = await runExtractors(files, x, { maxTextBytes: 8 << 20, analysisBudgetMs: 250 });
    const diag = r.diagnostics
      .concat(r.outputs.flatMap((o) => o.output.diagnostics ?? []))
      .find((d) => d.code === "file-budget-exceeded");
    expect(diag?.location?.file).toBe("big.py");
    expect(diag?.message).toMatch(/per-file budget/);
    const refs = r.outputs.flatMap((o) => o.output.references ?? []);
    const unread = refs.find((ref) => ref.location.file === "big.py");
    expect(unread?.skipReason).toBe("parse-error");
    expect(unread?.facts?.notRead).toBe("analysis exceeded its time budget");
    expect(refs.filter((ref) => ref.location.file === "small.py").map((ref) => ref.target)).toEqual(["BAAI/bge-m3"]);
  });

  it("analyses the same file in full within a budget it fits in", async () => {
    // Ten minutes: far more than the file needs even on a loaded machine (the default is ANALYSIS_BUDGET_MS).
    const r = await runExtractors(files, await loadExtractors(), { maxTextBytes: 8 << 20, analysisBudgetMs: 600_000 });
    const refs = r.outputs.flatMap((o) => o.output.references ?? []);
    expect(
      r.outputs.flatMap((o) => o.output.diagnostics ?? []).filter((d) => d.code === "file-budget-exceeded"),
    ).toEqual([]);
    expect(refs.some((ref) => ref.location.file === "big.py" && ref.target === "Qwen/Qwen2.5-7B-Instruct")).toBe(true);
  });
});
