// The GitHub Action's scan step run as the runner runs it (bash, the step's env), on a checked-out pull request that
// planted its report path as a symbolic link (issue 11, found by a fresh-clone attack): the step must never publish
// the link's target in the job summary, and never write reports through a linked output folder.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

const SECRET = "AUTHORIZATION: basic c2VjcmV0LWNoZWNrb3V0LXRva2Vu";

/** Runs the Action's `scan` step script in `workspace` with the env the step declares; returns the files it wrote. */
function runScanStep(workspace: string, outputDir: string): { status: number | null; summary: string; output: string } {
  const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as {
    runs: { steps: { id?: string; run?: string }[] };
  };
  const script = action.runs.steps.find((s) => s.id === "scan")!.run!;
  const ghOut = join(workspace, "..", "gh_output");
  const summary = join(workspace, "..", "summary.md");
  writeFileSync(ghOut, "");
  writeFileSync(summary, "");
  const r = spawnSync("bash", ["-e", "-c", script], {
    cwd: workspace,
    encoding: "utf8",
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: join(workspace, "..", "home"),
      GITHUB_ACTION_PATH: REPO_ROOT,
      GITHUB_OUTPUT: ghOut,
      GITHUB_STEP_SUMMARY: summary,
      AIPROV_PATH: ".",
      AIPROV_POLICY: "us-covered-adversary",
      AIPROV_FAIL_ON: "error",
      AIPROV_ARGS: "--offline",
      AIPROV_OUT: outputDir,
      AIPROV_PROJECT_CONFIG: "false",
      AIPROV_CATEGORY: "aiprov",
    },
  });
  return { status: r.status, summary: readFileSync(summary, "utf8"), output: readFileSync(ghOut, "utf8") };
}

/** A checked-out pull request: a small app, and a `.git/config` holding what actions/checkout persists. */
function checkout(): { root: string; workspace: string } {
  const root = mkdtempSync(join(tmpdir(), "aiprov-action-"));
  const workspace = join(root, "repo");
  mkdirSync(join(workspace, ".git"), { recursive: true });
  writeFileSync(join(workspace, ".git", "config"), `[http "https://github.com/"]\n\textraheader = ${SECRET}\n`);
  writeFileSync(join(workspace, "app.py"), 'from transformers import AutoModel\nAutoModel.from_pretrained("gpt2")\n');
  return { root, workspace };
}

describe("the Action's scan step on a pull request that plants links", () => {
  it("never publishes the target of a report file planted as a link", () => {
    const { workspace } = checkout();
    mkdirSync(join(workspace, "aiprov-reports"));
    symlinkSync("../.git/config", join(workspace, "aiprov-reports", "aiprov.md"));
    const r = runScanStep(workspace, "aiprov-reports");
    expect(r.summary).not.toContain(SECRET);
    expect(r.output).toMatch(/exit-code=2/);
  });

  it("refuses an output folder planted as a link, writing nothing through it", () => {
    const { root, workspace } = checkout();
    const elsewhere = join(root, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(workspace, "aiprov-reports"));
    const r = runScanStep(workspace, "aiprov-reports");
    expect(r.status).toBe(2);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(r.output).toMatch(/exit-code=2/);
  });

  it("still writes the summary when nothing is planted", () => {
    const { workspace } = checkout();
    const r = runScanStep(workspace, "aiprov-reports");
    expect(r.output).toMatch(/exit-code=[01]/);
    expect(r.summary).toMatch(/aiprov/i);
    expect(r.summary).not.toContain(SECRET);
  });
});
