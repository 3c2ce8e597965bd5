/**
 * Every case folder of the shared corpus (`../shared/corpus`, see its SOURCES.md) scans without crashing: the CLI
 * never exits 2, writes nothing to stderr that says it crashed, and its JSON validates against the report schema.
 * One real-world tree that trips the tool is one product an auditor cannot check.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aiprov, CORPUS } from "../helpers/cli.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

const CASES = readdirSync(CORPUS)
  .filter((name) => statSync(join(CORPUS, name)).isDirectory())
  .sort();

describe("aiprov scan over every corpus case", () => {
  it("finds the corpus", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)("%s: exits 0 or 1 and writes a report that validates", (name) => {
    const r = aiprov(["scan", join(CORPUS, name), "--format", "json", "--policy", "kr-sovereign-from-scratch"]);
    expect(r.code, r.stderr).not.toBe(2);
    expect([0, 1]).toContain(r.code);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(validate("report.schema.json", result, "report")).toEqual([]);
    expect(result.coverage.filesSeen).toBeGreaterThan(0);
    // No diagnostic may report an internal failure of an extractor (a thrown TypeError and the like).
    const internal = result.diagnostics.filter((d) => d.code === "extractor-error" && /TypeError|RangeError|undefined|null/.test(d.message));
    expect(internal).toEqual([]);
  });
});
