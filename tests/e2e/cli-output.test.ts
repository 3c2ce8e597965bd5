/**
 * What the CLI prints where: usage on stdout (asked for, or no arguments as git does), `--quiet` printing only the
 * verdict line, `--verbose` stage lines on stderr, `FORCE_COLOR` colouring output that is not a terminal.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";

describe("CLI output streams", () => {
  it("prints usage on stdout for --help and for no arguments (exit 0 and 2), nothing on stderr", () => {
    const help = aiprov(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: aiprov /);
    expect(help.stderr).toBe("");
    const none = aiprov([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/^Usage: aiprov /);
    expect(none.stderr).toBe("");
  });

  it("prints a command group's usage on stdout and exits 2 when its subcommand is missing (break-14 B12)", () => {
    for (const group of ["rules", "cache"]) {
      const r = aiprov([group]);
      expect(r.code, group).toBe(2);
      expect(r.stdout, group).toMatch(new RegExp(`^Usage: aiprov ${group} `));
      expect(r.stderr, group).toBe("");
    }
    expect(aiprov(["rules", "--help"]).code).toBe(0);
  });

  it("the README's scan synopsis lists every option of scan --help (break-14 B20)", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const synopsis = readme.slice(readme.indexOf("aiprov scan [path]"), readme.indexOf("aiprov report --from"));
    const options = [...aiprov(["scan", "--help"]).stdout.matchAll(/^ +(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!);
    expect(options).toContain("--sarif-category");
    expect(options.filter((o) => o !== "--help" && !synopsis.includes(o))).toEqual([]);
  });

  it("--quiet prints only the verdict line and still writes the reports asked for", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-quiet-"));
    const r = aiprov([
      "scan",
      "examples/omni-submission",
      "--policy",
      "kr-sovereign-from-scratch",
      "--quiet",
      "--json-output",
      join(dir, "r.json"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Verdict: FAIL (findings at or above --fail-on error)\n");
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).summary.verdict).toBe("fail");
    expect(aiprov(["scan", "examples/clean-submission", "-q"]).stdout.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("--verbose prints each stage on stderr; --quiet with --verbose is a usage error", () => {
    const r = aiprov(["scan", "examples/clean-submission", "--verbose"]);
    expect(r.stderr).toMatch(/^aiprov: walk done in \d+ ms\n/);
    expect(r.stderr).toContain("aiprov: policy done in");
    expect(aiprov(["scan", "examples/clean-submission", "-q", "-v"]).code).toBe(2);
  });

  it("FORCE_COLOR colours the text report on a pipe; NO_COLOR alone leaves it plain", () => {
    const forced = aiprov(["scan", "examples/omni-submission", "--policy", "kr-sovereign-from-scratch"], {
      env: { FORCE_COLOR: "1" },
    });
    expect(forced.stdout).toContain("\x1b[");
    expect(aiprov(["scan", "examples/omni-submission", "--policy", "kr-sovereign-from-scratch"]).stdout).not.toContain(
      "\x1b[",
    );
    expect(
      aiprov(["scan", "examples/omni-submission", "--policy", "kr-sovereign-from-scratch"], {
        env: { FORCE_COLOR: "0" },
      }).stdout,
    ).not.toContain("\x1b[");
  });
});
