import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

const OMNI = join(REPO_ROOT, "examples", "omni-submission");
const CLEAN = join(REPO_ROOT, "examples", "clean-submission");

describe("examples", () => {
  it("the omni example fails kr-sovereign-from-scratch on both encoders (exit 1)", () => {
    const r = aiprov(["scan", OMNI, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout) as AuditResult;
    const byRule = (rule: string) => res.findings.filter((f) => f.rule === rule).map((f) => f.message.args.target);
    expect(byRule("third-party-weights")).toEqual(["Qwen2-Audio encoder", "Qwen2-Audio encoder"]);
    expect(byRule("checkpoint-signature-match")).toEqual(["Qwen2.5-VL ViT", "Qwen2.5-VL ViT"]);
  });

  it("the clean example passes (exit 0) and says what was checked for each component", () => {
    const r = aiprov(["scan", CLEAN, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as AuditResult;
    expect(res.findings).toEqual([]);
    expect(res.summary.verdict).toBe("pass");
    const locals = res.lineage.nodes.filter((n) => n.kind === "local");
    expect(locals.map((n) => n.role).sort()).toEqual(["audio-encoder", "backbone", "model", "model", "vision-encoder"]);
    for (const n of locals) {
      expect(n.status).toBe("no-third-party-lineage");
      expect(n.checked?.length).toBeGreaterThan(0);
    }
  });

  it("--fail-on never exits 0 even with findings; --output writes the report to a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiprov-out-"));
    const r = aiprov([
      "scan",
      OMNI,
      "--policy",
      "kr-sovereign-from-scratch",
      "--fail-on",
      "never",
      "--format",
      "json",
      "--output",
      join(dir, "r.json"),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    await rm(dir, { recursive: true, force: true });
  });
});

describe("configuration file", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), "aiprov-cfg-"));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it("a YAML .aiprovrc.yaml in the current folder sets the policy and organization", async () => {
    const d = join(cwd, "yaml");
    await mkdir(d);
    await writeFile(
      join(d, ".aiprovrc.yaml"),
      "policy: [kr-sovereign-from-scratch]\norganization: [Qwen]\nformat: json\n",
    );
    const r = aiprov(["scan", OMNI], { cwd: d });
    const res = JSON.parse(r.stdout) as AuditResult;
    expect(res.settings.policies).toEqual(["kr-sovereign-from-scratch"]);
    expect(res.settings.organization).toEqual(["Qwen"]);
    // With Qwen as the applicant's own organization, the Qwen encoders are no longer third-party.
    expect(res.findings.filter((f) => f.message.args.target === "Qwen2-Audio encoder")).toEqual([]);
  });

  it("a JSON config named with --config works; an invalid one exits 2 listing every problem", async () => {
    await writeFile(join(cwd, "ok.json"), JSON.stringify({ policy: "kr-sovereign-from-scratch", failOn: "never" }));
    expect(aiprov(["scan", OMNI, "--config", join(cwd, "ok.json")]).code).toBe(0);
    await writeFile(join(cwd, "bad.json"), JSON.stringify({ polcy: "x", failOn: "sometimes" }));
    const r = aiprov(["scan", OMNI, "--config", join(cwd, "bad.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown property 'polcy'");
    expect(r.stderr).toContain("/failOn");
  });

  it("refuses JavaScript configuration, never executing it", async () => {
    const marker = join(cwd, "executed");
    await writeFile(
      join(cwd, "aiprov.config.js"),
      `require("fs").writeFileSync(${JSON.stringify(marker)}, "x"); module.exports = {};`,
    );
    const r = aiprov(["scan", OMNI, "--config", join(cwd, "aiprov.config.js")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/JavaScript configuration is not supported/);
    const { existsSync } = await import("node:fs");
    expect(existsSync(marker)).toBe(false);
  });

  it("exits 2 for a path that does not exist, and --help lists examples and exit codes", () => {
    const r = aiprov(["scan", join(cwd, "nope")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file or directory/);
    const h = aiprov(["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Exit codes:/);
    expect(aiprov(["scan", "--help"]).stdout).toMatch(/Examples:/);
  });
});
