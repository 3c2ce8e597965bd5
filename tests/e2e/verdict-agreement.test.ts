/**
 * Every report format takes pass/fail from one function (src/policy/verdict.ts). Under `--baseline` the formats once
 * disagreed: the HTML header said PASS while its per-pack table said FAIL, and JUnit counted a failure per finding
 * already in the baseline. Here one scan writes every format at once, and each format's own statement of the verdict
 * is read back: with every finding in the baseline all say PASS and the exit code is 0; with one new finding all say
 * FAIL and the exit code is 1.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-verdicts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FORMATS = ["sarif", "markdown", "html", "cyclonedx", "spdx", "junit"] as const;

/** The verdict each format states, read from its own output. */
function verdicts(dir: string, stdout: string): Record<string, string> {
  const read = (f: string): string => readFileSync(join(dir, f), "utf8");
  const json = JSON.parse(read("r.json")) as AuditResult;
  const sarif = JSON.parse(read("r.sarif")) as { runs: { properties: { verdict: string } }[] };
  const cdx = JSON.parse(read("r.cdx.json")) as { metadata: { properties: { name: string; value: string }[] } };
  const spdx = read("r.spdx.json");
  const html = read("r.html");
  const junit = read("r.junit.xml");
  const packCells = [...html.matchAll(/<tr id="pack-[^"]+">.*?<span class="verdict (\w+)">/g)].map((m) => m[1]!);
  return {
    text: /Verdict: (PASS|FAIL)/.exec(stdout)?.[1]!.toLowerCase() ?? "none",
    json: json.summary.verdict,
    sarif: sarif.runs[0]!.properties.verdict,
    markdown: /aiprov: (PASS|FAIL)/.exec(read("r.md"))?.[1]!.toLowerCase() ?? "none",
    htmlHeader: /id="verdict">(PASS|FAIL)</.exec(html)?.[1]!.toLowerCase() ?? "none",
    htmlPacks:
      packCells.length > 0 && packCells.every((v) => v === packCells[0])
        ? packCells[0]!
        : `mixed ${packCells.join(",")}`,
    cyclonedx: cdx.metadata.properties.find((p) => p.name.endsWith("verdict"))?.value ?? "none",
    spdx: /verdict (pass|fail)/.exec(spdx)?.[1] ?? "none",
    junit: /<testsuites [^>]*failures="(\d+)"/.exec(junit)?.[1] === "0" ? "pass" : "fail",
  };
}

function scanAll(project: string, baseline: string, out: string): { code: number; stdout: string } {
  mkdirSync(out, { recursive: true });
  const flags = FORMATS.flatMap((f) => [
    `--${f}-output`,
    join(
      out,
      `r.${f === "cyclonedx" ? "cdx.json" : f === "spdx" ? "spdx.json" : f === "junit" ? "junit.xml" : f === "markdown" ? "md" : f}`,
    ),
  ]);
  const r = aiprov([
    "scan",
    project,
    "--policy",
    "kr-sovereign-from-scratch",
    "--policy",
    "us-covered-adversary",
    "--baseline",
    baseline,
    "--json-output",
    join(out, "r.json"),
    ...flags,
  ]);
  return { code: r.code, stdout: r.stdout };
}

describe("every report format states the same verdict under --baseline", () => {
  const project = join(tmp, "omni");
  cpSync(join(REPO_ROOT, "examples", "omni-submission"), project, { recursive: true });
  const base = join(tmp, "baseline.json");

  it("all PASS, exit 0, when every finding is in the baseline", () => {
    expect(
      aiprov([
        "scan",
        project,
        "--policy",
        "kr-sovereign-from-scratch",
        "--policy",
        "us-covered-adversary",
        "--format",
        "json",
        "--output",
        base,
      ]).code,
    ).toBe(1);
    const r = scanAll(project, base, join(tmp, "pass"));
    expect(r.code).toBe(0);
    const v = verdicts(join(tmp, "pass"), r.stdout);
    expect(v).toEqual(Object.fromEntries(Object.keys(v).map((k) => [k, "pass"])));
  });

  it("all FAIL, exit 1, when one finding is new", () => {
    mkdirSync(join(project, "extra"), { recursive: true });
    writeFileSync(
      join(project, "extra", "config.json"),
      JSON.stringify(
        {
          _name_or_path: "deepseek-ai/DeepSeek-V3",
          model_type: "deepseek_v3",
          architectures: ["DeepseekV3ForCausalLM"],
        },
        null,
        2,
      ),
    );
    const r = scanAll(project, base, join(tmp, "fail"));
    expect(r.code).toBe(1);
    const v = verdicts(join(tmp, "fail"), r.stdout);
    expect(v).toEqual(Object.fromEntries(Object.keys(v).map((k) => [k, "fail"])));
  });
});
