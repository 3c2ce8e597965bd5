/**
 * Conformance of the extractor registry (as Renovate's `lib/modules/manager/metadata.spec.ts`): every registered
 * extractor has its own folder with `index.ts`, a README, a test file beside it that uses fixtures, and a
 * `fixtures/` folder whose origin is noted in `fixtures/SOURCES.md`. The list is sorted and ids are unique, and each
 * row's path claims cover every path its extractor's `matches()` accepts (the scan asks only the claimants).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { posix } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimantsOf, loadExtractors, REGISTRY } from "./registry.js";

const EXTRACTORS = await loadExtractors();

const DIR = join(import.meta.dirname, "extractors");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)).map((f) => `${n}/${f}`) : [n],
  );
}

describe("extractor registry", () => {
  it("is sorted by id, with unique kebab-case ids", () => {
    const ids = EXTRACTORS.map((x) => x.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it("loads each row's extractor under the row's id", () => {
    expect(EXTRACTORS.map((x) => x.id)).toEqual(REGISTRY.map((r) => r.id));
  });

  it("claims every path an extractor wants: the real fixture, test and example paths of the repository", () => {
    const repo = join(import.meta.dirname, "..", "..");
    const paths = ["src", "tests", "examples"].flatMap((d) => filesUnder(join(repo, d)).map((f) => `${d}/${f}`));
    expect(paths.length).toBeGreaterThan(500);
    let wanted = 0;
    for (const p of paths) {
      const base = posix.basename(p);
      const claimed = new Set(claimantsOf(base));
      EXTRACTORS.forEach((x, i) => {
        if (!x.matches(p, base)) return;
        wanted++;
        expect(claimed.has(i), `${x.id} wants ${p} but its registry row does not claim '${base}'`).toBe(true);
      });
    }
    expect(wanted).toBeGreaterThan(300);
  });

  it("claims every path an extractor wants: generated names from the formats' own name pieces, in any case", () => {
    const pieces = [
      "",
      ".",
      "-",
      "_",
      "config",
      "Config",
      "README",
      "readme",
      "model_card",
      "MODELCARD",
      "LICENSE",
      "licence",
      "NOTICE",
      "COPYING",
      "USE_POLICY",
      "Dockerfile",
      "containerfile",
      "compose",
      "docker-compose",
      "Modelfile",
      ".env",
      "env",
      "merge",
      "mergekit",
      "train",
      "sft",
      "lora",
      "axolotl",
      "tokenizer",
      "tokenizer_config",
      "special_tokens_map",
      "added_tokens",
      "chat_template",
      "model_index",
      "modules",
      "adapter_config",
      "generation_config",
      "preprocessor_config",
      "processor_config",
      "quantize_config",
      "open_clip_config",
      "pytorch_model.bin.index",
      "model.safetensors.index",
      "deploy",
      "statefulset",
      "k8s",
      "values",
      "settings",
      "package",
      "tsconfig",
      "x",
      "a.b",
    ];
    const extensions = [
      "",
      ".json",
      ".JSON",
      ".yaml",
      ".yml",
      ".YML",
      ".toml",
      ".md",
      ".MD",
      ".mdx",
      ".markdown",
      ".rst",
      ".txt",
      ".py",
      ".pyw",
      ".ipynb",
      ".js",
      ".cjs",
      ".mjs",
      ".jsx",
      ".ts",
      ".d.ts",
      ".tsx",
      ".mts",
      ".min.js",
      ".sh",
      ".bash",
      ".zsh",
      ".gguf",
      ".GGUF",
      ".safetensors",
      ".jinja",
      ".env",
      ".modelfile",
      ".Modelfile",
      ".dockerfile",
      ".Containerfile",
      ".bin",
      ".pth",
      ".png",
      ".css",
      ".lock",
    ];
    const dirs = [
      "",
      "a/",
      "scripts/",
      "bin/",
      "tools/",
      "docs/",
      "doc/",
      "k8s/",
      "helm/templates/",
      "charts/x/",
      "deploy/",
      ".github/",
      "locales/",
      "dist/",
      "vendor/",
      "models/m/",
    ];
    const name = fc
      .tuple(
        fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...extensions),
        fc.boolean(),
      )
      .map(([p, e, upper]) => {
        const n = p.join("") + e;
        return upper ? n.toUpperCase() : n;
      });
    fc.assert(
      fc.property(fc.constantFrom(...dirs), name, (dir, base) => {
        if (base === "" || base.includes("/")) return;
        const claimed = new Set(claimantsOf(base));
        EXTRACTORS.forEach((x, i) => {
          if (x.matches(dir + base, base))
            expect(claimed.has(i), `${x.id} wants ${dir}${base} but its registry row does not claim it`).toBe(true);
        });
      }),
      { numRuns: 20_000, seed: 13 },
    );
  });

  it("claims nothing for files no extractor reads, so they cost no path pattern", () => {
    for (const base of ["logo.png", "site.css", "index.html", "data.csv", "weights.pt", "main.go", "Cargo.lock"])
      expect(claimantsOf(base), base).toEqual([]);
  });

  it("registers every extractor folder (no folder left out of the list)", () => {
    const folders = readdirSync(DIR)
      .filter((n) => statSync(join(DIR, n)).isDirectory())
      .sort();
    expect(folders).toEqual(EXTRACTORS.map((x) => x.id));
  });

  describe.each(EXTRACTORS.map((x) => [x.id, x] as const))("%s", (id, extractor) => {
    const folder = join(DIR, id);

    it("has a description and a path-only matches()", () => {
      expect(extractor.description.length).toBeGreaterThan(10);
      for (const p of ["README.md", "a/b/config.json", "x.gguf", "", "deep/.env"])
        expect(typeof extractor.matches(p, p.split("/").pop()!)).toBe("boolean");
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
      for (const f of files)
        expect(text.includes(f.split("/")[0]!), `${id}/fixtures/SOURCES.md does not mention ${f}`).toBe(true);
    });
  });
});
