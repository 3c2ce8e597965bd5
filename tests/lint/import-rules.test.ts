/**
 * The import rule (`.dependency-cruiser.cjs`, run by `npm test` as `npm run lint:imports`) is a real guard: on a
 * small tree laid out like src/, it passes the allowed directions and fails a back-edge between stages, a cycle, a
 * shared library importing a stage and src/ importing tests/. dependency-cruiser runs on the fixture exactly as on
 * the project (same config file, same command).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-imports-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a tree of `path -> imported paths` and runs the project's import rule on it; returns the rule names broken. */
function cruise(name: string, files: Record<string, string[]>): string[] {
  const root = join(tmp, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
  );
  for (const [file, imports] of Object.entries(files)) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    const rel = (to: string): string => {
      const from = dirname(file).split("/");
      const target = to.split("/");
      let i = 0;
      while (i < from.length && from[i] === target[i]) i++;
      const up = from.slice(i).map(() => "..");
      return `${up.length ? up.join("/") : "."}/${target.slice(i).join("/").replace(/\.ts$/, ".js")}`;
    };
    writeFileSync(
      join(root, file),
      `${imports.map((t, n) => `import { x as x${n} } from "${rel(t)}";\nvoid x${n};`).join("\n")}\nexport const x = 1;\n`,
    );
  }
  const r = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs"),
      ...["src", "tests"].filter((d) => existsSync(join(root, d))),
      "--config",
      join(REPO_ROOT, ".dependency-cruiser.cjs"),
      "--output-type",
      "json",
    ],
    { cwd: root, encoding: "utf8" },
  );
  if (r.status !== 0 && !r.stdout.trim()) throw new Error(`dependency-cruiser failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return [...new Set(out.summary.violations.map((v) => v.rule.name))].sort();
}

describe("the import rule", () => {
  it("allows a stage to import earlier stages and the shared libraries, and cli to import anything", () => {
    expect(
      cruise("ok", {
        "src/report/a.ts": ["src/policy/b.ts", "src/model/m.ts"],
        "src/policy/b.ts": ["src/lineage/c.ts"],
        "src/lineage/c.ts": ["src/resolve/d.ts"],
        "src/resolve/d.ts": ["src/util/u.ts"],
        "src/cli/main.ts": ["src/scan/scan.ts", "src/report/a.ts"],
        "src/scan/scan.ts": ["src/extract/e.ts"],
        "src/extract/e.ts": ["src/discover/w.ts"],
        "src/discover/w.ts": [],
        "src/model/m.ts": [],
        "src/util/u.ts": [],
      }),
    ).toEqual([]);
  });

  it("fails a back-edge between stages (fingerprint importing lineage, resolve importing fingerprint)", () => {
    expect(
      cruise("back-edge", { "src/fingerprint/scan-match.ts": ["src/lineage/build.ts"], "src/lineage/build.ts": [] }),
    ).toEqual(["stage-order-fingerprint"]);
    expect(
      cruise("back-edge-2", { "src/resolve/kb.ts": ["src/fingerprint/entry.ts"], "src/fingerprint/entry.ts": [] }),
    ).toEqual(["stage-order-resolve"]);
  });

  it("fails a cycle, even inside one stage", () => {
    expect(
      cruise("cycle", {
        "src/cli/main.ts": ["src/cli/scan-command.ts"],
        "src/cli/scan-command.ts": ["src/cli/main.ts"],
      }),
    ).toEqual(["no-cycle"]);
  });

  it("fails a shared library importing a stage, and src/ importing tests/", () => {
    expect(cruise("library", { "src/util/u.ts": ["src/extract/e.ts"], "src/extract/e.ts": [] })).toEqual([
      "libraries-import-no-stage",
    ]);
    expect(
      cruise("helpers", { "src/extract/e.test.ts": ["tests/helpers/cli.ts"], "tests/helpers/cli.ts": [] }),
    ).toEqual(["no-test-helpers-in-src"]);
  });
});
