/**
 * Every case folder of the shared corpus (`../shared/corpus`, see its SOURCES.md) scans without crashing: the CLI
 * never exits 2, writes nothing to stderr, and its JSON validates against the report schema. One real-world tree that
 * trips the tool is one product an auditor cannot check.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { aiprov, CORPUS } from "../helpers/cli.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

const cases = readdirSync(CORPUS)
  .filter((d) => statSync(join(CORPUS, d)).isDirectory())
  .sort();

describe("aiprov scan <case> --format json over every case of shared/corpus", () => {
  it("finds the corpus", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  it.each(cases)("%s: never exits 2, never crashes, and the output validates", (c) => {
    const r = aiprov(["scan", join(CORPUS, c), "--format", "json", "--policy", "kr-sovereign-from-scratch"]);
    expect(r.stderr).toBe("");
    expect([0, 1]).toContain(r.code);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(validate("report.schema.json", result, c)).toEqual([]);
    expect(result.coverage.filesSeen).toBeGreaterThan(0);
    // No extractor may fail internally on a real file (a thrown TypeError and the like become extractor-error).
    const internal = result.diagnostics.filter((d) => d.code === "extractor-error");
    expect(internal).toEqual([]);
  });
});
