/**
 * Golden-file comparison. A golden changes only on purpose: run the tests with `AIPROV_UPDATE_GOLDEN=1` to rewrite
 * the files, then review the diff. Without it a missing golden fails (it is never created silently).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./cli.js";

/** Folder of the golden files. */
export const GOLDEN_DIR = join(REPO_ROOT, "tests", "golden");

/** Asserts `actual` equals `tests/golden/<name>` (or rewrites it when `AIPROV_UPDATE_GOLDEN=1`). */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.AIPROV_UPDATE_GOLDEN === "1") {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    throw new Error(
      `golden file tests/golden/${name} is missing: run AIPROV_UPDATE_GOLDEN=1 npx vitest run tests/golden and review the new file`,
    );
  expect(
    actual,
    `output differs from tests/golden/${name} (if the change is intended: AIPROV_UPDATE_GOLDEN=1 npx vitest run tests/golden, then review the diff)`,
  ).toBe(readFileSync(file, "utf8"));
}
