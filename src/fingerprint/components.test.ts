import { describe, expect, it } from "vitest";
import { classifyTensor } from "./components.js";
import { configSignature } from "./config-signature.js";

describe("classifyTensor", () => {
  it.each([
    // Qwen2.5-VL legacy and current layouts (transformers _checkpoint_conversion_mapping "^visual" -> "model.visual").
    ["visual.blocks.0.attn.qkv.weight", "vision", "visual.", "blocks.0.attn.qkv.weight"],
    ["model.visual.blocks.0.attn.qkv.weight", "vision", "model.visual.", "blocks.0.attn.qkv.weight"],
    ["thinker.visual.blocks.0.attn.qkv.weight", "vision", "thinker.visual.", "blocks.0.attn.qkv.weight"],
    // LLaVA-hf legacy and current, and a bare CLIP vision model: the same relative name.
    [
      "vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight",
      "vision",
      "vision_tower.",
      "encoder.layers.0.mlp.fc1.weight",
    ],
    [
      "model.vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight",
      "vision",
      "model.vision_tower.",
      "encoder.layers.0.mlp.fc1.weight",
    ],
    ["vision_model.encoder.layers.0.mlp.fc1.weight", "vision", "vision_model.", "encoder.layers.0.mlp.fc1.weight"],
    ["vpm.encoder.layers.0.mlp.fc1.weight", "vision", "vpm.", "encoder.layers.0.mlp.fc1.weight"],
    ["thinker.audio_tower.layers.0.fc1.weight", "audio", "thinker.audio_tower.", "layers.0.fc1.weight"],
    ["apm.layers.0.fc1.weight", "audio", "apm.", "layers.0.fc1.weight"],
    ["multi_modal_projector.linear_1.weight", "projector", "multi_modal_projector.", "linear_1.weight"],
    ["model.layers.0.self_attn.q_proj.weight", "text", "model.", "layers.0.self_attn.q_proj.weight"],
    [
      "model.language_model.layers.0.self_attn.q_proj.weight",
      "text",
      "model.language_model.",
      "layers.0.self_attn.q_proj.weight",
    ],
    [
      "language_model.model.layers.0.self_attn.q_proj.weight",
      "text",
      "language_model.model.",
      "layers.0.self_attn.q_proj.weight",
    ],
    ["thinker.model.layers.0.self_attn.q_proj.weight", "text", "thinker.model.", "layers.0.self_attn.q_proj.weight"],
    ["lm_head.weight", "text", "", "lm_head.weight"],
    ["language_model.lm_head.weight", "text", "language_model.", "lm_head.weight"],
    ["talker.model.layers.0.mlp.up_proj.weight", "other", "talker.", "model.layers.0.mlp.up_proj.weight"],
  ])("%s -> %s", (name, kind, prefix, relative) => {
    expect(classifyTensor(name)).toEqual({ kind, prefix, relative });
  });
});

describe("configSignature", () => {
  // Values from Qwen/Qwen2.5-VL-7B-Instruct config.json (vision_config) and its 3B sibling's hidden_size.
  const qwen7b = {
    model_type: "qwen2_5_vl",
    hidden_size: 3584,
    vision_config: {
      depth: 32,
      hidden_size: 1280,
      intermediate_size: 3420,
      num_heads: 16,
      patch_size: 14,
      hidden_act: "silu",
      out_hidden_size: 3584,
    },
  };
  const qwen3b = {
    model_type: "qwen2_5_vl",
    hidden_size: 2048,
    vision_config: {
      depth: 32,
      hidden_size: 1280,
      intermediate_size: 3420,
      num_heads: 16,
      patch_size: 14,
      hidden_act: "silu",
      out_hidden_size: 2048,
    },
  };

  it("hashes the vision sub-config; the text model differs while the family is the same", () => {
    const v7 = configSignature(qwen7b, "vision")!;
    expect(v7.pointer).toBe("/vision_config");
    expect(v7.values).toMatchObject({ depth: 32, hidden_size: 1280 });
    expect(configSignature(qwen7b, "text")!.architectureHash).not.toBe(
      configSignature(qwen3b, "text")!.architectureHash,
    );
    expect(configSignature(qwen7b, "text")!.familyHash).toBe(configSignature(qwen3b, "text")!.familyHash);
  });

  it("is key-order independent and absent for a component the config does not have", () => {
    const reordered = JSON.parse(JSON.stringify({ vision_config: { ...qwen7b.vision_config } })) as Record<
      string,
      unknown
    >;
    expect(configSignature(reordered, "vision")!.architectureHash).toBe(
      configSignature({ vision_config: Object.fromEntries(Object.entries(qwen7b.vision_config).reverse()) }, "vision")!
        .architectureHash,
    );
    expect(configSignature(qwen7b, "audio")).toBeUndefined();
    expect(
      configSignature({ thinker_config: { audio_config: { d_model: 1280, encoder_layers: 32 } } }, "audio")!.pointer,
    ).toBe("/thinker_config/audio_config");
  });
});
