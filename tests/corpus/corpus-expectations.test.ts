/**
 * Compares each corpus case's checked-in expectation (`tests/corpus-expectations/<case>.yaml`, written by reading
 * the case's files and SOURCES.md) with what `aiprov scan <case> --format json` finds. Only the lists a case file
 * declares are checked; every entry of a declared list must be found.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aiprov, CORPUS } from "../helpers/cli.js";
import { checkExpectation, compare, loadExpectations, referenceMatches } from "../helpers/expectations.js";
import type { AuditResult, ModelReference } from "../../src/model/types.js";

const cases = loadExpectations();

describe("corpus expectation files", () => {
  it("exist and name real corpus cases", () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(existsSync(join(CORPUS, c.case)), c.case).toBe(true);
  });

  it("the checker rejects malformed files", () => {
    expect(checkExpectation({ case: "x", source: "y", references: [{ target: "a/b" }] }, "x.yaml")).toEqual([
      "x.yaml: references[0] needs file",
    ]);
    expect(checkExpectation({ case: "x", source: "y", refs: [] }, "x.yaml")).toEqual(["x.yaml: unknown key refs"]);
  });

  it("the matcher compares only the fields an entry gives", () => {
    const r = {
      id: "1",
      extractor: "model-card",
      kind: "hub-id",
      raw: "a/b",
      target: "a/b",
      strength: "declared",
      location: { file: "README.md", line: 3 },
    } satisfies ModelReference;
    expect(referenceMatches({ file: "README.md", target: "a/b" }, r)).toBe(true);
    expect(referenceMatches({ file: "README.md", target: "a/b", line: 4 }, r)).toBe(false);
    expect(referenceMatches({ file: "other.md", target: "a/b" }, r)).toBe(false);
  });
});

describe.each(cases)("corpus case $case", (exp) => {
  it("finds every reference, component and mention a careful reader lists", () => {
    const r = aiprov(["scan", join(CORPUS, exp.case), "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(compare(exp, result)).toEqual([]);
    // `pending` lists what a careful reader finds and aiprov does not yet (none today): one that is found now must move
    // to `references`, so the list never goes stale.
    for (const e of exp.pending ?? [])
      expect(
        result.references.some((x) => referenceMatches(e, x)),
        `pending ${JSON.stringify(e)} is found: move it to references`,
      ).toBe(false);
    if (exp.maxUnexpectedSkipped !== undefined && exp.references?.length) {
      const skipped = exp.references.filter(
        (e) =>
          e.skipReason === undefined && result.references.some((x) => referenceMatches({ ...e }, x) && x.skipReason),
      ).length;
      expect(skipped / exp.references.length).toBeLessThanOrEqual(exp.maxUnexpectedSkipped);
    }
  });
});
