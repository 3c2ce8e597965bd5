/**
 * Hostile-input suite, the project's config files (issue 11). The project config is found in the current folder,
 * which in CI is the checked-out repository under audit, so each of these is written by the party being audited:
 * - a `.config/config.js` (a configuration loader's own meta-config place) is never executed, with or without
 *   `--no-project-config`;
 * - a project config that is a symbolic link out of the folder is refused: a diagnostic names it, the run goes on
 *   with no project config (its `failOn: never` does not apply) and none of its values reach the report;
 * - a truncated `package.json` is a diagnostic naming it (an npm manifest first), never an internal error, and the
 *   models beside it are still audited;
 * - every project-config key that changes what is reported (`policy`, `organization`, `format`, `failOn`, ...) is
 *   listed among the weakenings in the text, JSON and SARIF reports.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiprov, aiprovInProcess } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

let base: string;

/** A project folder holding a Qwen fine-tune's config (fails us-covered-adversary), plus `files`. */
function project(name: string, files: Record<string, string> = {}): string {
  const dir = join(base, name);
  mkdirSync(join(dir, "model"), { recursive: true });
  writeFileSync(
    join(dir, "model", "config.json"),
    JSON.stringify({ _name_or_path: "Qwen/Qwen2.5-7B-Instruct", architectures: ["Qwen2ForCausalLM"] }),
  );
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const scanArgs = ["scan", ".", "--offline", "--policy", "us-covered-adversary", "--jobs", "1"];

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "aiprov-config-files-"));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("configuration files written by the audited project", () => {
  it("never executes .config/config.js in the current folder, with or without --no-project-config", () => {
    const marker = join(base, "executed");
    const dir = project("meta-config", {
      ".config/config.js": `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran"); module.exports = {};\n`,
    });
    for (const extra of [[], ["--no-project-config"]]) {
      const r = aiprov([...scanArgs, ...extra, "--format", "json"], { cwd: dir });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      expect(existsSync(marker), `executed with ${extra.join(" ") || "no flag"}`).toBe(false);
    }
  });

  it("refuses a project config that links out of the folder: diagnostic, no project config, nothing echoed", async () => {
    mkdirSync(join(base, "elsewhere"), { recursive: true });
    writeFileSync(
      join(base, "elsewhere", "settings.yaml"),
      "failOn: never\norganization: [EchoedOrgFromOutside]\nexclude: ['**']\n",
    );
    const dir = project("linked-config");
    symlinkSync(join(base, "elsewhere", "settings.yaml"), join(dir, ".aiprovrc.yaml"));
    const r = await aiprovInProcess([...scanArgs, "--format", "json"], { cwd: dir });
    expect(r.stderr).toBe("");
    // The linked file's failOn: never and exclude ** do not apply: the Qwen fine-tune fails the run.
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.settings.config).toBeUndefined();
    expect(result.settings.weakenings ?? []).toEqual([]);
    expect(r.stdout).not.toContain("EchoedOrgFromOutside");
    const d = result.diagnostics.find((x) => x.code === "project-config-ignored");
    expect(d?.location?.file).toBe(".aiprovrc.yaml");
    expect(d?.message).toMatch(/symbolic link to a file outside the project folder.*no project configuration/);
    // A link to a file inside the folder is the project's config as usual.
    const inside = project("linked-inside", { "conf/settings.yaml": "organization: [acme]\n" });
    symlinkSync("conf/settings.yaml", join(inside, ".aiprovrc.yaml"));
    const ok = JSON.parse(
      (await aiprovInProcess([...scanArgs, "--format", "json"], { cwd: inside })).stdout,
    ) as AuditResult;
    expect(ok.settings.organization).toEqual(["acme"]);
  });

  it("refuses a knowledge folder inside the tree whose files link out of it, naming them (break-11 B8)", async () => {
    mkdirSync(join(base, "outside-kb"), { recursive: true });
    writeFileSync(
      join(base, "outside-kb", "publishers.yaml"),
      [
        "publishers:",
        "  - id: alibaba-qwen",
        "    entity: OUTSIDE-FILE-CONTENT",
        "    country: US",
        "    orgs: [Qwen]",
        "    aliases: [Qwen]",
        '    source: { title: "x", url: "https://example.com" }',
        "",
      ].join("\n"),
    );
    const dir = project("kb-links-out", { ".aiprovrc.yaml": "knowledge: [kb]\n" });
    mkdirSync(join(dir, "kb"), { recursive: true });
    symlinkSync(join(base, "outside-kb", "publishers.yaml"), join(dir, "kb", "publishers.yaml"));
    const r = await aiprovInProcess([...scanArgs, "--format", "json"], { cwd: dir });
    expect(r.stderr).toBe("");
    // The outside file does not relabel Qwen as a US publisher: the fine-tune still fails the strict pack.
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("OUTSIDE-FILE-CONTENT");
    const result = JSON.parse(r.stdout) as AuditResult;
    const d = result.diagnostics.find((x) => x.code === "project-config-ignored");
    expect(d?.location).toEqual({ file: ".aiprovrc.yaml", pointer: "/knowledge/0" });
    expect(d?.message).toContain("kb/publishers.yaml");
  });

  it("never reads a pack file a project config names outside its folder", async () => {
    mkdirSync(join(base, "outside-pack"), { recursive: true });
    writeFileSync(join(base, "outside-pack", "secret.yaml"), "secret-line-1: TOPSECRET\n");
    const dir = project("outside-policy", {
      ".aiprovrc.yaml": `policy: [../outside-pack/secret.yaml, /etc/passwd, us-covered-adversary]\n`,
    });
    const r = await aiprovInProcess(["scan", ".", "--offline", "--format", "json", "--jobs", "1"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("TOPSECRET");
    expect(r.stdout).not.toContain("secret-line-1");
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.settings.policies).toEqual(["us-covered-adversary"]);
    const ignored = result.diagnostics.filter((d) => d.code === "project-config-ignored").map((d) => d.location);
    expect(ignored).toEqual([
      { file: ".aiprovrc.yaml", pointer: "/policy/0" },
      { file: ".aiprovrc.yaml", pointer: "/policy/1" },
    ]);
  });

  it("a truncated package.json is a diagnostic naming it, and the models beside it are still audited", async () => {
    const dir = project("truncated-package", { "package.json": '{"name": "app", "aiprov": {"failOn": "ne' });
    const r = await aiprovInProcess([...scanArgs, "--format", "json"], { cwd: dir });
    expect(r.stderr).not.toContain("internal error");
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    const d = result.diagnostics.find((x) => x.location?.file === "package.json");
    expect(d).toMatchObject({ code: "project-config-ignored", severity: "warning" });
    expect(d!.message).toMatch(/not valid JSON \(.+\)/);
    expect(result.findings.some((f) => f.rule === "covered-component")).toBe(true);
  });

  it("lists every project-config key that changes what is reported, in text, JSON and SARIF", async () => {
    const dir = project("output-keys", {
      ".aiprovrc.yaml":
        "policy: [us-covered-adversary, licence-duties]\norganization: [acme]\nformat: html\nfailOn: warning\ntimeout: 2\nnoIgnore: true\n",
    });
    const expected = [
      'policy: ["us-covered-adversary","licence-duties"]',
      'organization: ["acme"]',
      "format: html",
      "failOn: warning",
      "noIgnore: true",
      "timeout: 2",
    ];
    const args = ["scan", ".", "--offline", "--jobs", "1"];
    const json = JSON.parse((await aiprovInProcess([...args, "--format", "json"], { cwd: dir })).stdout) as AuditResult;
    const settings = (json.settings.weakenings ?? []).filter((w) => w.kind === "project-setting");
    // format is overridden by --format here, so it is not in effect and not listed.
    expect(settings.map((w) => w.setting).sort()).toEqual(expected.filter((e) => !e.startsWith("format")).sort());
    expect(settings.every((w) => w.origin === "project" && w.source.endsWith(".aiprovrc.yaml"))).toBe(true);
    const html = await aiprovInProcess([...args, "--output", join(base, "report.html")], { cwd: dir });
    expect(html.stderr).toBe("");
    const text = await aiprovInProcess([...args, "--format", "text"], { cwd: dir });
    for (const e of expected.filter((x) => !x.startsWith("format")))
      expect(text.stdout).toContain(`setting chosen by the project's config: ${e}`);
    const sarif = JSON.parse((await aiprovInProcess([...args, "--format", "sarif"], { cwd: dir })).stdout) as {
      runs: { invocations: { toolConfigurationNotifications?: { message: { text: string } }[] }[] }[];
    };
    const notes = sarif.runs[0]!.invocations[0]!.toolConfigurationNotifications?.map((n) => n.message.text) ?? [];
    for (const e of expected.filter((x) => !x.startsWith("format")))
      expect(notes.some((n) => n.includes(e))).toBe(true);
    // Without a --format flag the config's format applies, and the report says the project chose it.
    const chosen = await aiprovInProcess(args, { cwd: dir });
    expect(chosen.stdout).toContain("<!DOCTYPE html>");
    expect(chosen.stdout).toContain("setting chosen by the project&#39;s config: format: html");
  });
});
