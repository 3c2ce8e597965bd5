import { describe, expect, it } from "vitest";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { aiprov, CORPUS } from "../helpers/cli.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

const cases = readdirSync(CORPUS).filter((d) => statSync(join(CORPUS, d)).isDirectory()).sort();

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
  });
});
