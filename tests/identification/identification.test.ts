/**
 * Issue 12 acceptance: the identification set (cases.yaml: 60+ real component configs with cited sources; controls.yaml:
 * in-house configs) scanned in three forms by src/identification/evaluate.ts. `npm run bench` prints the same table.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/resolve/knowledge/knowledge-base.js";
import { FORMS, evaluateForm, loadIdentificationSet, tally, type CaseResult, type Form } from "../../src/identification/evaluate.js";

const here = dirname(fileURLToPath(import.meta.url));
const set = loadIdentificationSet(join(here, "cases.yaml"), join(here, "controls.yaml"));
const kb = loadKnowledgeBase();
const results = new Map<Form, CaseResult[]>();

describe("identification set (issue 12)", () => {
  beforeAll(async () => {
    for (const form of FORMS) results.set(form, await evaluateForm(set, form, kb));
  }, 300_000);

  it("holds at least 60 real configs with cited sources, a held-out quarter and 15 in-house controls", () => {
    expect(set.cases.length).toBeGreaterThanOrEqual(60);
    expect(set.controls.length).toBeGreaterThanOrEqual(15);
    const heldOut = set.cases.filter((c) => c.heldOut).length;
    expect(heldOut / set.cases.length).toBeGreaterThan(0.2);
    expect(heldOut / set.cases.length).toBeLessThan(0.3);
    // Not only the knowledge base's own files: most cases quote the component from another release or repository.
    expect(set.cases.filter((c) => !c.knowledgeSource).length).toBeGreaterThan(set.cases.length / 2);
    for (const c of set.cases) {
      expect(c.source.url, c.id).toMatch(/^https:\/\//);
      expect(existsSync(join(here, c.file)), c.file).toBe(true);
      for (const id of c.expect) expect(kb.component(id), `${c.id}: unknown entry ${id}`).toBeDefined();
    }
    expect(new Set(set.cases.map((c) => c.id)).size).toBe(set.cases.length);
  });

  it("every control is of its own dimensions: no knowledge entry's identity is contained in it", () => {
    for (const c of set.controls) {
      for (const k of kb.components) {
        if (!k.identity || Object.keys(k.identity).length === 0) continue;
        const all = Object.entries(k.identity).every(([key, v]) => JSON.stringify(c.config[key]) === JSON.stringify(v));
        expect(all, `${c.id} equals ${k.id}`).toBe(false);
      }
    }
  });

  for (const form of FORMS) {
    it(`${form}: no in-house control matches any entry`, () => {
      const bad = results.get(form)!.filter((r) => r.control && r.matched.length > 0);
      expect(bad.map((r) => `${r.id} -> ${r.matched.join(", ")}`)).toEqual([]);
    });

    it(`${form}: no case is identified as something it is not (0 wrong)`, () => {
      const wrong = results.get(form)!.filter((r) => !r.control && r.outcome === "wrong");
      expect(wrong.map((r) => `${r.id} -> ${r.matched.join(", ")}`)).toEqual([]);
    });
  }

  // PENDING until the name-blind engine of issue 12 lands (ident-engine): today a renamed config is 0% identified
  // because a match requires the entry's model_type. `it.fails` keeps the suite green while the threshold is not met;
  // when the engine meets it, this test turns red: then change `it.fails` to `it`.
  it.fails("PENDING name-blind engine: at least 95% identified (entry or honest candidates) in every form, held-out part included", () => {
    for (const form of FORMS) {
      const rs = results.get(form)!.filter((r) => !r.control);
      for (const part of [rs, rs.filter((r) => r.heldOut)]) {
        const t = tally(part);
        expect((t.identified + t.candidates) / t.total, `${form}`).toBeGreaterThanOrEqual(0.95);
      }
    }
  });
});
