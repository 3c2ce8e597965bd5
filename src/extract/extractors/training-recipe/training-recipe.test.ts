import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { trainingRecipeExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("training-recipe extractor", () => {
  it("matches training-named YAML/JSON (merge names included: the content decides), not settings", () => {
    expect(trainingRecipeExtractor.matches("examples/llama3_lora_sft.yaml", "llama3_lora_sft.yaml")).toBe(true);
    expect(trainingRecipeExtractor.matches("training_config.yml", "training_config.yml")).toBe(true);
    expect(trainingRecipeExtractor.matches("settings.yaml", "settings.yaml")).toBe(false);
    expect(trainingRecipeExtractor.matches("lora_merge.yaml", "lora_merge.yaml")).toBe(true);
  });

  it("ColPali training_config.yml: nested pretrained_model_name_or_path, a relative local path, custom tags tolerated", async () => {
    const out = await extractFile(trainingRecipeExtractor, FIX, "colpali-paligemma-lora/training_config.yml");
    expect(out.references!.map((r) => [r.kind, r.target, r.location.line])).toEqual([
      ["local-path", "colpali-paligemma-lora/models/paligemma-3b-mix-448", 6],
      ["local-path", "colpali-paligemma-lora/models/paligemma-3b-mix-448", 10],
    ]);
    expect(out.references!.map((r) => r.role)).toEqual(["processor", undefined]);
  });

  it("LLaMA-Factory LoRA SFT: the base, relation adapter", async () => {
    const out = await extractFile(trainingRecipeExtractor, FIX, "llama-factory/llama3_lora_sft.yaml");
    expect(out.references).toHaveLength(1);
    expect(out.references![0]).toMatchObject({
      target: "meta-llama/Meta-Llama-3-8B-Instruct",
      relation: "adapter",
      location: { line: 2 },
      facts: { recipe: "llama-factory" },
    });
  });

  it("LLaMA-Factory merge: a *_merge.yaml is read by content, and adapter_name_or_path is an adapter reference", async () => {
    const out = await extractFile(trainingRecipeExtractor, FIX, "llama-factory/llama3_lora_merge.yaml");
    expect(out.references!.find((r) => r.role === "adapter")).toMatchObject({
      kind: "local-path",
      relation: "adapter",
      location: { line: 5 },
    });
  });

  it("a mergekit recipe with a merge name is left to the mergekit extractor", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "aiprov-merge-"));
    try {
      await writeFile(
        join(dir, "lora_merge.yaml"),
        "merge_method: slerp\nbase_model: org/a\nmodels:\n  - model: org/a\n  - model: org/b\n",
      );
      const out = await extractFile(trainingRecipeExtractor, dir, "lora_merge.yaml");
      expect(out.references ?? []).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("axolotl: base_model with the tokenizer type as a fact", async () => {
    const out = await extractFile(trainingRecipeExtractor, FIX, "axolotl/lora-8b.yml");
    expect(out.references![0]).toMatchObject({
      target: "NousResearch/Meta-Llama-3-8B",
      relation: "adapter",
      facts: { recipe: "axolotl", tokenizerType: "AutoTokenizer" },
    });
  });
});
