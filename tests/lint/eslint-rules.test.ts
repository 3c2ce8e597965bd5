/**
 * The guard rails in eslint.config.js (issues 11 and 18) do what they say. `npm run lint` (part of `npm test`) runs
 * them over src/ and tests/; this test proves each one fails the code it exists to stop, on source written here and
 * linted as if it were a file in src/, and that the "remaining monoliths" exemption list holds only files that still
 * need it.
 * - regexp/no-super-linear-*: a scanned file is untrusted input, and one super-linear expression on a long line
 *   stalls the whole scan.
 * - max-lines-per-function (120, blank lines and comments not counted) and complexity (40).
 * - typescript-eslint recommended.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint, type Linter } from "eslint";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });
// eslint.config.js is plain JS (ESLint loads it untranspiled); its two named exports are read through a typed import.
const configUrl = new URL("../../eslint.config.js", import.meta.url).href;
const { REMAINING_MONOLITHS, SIZE_CEILINGS } = (await import(configUrl)) as {
  REMAINING_MONOLITHS: string[];
  SIZE_CEILINGS: Linter.RulesRecord;
};

async function rulesFired(code: string, path = "src/extract/lint-probe.ts"): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  return result!.messages.map((m) => m.ruleId ?? `parse: ${m.message}`);
}

/** A function of `lines` statements; `branches` of them are `if`s. */
function functionOf(lines: number, branches = 0): string {
  const body = Array.from({ length: lines }, (_, i) =>
    i < branches ? `  if (x === ${i}) y += ${i};` : `  y += ${i};`,
  );
  return `export function probe(x: number): number {\n  let y = 0;\n${body.join("\n")}\n  return y + x;\n}\n`;
}

describe("eslint.config.js", () => {
  it("rejects a super-linear regular expression in src/ and accepts its linear rewrite", async () => {
    expect(await rulesFired("export const R = /^(a+)+$/;\n")).toContain("regexp/no-super-linear-backtracking");
    expect(await rulesFired("export const R = /\\s*,\\s*$/;\n")).toContain("regexp/no-super-linear-move");
    expect(await rulesFired("export const R = /^a+$/;\n")).toEqual([]);
  });

  it("rejects a src/ function over 120 lines, not counting blank lines and comments", async () => {
    expect(await rulesFired(functionOf(116))).toEqual([]);
    expect(await rulesFired(functionOf(125))).toContain("max-lines-per-function");
    const padded = functionOf(116).replace(/y \+= 3;/, "y += 3;\n\n  // why\n\n  // why again\n");
    expect(await rulesFired(padded)).toEqual([]);
  });

  it("rejects a src/ function over complexity 40", async () => {
    expect(await rulesFired(functionOf(45, 39))).toEqual([]);
    expect(await rulesFired(functionOf(45, 41))).toContain("complexity");
  });

  it("keeps tests free of the size ceilings but not of the recommended set", async () => {
    expect(await rulesFired(functionOf(130, 60), "tests/e2e/lint-probe.test.ts")).toEqual([]);
    expect(await rulesFired("const unused = 1;\n", "tests/e2e/lint-probe.test.ts")).toContain(
      "@typescript-eslint/no-unused-vars",
    );
  });

  it("runs typescript-eslint's recommended set over src/", async () => {
    expect(await rulesFired("export function f(x: any) { return x; }\n")).toContain(
      "@typescript-eslint/no-explicit-any",
    );
    expect(await rulesFired("import { readFileSync } from 'node:fs';\nexport const a = 1;\n")).toContain(
      "@typescript-eslint/no-unused-vars",
    );
    // omitting a field by rest destructuring is the one unused binding allowed
    expect(
      await rulesFired("export function f(o: { a: 1; b: 2 }) { const { a: _a, ...rest } = o; return rest; }\n"),
    ).toEqual([]);
  });

  it("exempts only files that still hold a function over the ceilings (remaining monoliths, issue 18)", async () => {
    for (const file of REMAINING_MONOLITHS) expect(existsSync(join(repoRoot, file)), file).toBe(true);
    const strict = new ESLint({ cwd: repoRoot, overrideConfig: [{ files: ["src/**/*.ts"], rules: SIZE_CEILINGS }] });
    const results = REMAINING_MONOLITHS.length > 0 ? await strict.lintFiles(REMAINING_MONOLITHS) : [];
    const stale = results
      .filter((r) => !r.messages.some((m) => m.ruleId === "max-lines-per-function" || m.ruleId === "complexity"))
      .map((r) => r.filePath.slice(repoRoot.length));
    expect(stale, "split: remove these from REMAINING_MONOLITHS in eslint.config.js").toEqual([]);
  }, 120_000);
});
