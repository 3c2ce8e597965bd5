/**
 * Conformance of the extractor registry (as Renovate's `lib/modules/manager/metadata.spec.ts`): every registered
 * extractor has its own folder with `index.ts`, a README, a test file beside it that uses fixtures, and a
 * `fixtures/` folder whose origin is noted in `fixtures/SOURCES.md`. The list is sorted and ids are unique.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXTRACTORS } from "./registry.js";

const DIR = join(import.meta.dirname, "extractors");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)).map((f) => `${n}/${f}`) : [n]));
}

describe("extractor registry", () => {
  it("is sorted by id, with unique kebab-case ids", () => {
    const ids = EXTRACTORS.map((x) => x.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it("registers every extractor folder (no folder left out of the list)", () => {
    const folders = readdirSync(DIR).filter((n) => statSync(join(DIR, n)).isDirectory()).sort();
    expect(folders).toEqual(EXTRACTORS.map((x) => x.id));
  });

  describe.each(EXTRACTORS.map((x) => [x.id, x] as const))("%s", (id, extractor) => {
    const folder = join(DIR, id);

    it("has a description and a path-only matches()", () => {
      expect(extractor.description.length).toBeGreaterThan(10);
      for (const p of ["README.md", "a/b/config.json", "x.gguf", "", "deep/.env"]) expect(typeof extractor.matches(p, p.split("/").pop()!)).toBe("boolean");
    });

    it("has index.ts and a README.md that says what it reads and yields", () => {
      expect(existsSync(join(folder, "index.ts"))).toBe(true);
      const readme = join(folder, "README.md");
      expect(existsSync(readme), `${id}/README.md is missing`).toBe(true);
      const text = readFileSync(readme, "utf8");
      expect(text.length).toBeGreaterThan(200);
      expect(text).toMatch(/## (?:Reads|Files)/);
      expect(text).toMatch(/## Yields/);
    });

    it("has a test file beside it that reads its fixtures", () => {
      const tests = readdirSync(folder).filter((n) => n.endsWith(".test.ts"));
      expect(tests.length, `${id} has no *.test.ts`).toBeGreaterThan(0);
      expect(tests.some((t) => readFileSync(join(folder, t), "utf8").includes("fixtures"))).toBe(true);
    });

    it("has fixtures with their origin noted in fixtures/SOURCES.md", () => {
      const fixtures = join(folder, "fixtures");
      expect(existsSync(fixtures), `${id}/fixtures is missing`).toBe(true);
      const files = filesUnder(fixtures).filter((f) => f !== "SOURCES.md");
      expect(files.length).toBeGreaterThan(0);
      const sources = join(fixtures, "SOURCES.md");
      expect(existsSync(sources), `${id}/fixtures/SOURCES.md is missing`).toBe(true);
      const text = readFileSync(sources, "utf8");
      // Every fixture's folder (or file) is named in SOURCES.md.
      for (const f of files) expect(text.includes(f.split("/")[0]!), `${id}/fixtures/SOURCES.md does not mention ${f}`).toBe(true);
    });
  });
});
