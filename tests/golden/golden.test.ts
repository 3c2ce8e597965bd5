/**
 * Golden files: every report format rendered from one fixed result (`omni-result.json`: the omni example scanned
 * with SOURCE_DATE_EPOCH, see README.md here). Reporters are pure functions, so any byte that changes is a change
 * in a reporter (or in a library it uses) and must be reviewed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { loadRenderer, REPORT_FORMATS, type ReportFormat } from "../../src/report/formats.js";
import { validate } from "../../src/util/schema.js";
import { GOLDEN_DIR, expectGolden } from "../helpers/golden.js";

const RESULT = JSON.parse(readFileSync(join(GOLDEN_DIR, "omni-result.json"), "utf8")) as AuditResult;

const FILE: Record<ReportFormat, string> = {
  text: "omni.txt",
  json: "omni.json",
  sarif: "omni.sarif",
  markdown: "omni.md",
  html: "omni.html",
  cyclonedx: "omni.cdx.json",
  spdx: "omni.spdx.json",
  junit: "omni.junit.xml",
};

describe("golden reports of the omni example", () => {
  it("the fixed input is a valid aiprov result", () => {
    expect(validate("report.schema.json", RESULT, "omni-result.json")).toEqual([]);
  });

  for (const format of REPORT_FORMATS) {
    it(`${format} matches tests/golden/${FILE[format]}`, async () => {
      const render = await loadRenderer(format);
      const a = render(RESULT, {});
      // Pure: a second rendering is byte-identical.
      expect(render(RESULT, {})).toBe(a);
      expectGolden(FILE[format], a);
    });
  }
});
