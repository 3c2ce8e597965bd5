import { describe, expect, it } from "vitest";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { loadKnowledgeBase } from "./knowledge-base.js";
import { identifyBlock, indexedEntries, type ConfigBlock } from "./structural.js";
import { FAMILIES } from "./families.js";

// Bundled entries (Qwen2.5-VL ViT, Qwen2-Audio and Whisper large-v3 encoders) plus the fixture entries of
// fixtures/ident/components (Llama 3.1 8B, Meta-Llama-3-8B, SigLIP so400m/14@384), all values of released configs.
const here = dirname(fileURLToPath(import.meta.url));
const kb = loadKnowledgeBase([join(here, "fixtures", "ident")]);
const fixture = (f: string) => JSON.parse(readFileSync(join(here, "fixtures", f), "utf8")) as Record<string, unknown>;

const llama = fixture("llama-3.1-8b.config.json");
const siglip = fixture("siglip-so400m-patch14-384.config.json").vision_config as Record<string, unknown>;
const whisper = fixture("whisper-large-v3.config.json");
const ids = (b: ConfigBlock) => identifyBlock(b, kb).matches.map((m) => m.known.id);

function without(o: Record<string, unknown>, ...keys: string[]) {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k) && k !== "_comment"));
}

describe("name-blind structural identification", () => {
  it("identifies an LLM config as released, renamed, and without any type marker; Llama 3 and 3.1 collide and both are listed", () => {
    const released = {
      config: without(llama),
      role: "model" as const,
      modelType: "llama",
      architectures: ["LlamaForCausalLM"],
    };
    const renamed = {
      config: without(llama, "model_type", "architectures"),
      role: "model" as const,
      modelType: "acme_lm",
      architectures: ["AcmeForCausalLM"],
    };
    const bare = { config: without(llama, "model_type", "architectures"), role: "backbone" as const };
    // Finetunes released with the base's configuration (Hermes 3, the R1 distill) collide too: all are listed.
    for (const b of [released, renamed, bare])
      expect(ids(b)).toEqual(
        expect.arrayContaining([
          "llama-3.1-8b",
          "meta-llama-3-8b",
          "hermes-3-llama-3.1-8b",
          "deepseek-r1-distill-llama-8b",
        ]),
      );
    const r = identifyBlock(released, kb).matches;
    // The fixture's config gives no max_position_embeddings: neither release differs, only names add evidence.
    expect(r.find((m) => m.known.id === "llama-3.1-8b")!.names).toEqual([
      "model_type=llama",
      "architectures=LlamaForCausalLM",
    ]);
    expect(identifyBlock(renamed, kb).matches.find((m) => m.known.id === "llama-3.1-8b")!.names).toEqual([]);
    // With the 3.1 context length written, 3.1 is exact and Llama 3 differs only in a key with no weight effect.
    const ctx = identifyBlock(
      { ...renamed, config: { ...renamed.config, max_position_embeddings: 131072 } },
      kb,
    ).matches;
    expect(ctx.map((m) => [m.known.id, m.exact])).toEqual(
      expect.arrayContaining([
        ["llama-3.1-8b", true],
        ["meta-llama-3-8b", false],
      ]),
    );
    expect(ctx.find((m) => m.known.id === "meta-llama-3-8b")!.differs.map((d) => [d.key, d.value, d.known])).toEqual([
      ["max_position_embeddings", 131072, 8192],
    ]);
  });

  it("normalises aliases and fills omitted keys from the family's library defaults", () => {
    // DeepSeek-style key names and no hidden_act (LlamaConfig default silu) or tie_word_embeddings (default false).
    const config = { dim: 4096, inter_dim: 14336, n_layers: 32, n_heads: 32, n_kv_heads: 8, vocab_size: 128256 };
    const m = identifyBlock({ config, role: "model" }, kb).matches;
    expect(m.map((x) => x.known.id)).toEqual(expect.arrayContaining(["llama-3.1-8b", "meta-llama-3-8b"]));
    expect(
      m
        .find((x) => x.known.id === "llama-3.1-8b")!
        .matched.filter((k) => k.defaulted)
        .map((k) => k.key)
        .sort(),
    ).toEqual(["attention_bias", "hidden_act", "mlp_bias", "tie_word_embeddings"]);
    // A vision tower with renamed keys and its activation left to SiglipVisionConfig's default.
    const tower = { embed_dim: 1152, depth: 27, num_heads: 16, mlp_dim: 4304, patch_size: 14, img_size: 384 };
    expect(ids({ config: tower, role: "vision-encoder", modelType: "acme_vision" })).toEqual(
      expect.arrayContaining(["siglip-so400m-patch14-384"]),
    );
  });

  it("never lets a name gate: a wrong model_type still matches by numbers, and a right one with other numbers does not", () => {
    expect(
      ids({ config: without(siglip, "model_type"), role: "vision-encoder", modelType: "clip_vision_model" }),
    ).toEqual(["siglip-so400m-patch14-384", "siglip2-so400m-patch14-384"]);
    expect(
      ids({
        config: { ...without(siglip), hidden_size: 1024, num_hidden_layers: 24 },
        role: "vision-encoder",
        modelType: "siglip_vision_model",
      }),
    ).toEqual([]);
  });

  it("lists both encoders that share Whisper large-v3's configuration, for a bare block too", () => {
    const bare = without(whisper, "model_type", "architectures");
    expect(ids({ config: bare, role: "model" })).toEqual(["qwen2-audio-encoder", "whisper-large-v3-encoder"]);
    expect(ids({ config: bare, role: "audio-encoder" })).toEqual(["qwen2-audio-encoder", "whisper-large-v3-encoder"]);
  });

  it("reports keys with no weight effect that differ, and never misses on them", () => {
    const vit = {
      depth: 32,
      hidden_size: 1280,
      num_heads: 16,
      intermediate_size: 3420,
      patch_size: 14,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
      in_chans: 3,
      hidden_act: "silu",
      window_size: 128,
      fullatt_block_indexes: [3, 7],
    };
    const m = identifyBlock({ config: vit, role: "vision-encoder" }, kb).matches;
    expect(m.map((x) => [x.known.id, x.level, x.exact])).toEqual([["qwen2.5-vl-vit", "checkpoint", false]]);
    expect(m[0]!.differs.map((d) => d.key).sort()).toEqual(["fullatt_block_indexes", "window_size"]);
  });

  it("reports a near miss with the one identity key that differs, and matches nothing for in-house dimensions", () => {
    const r = identifyBlock(
      { config: { ...without(llama, "model_type", "architectures"), vocab_size: 160000 }, role: "model" },
      kb,
    );
    expect(r.matches).toEqual([]);
    expect(r.nearMisses.map((n) => [n.known.id, n.differs.key, n.equal, n.total])).toEqual(
      expect.arrayContaining([
        ["llama-3.1-8b", "vocab_size", 9, 10],
        ["meta-llama-3-8b", "vocab_size", 7, 8],
      ]),
    );
    expect(new Set(r.nearMisses.map((n) => n.differs.key))).toEqual(new Set(["vocab_size"]));
    // A core key (the depth) differing is found through the leave-one-out index.
    const deeper = identifyBlock(
      { config: { ...without(llama, "model_type", "architectures"), num_hidden_layers: 40 }, role: "model" },
      kb,
    );
    expect(deeper.nearMisses.map((n) => n.known.id)).toEqual(
      expect.arrayContaining(["llama-3.1-8b", "meta-llama-3-8b"]),
    );
    expect(new Set(deeper.nearMisses.map((n) => n.differs.key))).toEqual(new Set(["num_hidden_layers"]));
    // In-house sizes, some borrowing an upstream's model_type: nothing, not even a near miss.
    const controls: ConfigBlock[] = [
      {
        config: {
          hidden_size: 3072,
          intermediate_size: 8192,
          num_hidden_layers: 28,
          num_attention_heads: 24,
          num_key_value_heads: 8,
          vocab_size: 100000,
        },
        role: "model",
        modelType: "llama",
      },
      {
        config: {
          hidden_size: 1088,
          intermediate_size: 4352,
          num_hidden_layers: 22,
          num_attention_heads: 17,
          patch_size: 14,
          image_size: 448,
        },
        role: "vision-encoder",
        modelType: "siglip_vision_model",
      },
      {
        config: {
          d_model: 1024,
          encoder_layers: 24,
          encoder_attention_heads: 16,
          encoder_ffn_dim: 4096,
          num_mel_bins: 128,
          max_source_positions: 1500,
        },
        role: "audio-encoder",
        modelType: "whisper",
      },
    ];
    for (const c of controls) expect(identifyBlock(c, kb)).toEqual({ matches: [], nearMisses: [] });
  });

  it("keeps roles apart: an encoder block never matches an LLM entry, and a bare model block may match any role", () => {
    expect(ids({ config: without(llama, "model_type", "architectures"), role: "vision-encoder" })).toEqual([]);
    expect(ids({ config: without(siglip, "model_type"), role: "model" })).toEqual([
      "siglip-so400m-patch14-384",
      "siglip2-so400m-patch14-384",
    ]);
  });

  it("never reads a bare block as an encoder of another modality: Whisper-sized ViT keys are not a Whisper encoder", () => {
    // hidden_size 1280 / 32 layers / 20 heads / 5120 MLP are Whisper large-v3's encoder sizes under the aliases.
    const vitLike = {
      hidden_size: 1280,
      num_hidden_layers: 32,
      num_attention_heads: 20,
      intermediate_size: 5120,
      hidden_act: "gelu",
    };
    expect(ids({ config: vitLike, role: "model" })).toEqual([]);
    expect(ids({ config: { ...vitLike, num_mel_bins: 128 }, role: "model" })).toEqual([
      "qwen2-audio-encoder",
      "whisper-large-v3-encoder",
    ]);
  });

  it("needs the shape keys written when the block does not declare the family (defaults never make a match alone)", () => {
    expect(ids({ config: { hidden_size: 4096, vocab_size: 128256 }, role: "model" })).toEqual([]);
    expect(ids({ config: { hidden_size: 4096, vocab_size: 128256 }, role: "model", modelType: "llama" })).toEqual([]);
  });

  it("indexes every entry with an identity, and cites a transformers source for each default table", () => {
    expect(indexedEntries(kb)).toBe(kb.components.filter((c) => Object.keys(c.identity).length > 0).length);
    for (const f of FAMILIES)
      if (Object.keys(f.defaults).length > 0)
        expect(f.source).toMatch(
          /^https:\/\/github\.com\/huggingface\/transformers\/blob\/main\/src\/transformers\/models\/\w+\/configuration_\w+\.py/,
        );
  });
});
