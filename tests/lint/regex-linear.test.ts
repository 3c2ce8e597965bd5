/**
 * Every regular expression in src/ runs in linear time: a scanned file is untrusted input, and one super-linear
 * expression on a long line stalls the whole scan (issue 11). eslint-plugin-regexp's no-super-linear-backtracking and
 * no-super-linear-move rules, configured in eslint.config.js, are the checker; this test runs ESLint over src/.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

describe("regular expressions in src/", () => {
  it("has no super-linear expression (eslint.config.js rules, all of src/)", async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const results = await eslint.lintFiles(["src/**/*.ts"]);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(repoRoot.length)}:${m.line}:${m.column} ${m.ruleId ?? "parse"}: ${m.message}`));
    expect(results.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  }, 120_000);
});
