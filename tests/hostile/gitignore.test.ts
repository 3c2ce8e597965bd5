/**
 * Hostile-input suite, a tree's own `.gitignore` outside a git checkout (issue 11, break-11 B4). In a release tarball,
 * `git archive` output or a Docker build context nothing is tracked, so a `.gitignore` that hides every model is the
 * scanned tree choosing what is not audited: the scan still honours it (as osv-scanner and ripgrep-based tools do, and
 * `--no-ignore` turns it off) but lists it among the settings that weaken the audit, in every report format.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aiprovInProcess } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

const base = mkdtempSync(join(tmpdir(), "aiprov-hostile-gitignore-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A tree (not a git checkout) holding a Qwen config and `.gitignore` text. */
function tree(name: string, gitignore: string): string {
  const dir = join(base, name);
  mkdirSync(join(dir, "models", "enc"), { recursive: true });
  writeFileSync(join(dir, "models", "enc", "config.json"), '{"_name_or_path":"Qwen/Qwen2.5-7B","model_type":"qwen2"}');
  writeFileSync(join(dir, ".gitignore"), gitignore);
  return dir;
}

const args = ["scan", ".", "--offline", "--jobs", "1", "--policy", "us-covered-adversary"];

describe("a .gitignore that hides models outside a git checkout", () => {
  it("is listed as a weakening naming the hidden files, in JSON and text", async () => {
    const dir = tree("hide-all", "*\n!.gitignore\n");
    const json = JSON.parse((await aiprovInProcess([...args, "--format", "json"], { cwd: dir })).stdout) as AuditResult;
    const w = json.settings.weakenings ?? [];
    expect(w.map((x) => [x.kind, x.source, x.origin])).toEqual([["exclude", ".gitignore", "project"]]);
    expect(w[0]!.setting).toContain("models/enc/config.json");
    const text = (await aiprovInProcess([...args, "--format", "text"], { cwd: dir })).stdout;
    expect(text).toContain("models/enc/config.json");
    expect(text).toMatch(/weaken/i);
  });

  it("is not a weakening when it hides no model-looking file, nor with --no-ignore", async () => {
    const quiet = tree("hide-logs", "*.log\n");
    const a = JSON.parse((await aiprovInProcess([...args, "--format", "json"], { cwd: quiet })).stdout) as AuditResult;
    expect(a.settings.weakenings ?? []).toEqual([]);
    const all = tree("hide-all-no-ignore", "*\n!.gitignore\n");
    const b = JSON.parse(
      (await aiprovInProcess([...args, "--format", "json", "--no-ignore"], { cwd: all })).stdout,
    ) as AuditResult;
    expect(b.settings.weakenings ?? []).toEqual([]);
  });
});
