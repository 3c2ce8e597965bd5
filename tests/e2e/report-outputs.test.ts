/**
 * The CLI's report outputs: one scan writes every format asked for (even when it exits 1 for findings), `report --from`
 * re-renders a saved result to the same bytes, and a file that is not an aiprov result exits 2 naming the problem.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aiprov } from "../helpers/cli.js";

const ALL = [
  ["--json-output", "r.json"],
  ["--sarif-output", "out.sarif"],
  ["--markdown-output", "summary.md"],
  ["--html-output", "out.html"],
  ["--cyclonedx-output", "bom.json"],
  ["--spdx-output", "bom.spdx.json"],
  ["--junit-output", "junit.xml"],
] as const;

describe("report outputs", () => {
  it("the acceptance command writes SARIF, HTML and CycloneDX and exits 1 for the omni example's findings", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-out-"));
    const r = aiprov([
      "scan",
      "examples/omni-submission",
      "--policy",
      "kr-sovereign-from-scratch",
      "--sarif-output",
      join(dir, "out.sarif"),
      "--html-output",
      join(dir, "out.html"),
      "--cyclonedx-output",
      join(dir, "bom.json"),
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Verdict: FAIL");
    expect(JSON.parse(readFileSync(join(dir, "out.sarif"), "utf8")).version).toBe("2.1.0");
    expect(JSON.parse(readFileSync(join(dir, "bom.json"), "utf8")).specVersion).toBe("1.6");
    expect(readFileSync(join(dir, "out.html"), "utf8")).toMatch(/^<!DOCTYPE html>/);
  });

  it("writes every per-format file in one run, relative to the current folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-out-"));
    mkdirSync(join(dir, "reports"));
    const args = ALL.flatMap(([flag, file]) => [flag, `reports/${file}`]);
    const r = aiprov(
      [
        "scan",
        join(process.cwd(), "examples/omni-submission"),
        "--policy",
        "kr-sovereign-from-scratch",
        "--format",
        "markdown",
        "--output",
        "main.md",
        ...args,
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    for (const [, file] of ALL) expect(existsSync(join(dir, "reports", file)), file).toBe(true);
    expect(readFileSync(join(dir, "main.md"), "utf8")).toBe(readFileSync(join(dir, "reports", "summary.md"), "utf8"));
  });

  it("report --from re-renders a saved result to the bytes the scan wrote, in every format", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-out-"));
    const scanArgs = ALL.flatMap(([flag, file]) => [flag, join(dir, `scan-${file}`)]);
    expect(
      aiprov(["scan", "examples/omni-submission", "--policy", "kr-sovereign-from-scratch", ...scanArgs]).code,
    ).toBe(1);
    const reportArgs = ALL.flatMap(([flag, file]) => [flag, join(dir, `report-${file}`)]);
    const r = aiprov(["report", "--from", join(dir, "scan-r.json"), ...reportArgs]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const [, file] of ALL)
      expect(readFileSync(join(dir, `report-${file}`), "utf8"), file).toBe(
        readFileSync(join(dir, `scan-${file}`), "utf8"),
      );
    const text = aiprov(["report", "--from", join(dir, "scan-r.json"), "--format", "sarif"]);
    expect(text.stdout).toBe(readFileSync(join(dir, "scan-out.sarif"), "utf8"));
  });

  it("report --from exits 2 with every schema problem when the file is not an aiprov result", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-out-"));
    const bad = join(dir, "bad.json");
    const result = JSON.parse(readFileSync("tests/golden/omni-result.json", "utf8")) as Record<string, unknown>;
    delete result.lineage;
    (result.summary as Record<string, unknown>).verdict = "maybe";
    writeFileSync(bad, JSON.stringify(result));
    const r = aiprov(["report", "--from", bad, "--format", "html"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`--from: ${bad} is not an aiprov JSON result`);
    expect(r.stderr).toContain("lineage");
    expect(r.stderr).toContain("/summary/verdict");

    writeFileSync(bad, "{ not json");
    const r2 = aiprov(["report", "--from", bad]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/is not JSON/);
    const r3 = aiprov(["report", "--from", join(dir, "missing.json")]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain("cannot read");
  });

  it("checks every output path before scanning: a missing folder, or a scanned file that is not an aiprov report, exits 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-out-"));
    const r = aiprov(["scan", "examples/omni-submission", "--sarif-output", join(dir, "no-such-folder", "out.sarif")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--sarif-output");
    expect(r.stderr).toContain("does not exist");
    const r2 = aiprov([
      "scan",
      "examples/omni-submission",
      "--html-output",
      "examples/omni-submission/model/config.json",
    ]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("--html-output examples/omni-submission/model/config.json: refusing to overwrite");
  });

  it("recognises its own earlier reports inside the scanned folder and leaves them out of the next scan", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-own-"));
    writeFileSync(
      join(dir, "config.json"),
      readFileSync(
        "examples/omni-submission/encoders/audio/qwen2-audio-encoder-from-qwen2-audio-7b-instruct/config.json",
      ),
    );
    const args = ALL.flatMap(([flag, file]) => [flag, join(dir, file)]);
    const first = aiprov(["scan", dir, "--policy", "kr-sovereign-from-scratch", ...args]);
    expect(first.stderr).toBe("");
    const firstJson = readFileSync(join(dir, "r.json"), "utf8");
    // Every report now sits inside the scanned folder; the second scan overwrites them and sees the same tree.
    const second = aiprov(["scan", dir, "--policy", "kr-sovereign-from-scratch", ...args]);
    expect(second.stderr).toBe("");
    expect(second.code).toBe(first.code);
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe(firstJson);
  });

  it("lists the formats and output flags in --help", () => {
    const r = aiprov(["scan", "--help"]);
    for (const [flag] of ALL) expect(r.stdout).toContain(flag);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(
      '(choices: "text", "json", "sarif", "markdown", "html", "cyclonedx", "spdx", "junit")',
    );
    expect(aiprov(["report", "--help"]).stdout).toContain("--from <file>");
  });
});
