/**
 * The integrations as their hosts use them: the pre-commit hook's file filter (pre-commit applies it with Python's
 * re.search) against every file aiprov's extractors read; `aiprov init` writing a config that names no place of this
 * machine; the SARIF category (runAutomationDetails.id) staying the Action's `category` whatever packs run; the GitLab
 * snippet installing aiprov from the repository it documents.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extract/registry.js";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";

const EXTRACTORS = await loadExtractors();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe("pre-commit hook", () => {
  const hook = (parse(readFileSync(join(REPO_ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Record<string, any>[])[0]!;
  // Python's leading (?i) is JavaScript's "i" flag; the rest of the pattern is the same in both.
  const filter = new RegExp((hook.files as string).replace(/^\(\?i\)/, ""), "i");

  it("runs for every file an extractor reads, across the examples and fixtures (and extra names of each kind)", () => {
    const paths = [
      ...files(join(REPO_ROOT, "examples")),
      ...files(join(REPO_ROOT, "tests", "fixtures")),
      ...files(join(REPO_ROOT, "tests", "code-references")),
    ].map((p) => relative(REPO_ROOT, p).split("\\").join("/"));
    const extra = [
      "app/train.py",
      "web/src/model.ts",
      "nb/eval.ipynb",
      "Dockerfile",
      "deploy/Dockerfile.gpu",
      "ollama/Modelfile",
      "tok/tokenizer_config.json",
      "tok/tokenizer.json",
      "sd/model_index.json",
      "x/chat_template.jinja",
      "w/model.safetensors",
      "w/model.gguf",
      ".env.production",
      "scripts/download.sh",
      "LICENSE",
      "NOTICE",
      ".aiprovrc.yaml",
    ];
    const read = [...paths, ...extra].filter((p) => EXTRACTORS.some((e) => e.matches(p, p.split("/").pop()!)));
    expect(read.length).toBeGreaterThan(100);
    expect(read.filter((p) => !filter.test(p))).toEqual([]);
    expect(filter.test("src/styles.css")).toBe(false);
    expect(filter.test("img/logo.png")).toBe(false);
  });

  it("applies a policy by default and stays offline", () => {
    expect(hook.args).toContain("--offline");
    expect(hook.args[hook.args.indexOf("--policy") + 1]).toMatch(/^[a-z-]+$/);
    const r = aiprov(["scan", "examples/omni-submission", ...(hook.args as string[])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Verdict: FAIL/);
  });
});

describe("aiprov init", () => {
  it("writes pack paths relative to the config and no path of this machine; the config works from another folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-init-"));
    mkdirSync(join(dir, "project", "policy"), { recursive: true });
    copyFileSync(
      join(REPO_ROOT, "rules", "unknown-provenance.yaml"),
      join(dir, "project", "policy", "unknown-provenance.yaml"),
    );
    const r = aiprov(["init", "--policy", "policy/unknown-provenance.yaml", "--policy", "licence-duties"], {
      cwd: join(dir, "project"),
    });
    expect(r.stderr).toBe("");
    const text = readFileSync(join(dir, "project", ".aiprovrc.yaml"), "utf8");
    expect(text).toContain(`policy: ["./policy/unknown-provenance.yaml", "licence-duties"]`);
    expect(text).not.toContain(dir);
    expect(text).not.toContain(REPO_ROOT);
    const scan = aiprov(
      ["scan", join(REPO_ROOT, "examples", "omni-submission"), "--config", join(dir, "project", ".aiprovrc.yaml")],
      { cwd: dir },
    );
    expect(scan.stderr).toBe("");
    expect(scan.stdout).toMatch(/Policies: .*licence-duties/);
  });
});

describe("SARIF category", () => {
  it("is the --sarif-category (the Action's category input), 'aiprov' by default, whatever packs run", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-cat-"));
    const id = (args: string[]): string => {
      aiprov(["scan", "examples/omni-submission", ...args, "--sarif-output", join(dir, "o.sarif")]);
      return JSON.parse(readFileSync(join(dir, "o.sarif"), "utf8")).runs[0].automationDetails.id as string;
    };
    expect(id(["--policy", "kr-sovereign-from-scratch"])).toBe("aiprov/");
    expect(id(["--policy", "licence-duties"])).toBe("aiprov/");
    expect(id(["--policy", "licence-duties", "--sarif-category", "aiprov-licences"])).toBe("aiprov-licences/");
    const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as Record<string, any>;
    expect(action.inputs.category.default).toBe("aiprov");
    const steps = action.runs.steps as Record<string, any>[];
    expect(steps.find((s) => s.id === "scan")!.run).toContain(`--sarif-category "$AIPROV_CATEGORY"`);
    expect(steps.find((s) => String(s.uses).startsWith("github/codeql-action/upload-sarif"))!.with.category).toBe(
      "${{ inputs.category }}",
    );
  });
});

describe("GitLab CI snippet", () => {
  it("installs aiprov from this repository, never an npm name anyone could claim", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("### GitLab CI"),
      readme.indexOf("\n## ", readme.indexOf("### GitLab CI")),
    );
    expect(section).not.toMatch(/npx (--yes )?aiprov/);
    expect(section).toMatch(/git clone|npm install [^\n]*git\+https|npm ci/);
  });
});
