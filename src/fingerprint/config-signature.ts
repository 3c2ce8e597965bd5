/**
 * Config signatures: a hash of a component's architecture hyperparameters (exact architecture) and a looser family
 * hash (model type, classes, activation, norm and position-encoding kind, without sizes). Equal hashes prove the
 * architecture is the same, never that the weights are.
 * Key names follow transformers' `PretrainedConfig` subclasses (Qwen2-VL, Qwen2.5-Omni, LLaVA, Whisper, Llama,
 * DeepSeek-V3); see shared/research/manifests-and-apis.md.
 */
import { stableId } from "../util/hash.js";
import type { ComponentKind } from "./components.js";

/** Keys of the architecture hash (present ones only). */
export const ARCHITECTURE_KEYS = [
  "model_type",
  "architectures",
  "hidden_size",
  "intermediate_size",
  "num_hidden_layers",
  "num_attention_heads",
  "num_key_value_heads",
  "head_dim",
  "hidden_act",
  "activation_function",
  "rms_norm_eps",
  "layer_norm_eps",
  "norm_type",
  "rope_theta",
  "rope_scaling",
  "max_position_embeddings",
  "position_embedding_type",
  "vocab_size",
  "tie_word_embeddings",
  "depth",
  "embed_dim",
  "num_heads",
  "hidden_dim",
  "patch_size",
  "spatial_patch_size",
  "temporal_patch_size",
  "spatial_merge_size",
  "window_size",
  "fullatt_block_indexes",
  "in_chans",
  "in_channels",
  "image_size",
  "d_model",
  "encoder_layers",
  "encoder_attention_heads",
  "encoder_ffn_dim",
  "num_mel_bins",
  "max_source_positions",
  "n_window",
  "n_routed_experts",
  "num_experts",
  "num_local_experts",
  "num_experts_per_tok",
  "moe_intermediate_size",
  "n_shared_experts",
  "first_k_dense_replace",
  "kv_lora_rank",
  "q_lora_rank",
  "qk_rope_head_dim",
  "v_head_dim",
  "qk_nope_head_dim",
  "sliding_window",
  "attention_bias",
  "mlp_bias",
] as const;

/** Keys of the looser family hash. */
export const FAMILY_KEYS = [
  "model_type",
  "architectures",
  "hidden_act",
  "activation_function",
  "norm_type",
  "position_embedding_type",
  "rope_scaling",
] as const;

export type { ConfigSignature } from "../model/fingerprint-entry.js";
import type { ConfigSignature } from "../model/fingerprint-entry.js";

/** Sub-config locations of each component, first found wins (transformers composite configs). */
const SUBCONFIG_PATHS: Readonly<Record<ComponentKind, readonly string[][]>> = {
  vision: [["vision_config"], ["thinker_config", "vision_config"], ["visual"]],
  audio: [["audio_config"], ["thinker_config", "audio_config"]],
  text: [["text_config"], ["llm_config"], ["language_config"], ["thinker_config", "text_config"], []],
  projector: [["projector_config"]],
  other: [["talker_config"]],
};

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

/** First 16 hex digits of the SHA-256 of the canonical JSON of `v` (the project's one short-hash function). */
function hash16(v: unknown): string {
  return stableId([canonical(v)]);
}

function pick(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in obj && obj[k] !== null && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

/**
 * The config signature of one component of a config.json object, or undefined when the config has no sub-config for
 * it (for `text`, the top level is used when no `text_config`-like key exists).
 */
export function configSignature(
  config: Record<string, unknown> | undefined,
  kind: ComponentKind,
): ConfigSignature | undefined {
  if (!config) return undefined;
  for (const path of SUBCONFIG_PATHS[kind]) {
    let cur: unknown = config;
    for (const seg of path)
      cur = cur && typeof cur === "object" && !Array.isArray(cur) ? (cur as Record<string, unknown>)[seg] : undefined;
    if (!cur || typeof cur !== "object" || Array.isArray(cur)) continue;
    const values = pick(cur as Record<string, unknown>, ARCHITECTURE_KEYS);
    if (Object.keys(values).length === 0) continue;
    return {
      pointer: path.map((p) => `/${p}`).join(""),
      architectureHash: hash16(values),
      familyHash: hash16(pick(values, FAMILY_KEYS)),
      values,
    };
  }
  return undefined;
}
