import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { cardLicense, findFrontMatter, modelCardExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("model-card extractor", () => {
  it("SOLAR SLERP: front matter at the end, recipe in a fenced block", async () => {
    const out = await extractFile(modelCardExtractor, FIX, "solar-10.7b-slerp-merge/README.md");
    expect(out.folders?.[0]?.license).toBe("cc-by-nc-4.0");
    expect(out.references!.map((r) => [r.target, r.location.line, r.extractor])).toEqual([
      ["LDCC/LDCC-SOLAR-10.7B", 42, "mergekit"],
      ["upstage/SOLAR-10.7B-Instruct-v1.0", 44, "mergekit"],
      ["upstage/SOLAR-10.7B-Instruct-v1.0", 47, "mergekit"],
    ]);
  });

  it("Merged-AGI-7B: two base models; relation inferred", async () => {
    const out = await extractFile(modelCardExtractor, FIX, "merge-chain-model-cards/Merged-AGI-7B/README.md");
    expect(out.references!.map((r) => r.target)).toEqual([
      "Q-bert/MetaMath-Cybertron-Starling",
      "fblgit/juanako-7b-UNA",
    ]);
    expect(out.references![0]!.facts?.relationInferred).toBe(true);
  });

  it("Yi megamerge: base_model [] yields no card reference, but the body recipe's models are found as local paths", async () => {
    const out = await extractFile(
      modelCardExtractor,
      FIX,
      "merge-chain-model-cards/Yi-34B-200K-DARE-megamerge-v8/README.md",
    );
    expect(out.references!.some((r) => r.extractor === "model-card")).toBe(false);
    const recipe = out.references!.filter((r) => r.extractor === "mergekit");
    expect(recipe.length).toBeGreaterThan(10);
    expect(recipe.find((r) => r.location.line === 184)).toMatchObject({
      target: "/home/alpha/Models/Raw/chargoddard_Yi-34B-Llama",
      skipReason: "local-path-outside-root",
    });
    expect(out.folders?.[0]?.license).toBe("other:yi-license");
  });

  it("an unclosed fence around a recipe: the recipe is still read, the prose after it is not", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const root = mkdtempSync(join(tmpdir(), "aiprov-card-"));
    writeFileSync(
      join(root, "README.md"),
      "---\nlicense: apache-2.0\n---\n```yaml\n\nslices:\n  - sources:\n      - model: a/b\nmerge_method: slerp\nbase_model: a/b\n\n## Licence\nCe modèle: est sous licence.\n\n```\n",
    );
    const out = await extractFile(modelCardExtractor, root, "README.md");
    expect(out.references!.map((r) => [r.target, r.location.line])).toEqual([
      ["a/b", 8],
      ["a/b", 10],
    ]);
  });

  it("front matter helpers", () => {
    expect(findFrontMatter("# title\n")).toBeUndefined();
    expect(cardLicense({ license: "other", license_name: "hyperclovax-seed" })).toBe("other:hyperclovax-seed");
  });
});
