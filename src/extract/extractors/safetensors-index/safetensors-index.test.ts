import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { groupByPrefix, checkpointLayout } from "../../tensor-prefixes.js";
import { safetensorsIndexExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("safetensors-index extractor", () => {
  it("Qwen2.5-VL: the visual.* tensors are a vision encoder inside the checkpoint", async () => {
    const out = await extractFile(
      safetensorsIndexExtractor,
      FIX,
      "qwen2.5-vl-7b-instruct/model.safetensors.index.json",
    );
    const vision = out.components!.find((c) => c.role === "vision-encoder")!;
    expect(vision).toMatchObject({
      parent: "folder:qwen2.5-vl-7b-instruct",
      facts: { tensorPrefix: "visual.", tensorCount: 390 },
    });
    expect(vision.location.line).toBeGreaterThan(1);
    expect(out.folders?.[0]?.facts).toMatchObject({
      "checkpoint.tensorCount": 729,
      "checkpoint.shardCount": 5,
      "checkpoint.totalSize": 16584333312,
      "checkpoint.layout": "legacy",
    });
  });

  it("MiniCPM-V 2: vpm (SigLIP), resampler and llm", async () => {
    const out = await extractFile(safetensorsIndexExtractor, FIX, "minicpm-v-2/model.safetensors.index.json");
    expect(out.components!.map((c) => [c.facts?.tensorPrefix, c.role])).toEqual([
      ["llm.", "backbone"],
      ["resampler.", "projector"],
      ["vpm.", "vision-encoder"],
    ]);
  });

  it("a plain Llama checkpoint has no sub-components", async () => {
    const out = await extractFile(
      safetensorsIndexExtractor,
      FIX,
      "mergekit-model-stock-llama31-8b/model.safetensors.index.json",
    );
    expect(out.components).toEqual([]);
    expect(out.folders?.[0]?.facts?.["checkpoint.tensorPrefixes"]).toEqual([
      "lm_head",
      "model.embed_tokens",
      "model.layers",
      "model.norm",
    ]);
  });

  it("knows the current (transformers >= 4.52) and omni layouts", () => {
    const current = groupByPrefix(["model.visual.blocks.0.w", "model.language_model.layers.0.w", "lm_head.weight"]);
    expect(current.map((g) => g.role)).toEqual(["backbone", "vision-encoder"]);
    expect(checkpointLayout(current)).toBe("current");
    expect(groupByPrefix(["thinker.visual.x", "thinker.audio_tower.y", "talker.z"]).map((g) => g.role)).toEqual([
      "audio-decoder",
      "audio-encoder",
      "vision-encoder",
    ]);
  });
});
