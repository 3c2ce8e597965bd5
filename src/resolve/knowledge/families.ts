/**
 * Config families: for each transformers configuration class (or maker's config format), the other spellings of its
 * keys, the library defaults a config may omit, and which keys must be written for a block to be read as that family
 * when it does not declare it. Used by the name-blind structural matcher (`./structural.ts`).
 *
 * Normalisation is symmetric: a knowledge entry and a project's config block are both rewritten to canonical keys
 * (transformers' spelling), so `depth` vs `num_hidden_layers` or DeepSeek's inference `dim` vs `hidden_size` never
 * hide a match. Defaults fill only the project block (an entry lists what its source config said), and for a block
 * that does not declare the family (a renamed or missing `model_type`) only keys outside `core`: the shape-defining
 * keys must be written.
 *
 * Default tables are the keyword defaults of the transformers configuration classes, cited per family
 * (https://github.com/huggingface/transformers/tree/main/src/transformers/models/<family>/configuration_<family>.py).
 * A family not listed here gets the generic aliases and no defaults: its keys are compared as written.
 */
import type { ComponentRole } from "../../model/types.js";
import type { SignatureValue } from "./knowledge-base.js";

/** A config family's key table. */
export interface ConfigFamily {
  id: string;
  /** Roles of the components it describes. */
  roles: ComponentRole[];
  /** `model_type` values that declare the family (transformers then applies the defaults itself). */
  modelTypes: string[];
  /** Other spelling -> canonical key. Applied after {@link GENERIC_ALIASES} of its kind. */
  aliases: Record<string, string>;
  /** Library defaults of the config class, by canonical key; a function derives one from the block. */
  defaults: Record<string, SignatureValue | ((c: Record<string, unknown>) => SignatureValue | undefined)>;
  /** Canonical keys that must be written (not defaulted) when the block does not declare the family. */
  core: string[];
  /** Keys with no weight effect in this family beyond {@link SECONDARY_KEYS} (compared and reported, never a miss). */
  secondary?: string[];
  /** Keys of {@link SECONDARY_KEYS} that do decide weights in this family (learned absolute position tables). */
  identityOverride?: string[];
  /** Keys never compared in this family (set by the paired model, e.g. a vision tower's output width). */
  ignore?: string[];
  /**
   * Keys of the modality as written (raw spelling): a block whose role is not known (a bare `model` config) that
   * does not declare the family must write one of them, so a ViT's sizes never read as a Whisper encoder's.
   */
  markers?: string[];
  /** Canonical keys computed from others (open_clip's heads = width / head_width), added to both sides when absent. */
  derive?: (c: Record<string, unknown>) => Record<string, SignatureValue>;
  /** The transformers source of the defaults. */
  source: string;
}

/** Keys that change no weight tensor (attention windows, position-encoding bases, norm epsilons, limits). */
export const SECONDARY_KEYS: ReadonlySet<string> = new Set([
  "window_size",
  "fullatt_block_indexes",
  "tokens_per_second",
  "max_position_embeddings",
  "rope_theta",
  "rope_scaling",
  "rope_parameters",
  "rope_local_base_freq",
  "sliding_window",
  "use_sliding_window",
  "max_window_layers",
  "layer_types",
  "sliding_window_pattern",
  "rms_norm_eps",
  "layer_norm_eps",
  "layer_norm_epsilon",
  "norm_eps",
  "query_pre_attn_scalar",
  "final_logit_softcapping",
  "attn_logit_softcapping",
  "routed_scaling_factor",
  "norm_topk_prob",
  "max_source_positions_ignored",
  "max_seq_len",
  "seq_length",
  "original_max_position_embeddings",
  "partial_rotary_factor",
  "scoring_func",
  "topk_method",
  "aux_loss_alpha",
  "router_aux_loss_coef",
  "output_router_logits",
  "max_window_size",
]);

/** Keys never compared: storage, runtime switches, token ids, training-only values. */
export const IGNORED_KEYS: ReadonlySet<string> = new Set([
  "torch_dtype",
  "dtype",
  "use_cache",
  "attn_implementation",
  "_attn_implementation",
  "initializer_range",
  "initializer_factor",
  "attention_dropout",
  "hidden_dropout",
  "dropout",
  "hidden_dropout_prob",
  "attention_probs_dropout_prob",
  "activation_dropout",
  "resid_pdrop",
  "embd_pdrop",
  "attn_pdrop",
  "bos_token_id",
  "eos_token_id",
  "pad_token_id",
  "decoder_start_token_id",
  "model_type",
  "architectures",
  "transformers_version",
  "_name_or_path",
  "auto_map",
  "quantization_config",
  "pretraining_tp",
  "use_flash_attn",
  "gradient_checkpointing",
  "is_encoder_decoder",
  "cache_implementation",
  "out_hidden_size",
  "_commit_hash",
  "tie_encoder_decoder",
  "return_dict",
  "output_hidden_states",
]);

/** Spellings shared by decoder LLM configs (GPT-2, NeoX, ChatGLM, EXAONE, DeepSeek's inference configs). */
const LLM_ALIASES: Record<string, string> = {
  n_embd: "hidden_size",
  dim: "hidden_size",
  d_model: "hidden_size",
  model_dim: "hidden_size",
  n_layer: "num_hidden_layers",
  n_layers: "num_hidden_layers",
  num_layers: "num_hidden_layers",
  n_head: "num_attention_heads",
  n_heads: "num_attention_heads",
  num_heads: "num_attention_heads",
  n_kv_heads: "num_key_value_heads",
  num_kv_heads: "num_key_value_heads",
  multi_query_group_num: "num_key_value_heads",
  n_head_kv: "num_key_value_heads",
  n_inner: "intermediate_size",
  inter_dim: "intermediate_size",
  ffn_hidden_size: "intermediate_size",
  ffn_dim: "intermediate_size",
  ffn_dim_size: "intermediate_size",
  kv_channels: "head_dim",
  padded_vocab_size: "vocab_size",
  n_vocab: "vocab_size",
  hidden_activation: "hidden_act",
  activation_function: "hidden_act",
  layer_norm_epsilon: "rms_norm_eps",
  layer_norm_eps: "rms_norm_eps",
  norm_eps: "rms_norm_eps",
  moe_inter_dim: "moe_intermediate_size",
  n_dense_layers: "first_k_dense_replace",
  n_activated_experts: "num_experts_per_tok",
  moe_topk: "num_experts_per_tok",
  n_expert_groups: "n_group",
  n_limited_groups: "topk_group",
  route_scale: "routed_scaling_factor",
  num_local_experts: "num_experts",
  n_routed_experts: "num_experts",
  moe_num_experts: "num_experts",
  score_func: "scoring_func",
  n_positions: "max_position_embeddings",
  seq_length: "max_position_embeddings",
  rotary_emb_base: "rope_theta",
};

/** Spellings shared by ViT-style encoders (timm / open_clip / InternViT / remote-code towers). */
const VIT_ALIASES: Record<string, string> = {
  embed_dim: "hidden_size",
  width: "hidden_size",
  vision_width: "hidden_size",
  depth: "num_hidden_layers",
  layers: "num_hidden_layers",
  num_layers: "num_hidden_layers",
  vision_layers: "num_hidden_layers",
  num_heads: "num_attention_heads",
  heads: "num_attention_heads",
  n_heads: "num_attention_heads",
  in_chans: "num_channels",
  in_channels: "num_channels",
  img_size: "image_size",
  input_size: "image_size",
  mlp_dim: "intermediate_size",
  mlp_hidden_dim: "intermediate_size",
  ffn_dim: "intermediate_size",
  hidden_activation: "hidden_act",
  act_layer: "hidden_act",
  norm_eps: "layer_norm_eps",
  layer_norm_epsilon: "layer_norm_eps",
};

/** Spellings of Whisper-style audio encoders. */
const AUDIO_ALIASES: Record<string, string> = {
  hidden_size: "d_model",
  num_hidden_layers: "encoder_layers",
  num_attention_heads: "encoder_attention_heads",
  intermediate_size: "encoder_ffn_dim",
  n_audio_state: "d_model",
  n_audio_layer: "encoder_layers",
  n_audio_head: "encoder_attention_heads",
  n_mels: "num_mel_bins",
  n_audio_ctx: "max_source_positions",
  hidden_act: "activation_function",
};

const LLM_ROLES: ComponentRole[] = ["backbone", "model"];
const VISION_MARKERS = [
  "patch_size",
  "image_size",
  "img_size",
  "num_channels",
  "in_chans",
  "in_channels",
  "spatial_merge_size",
  "temporal_patch_size",
  "patch_embed",
  "vision_width",
  "head_width",
];
const AUDIO_MARKERS = [
  "num_mel_bins",
  "max_source_positions",
  "encoder_layers",
  "encoder_ffn_dim",
  "encoder_attention_heads",
  "n_mels",
  "n_audio_state",
  "n_audio_layer",
  "n_audio_ctx",
];
const T5_MARKERS = ["d_kv", "d_ff", "feed_forward_proj", "relative_attention_num_buckets", "num_decoder_layers"];
const TF = "https://github.com/huggingface/transformers/blob/main/src/transformers/models";
const headDim = (c: Record<string, unknown>) =>
  typeof c.hidden_size === "number" && typeof c.num_attention_heads === "number" && c.num_attention_heads > 0
    ? Math.floor(c.hidden_size / c.num_attention_heads)
    : undefined;
const kvFromHeads = (c: Record<string, unknown>) =>
  typeof c.num_attention_heads === "number" ? c.num_attention_heads : undefined;
const LLM_CORE = ["hidden_size", "num_hidden_layers", "num_attention_heads"];

function llm(
  id: string,
  modelTypes: string[],
  defaults: ConfigFamily["defaults"],
  extra: Partial<ConfigFamily> = {},
): ConfigFamily {
  return {
    id,
    roles: LLM_ROLES,
    modelTypes,
    aliases: { ...LLM_ALIASES, ...(extra.aliases ?? {}) },
    defaults,
    core: extra.core ?? LLM_CORE,
    source: extra.source ?? `${TF}/${id}/configuration_${id}.py`,
    ...(extra.secondary ? { secondary: extra.secondary } : {}),
    ...(extra.identityOverride ? { identityOverride: extra.identityOverride } : {}),
  };
}

const LLAMA_DEFAULTS = {
  vocab_size: 32000,
  hidden_size: 4096,
  intermediate_size: 11008,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: kvFromHeads,
  head_dim: headDim,
  hidden_act: "silu",
  rms_norm_eps: 1e-6,
  tie_word_embeddings: false,
  attention_bias: false,
  mlp_bias: false,
  max_position_embeddings: 2048,
};

/** open_clip's model_configs spelling (vision_cfg / text_cfg): `embed_dim` is the shared projection width there. */
const OPEN_CLIP_ALIASES: Record<string, string> = {
  width: "hidden_size",
  layers: "num_hidden_layers",
  heads: "num_attention_heads",
  embed_dim: "projection_dim",
  context_length: "max_position_embeddings",
  in_chans: "num_channels",
  act_layer: "hidden_act",
};

/** open_clip derives heads and MLP width: heads = width / head_width (default 64), MLP = width x mlp_ratio (default 4). */
const openClipDerived = (c: Record<string, unknown>): Record<string, SignatureValue> => {
  const w = c.hidden_size;
  if (typeof w !== "number") return {};
  const out: Record<string, SignatureValue> = {};
  if (c.num_attention_heads === undefined)
    out.num_attention_heads = w / (typeof c.head_width === "number" ? c.head_width : 64);
  if (c.intermediate_size === undefined)
    out.intermediate_size = w * (typeof c.mlp_ratio === "number" ? c.mlp_ratio : 4);
  return out;
};

/** The family table. */
export const FAMILIES: readonly ConfigFamily[] = [
  llm("llama", ["llama"], LLAMA_DEFAULTS),
  llm("mistral", ["mistral"], {
    vocab_size: 32000,
    hidden_size: 4096,
    intermediate_size: 14336,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    head_dim: headDim,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: false,
    sliding_window: 4096,
    max_position_embeddings: 131072,
  }),
  llm("mixtral", ["mixtral"], {
    vocab_size: 32000,
    hidden_size: 4096,
    intermediate_size: 14336,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    head_dim: headDim,
    hidden_act: "silu",
    rms_norm_eps: 1e-5,
    tie_word_embeddings: false,
    num_experts_per_tok: 2,
    num_experts: 8,
  }),
  llm("qwen2", ["qwen2"], {
    vocab_size: 151936,
    hidden_size: 4096,
    intermediate_size: 22016,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: false,
    max_position_embeddings: 32768,
  }),
  llm("qwen2_moe", ["qwen2_moe"], {
    vocab_size: 151936,
    hidden_size: 2048,
    intermediate_size: 5632,
    num_hidden_layers: 24,
    num_attention_heads: 16,
    num_key_value_heads: 16,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: false,
    decoder_sparse_step: 1,
    moe_intermediate_size: 1408,
    shared_expert_intermediate_size: 5632,
    num_experts_per_tok: 4,
    num_experts: 60,
  }),
  llm("qwen3", ["qwen3"], {
    vocab_size: 151936,
    hidden_size: 4096,
    intermediate_size: 22016,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    head_dim: 128,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: false,
    attention_bias: false,
    max_position_embeddings: 32768,
  }),
  llm("qwen3_moe", ["qwen3_moe"], {
    vocab_size: 151936,
    hidden_size: 2048,
    intermediate_size: 6144,
    num_hidden_layers: 24,
    num_attention_heads: 32,
    num_key_value_heads: 4,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: false,
    attention_bias: false,
    decoder_sparse_step: 1,
    moe_intermediate_size: 768,
    num_experts_per_tok: 8,
    num_experts: 128,
  }),
  llm("gemma", ["gemma"], {
    vocab_size: 256000,
    hidden_size: 3072,
    intermediate_size: 24576,
    num_hidden_layers: 28,
    num_attention_heads: 16,
    num_key_value_heads: 16,
    head_dim: 256,
    hidden_act: "gelu_pytorch_tanh",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: true,
    attention_bias: false,
  }),
  llm("gemma2", ["gemma2"], {
    vocab_size: 256000,
    hidden_size: 2304,
    intermediate_size: 9216,
    num_hidden_layers: 26,
    num_attention_heads: 8,
    num_key_value_heads: 4,
    head_dim: 256,
    hidden_act: "gelu_pytorch_tanh",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: true,
    attention_bias: false,
    query_pre_attn_scalar: 256,
    sliding_window: 4096,
    final_logit_softcapping: 30.0,
    attn_logit_softcapping: 50.0,
  }),
  llm(
    "gemma3_text",
    ["gemma3_text", "gemma3"],
    {
      vocab_size: 262208,
      hidden_size: 2304,
      intermediate_size: 9216,
      num_hidden_layers: 26,
      num_attention_heads: 8,
      num_key_value_heads: 4,
      head_dim: 256,
      hidden_act: "gelu_pytorch_tanh",
      rms_norm_eps: 1e-6,
      tie_word_embeddings: true,
      attention_bias: false,
      query_pre_attn_scalar: 256,
      sliding_window: 4096,
    },
    { source: `${TF}/gemma3/configuration_gemma3.py` },
  ),
  llm("deepseek_v3", ["deepseek_v3"], {
    vocab_size: 129280,
    hidden_size: 7168,
    intermediate_size: 18432,
    moe_intermediate_size: 2048,
    num_hidden_layers: 61,
    num_attention_heads: 128,
    num_key_value_heads: 128,
    n_shared_experts: 1,
    num_experts: 256,
    kv_lora_rank: 512,
    q_lora_rank: 1536,
    qk_rope_head_dim: 64,
    v_head_dim: 128,
    qk_nope_head_dim: 128,
    n_group: 8,
    topk_group: 4,
    num_experts_per_tok: 8,
    first_k_dense_replace: 3,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: false,
    routed_scaling_factor: 2.5,
    norm_topk_prob: true,
  }),
  llm("deepseek_v2", ["deepseek_v2"], {
    vocab_size: 102400,
    hidden_size: 4096,
    intermediate_size: 11008,
    moe_intermediate_size: 1407,
    num_hidden_layers: 30,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    kv_lora_rank: 512,
    q_lora_rank: 1536,
    qk_rope_head_dim: 64,
    v_head_dim: 128,
    qk_nope_head_dim: 128,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    tie_word_embeddings: false,
    first_k_dense_replace: 0,
  }),
  llm("phi3", ["phi3"], {
    vocab_size: 32064,
    hidden_size: 3072,
    intermediate_size: 8192,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: kvFromHeads,
    hidden_act: "silu",
    rms_norm_eps: 1e-5,
    tie_word_embeddings: false,
  }),
  // Families whose configs the generic decoder aliases cover; no default table is applied (keys compared as written).
  ...[
    "glm4",
    "chatglm",
    "internlm2",
    "internlm3",
    "exaone",
    "exaone4",
    "gpt_oss",
    "minicpm",
    "baichuan",
    "mimo",
    "qwen",
    "qwen3_5",
    "olmo2",
    "olmo3",
    "stablelm",
    "gpt_neox",
    "cohere",
    "cohere2",
    "granite",
    "starcoder2",
    "hunyuan_v1_dense",
    "phi",
    "falcon",
    "gpt2",
    "gptj",
    "bloom",
    "ministral",
    "ministral3",
    "lfm2",
    "phimoe",
  ].map((id) =>
    // GPT-2 and StarCoder learn an absolute position table: its length is a weight shape there.
    llm(
      id,
      [id],
      {},
      {
        source: `${TF}/${id}/configuration_${id}.py (no defaults applied)`,
        ...(id === "gpt2" ? { identityOverride: ["max_position_embeddings"] } : {}),
      },
    ),
  ),
  {
    id: "open_clip_vision",
    markers: VISION_MARKERS,
    roles: ["vision-encoder"],
    modelTypes: [],
    aliases: OPEN_CLIP_ALIASES,
    core: ["hidden_size", "num_hidden_layers"],
    defaults: {},
    secondary: ["head_width", "mlp_ratio", "projection_dim"],
    derive: openClipDerived,
    source:
      "https://github.com/mlfoundations/open_clip/blob/main/src/open_clip/model.py (CLIPVisionCfg: head_width 64, mlp_ratio 4.0)",
  },
  {
    id: "open_clip_text",
    roles: ["text-encoder", "backbone"],
    modelTypes: [],
    aliases: OPEN_CLIP_ALIASES,
    core: ["hidden_size", "num_hidden_layers"],
    defaults: {},
    secondary: ["head_width", "mlp_ratio", "projection_dim"],
    identityOverride: ["max_position_embeddings"],
    derive: openClipDerived,
    source:
      "https://github.com/mlfoundations/open_clip/blob/main/src/open_clip/model.py (CLIPTextCfg: width 512, heads 8, mlp_ratio 4.0)",
  },
  {
    id: "clip_vision_model",
    markers: VISION_MARKERS,
    roles: ["vision-encoder"],
    modelTypes: ["clip_vision_model"],
    aliases: VIT_ALIASES,
    core: ["hidden_size", "num_hidden_layers", "patch_size"],
    defaults: {
      hidden_size: 768,
      intermediate_size: 3072,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      num_channels: 3,
      image_size: 224,
      patch_size: 32,
      hidden_act: "quick_gelu",
      layer_norm_eps: 1e-5,
      projection_dim: 512,
    },
    secondary: ["projection_dim"],
    source: `${TF}/clip/configuration_clip.py (CLIPVisionConfig)`,
  },
  {
    id: "clip_text_model",
    roles: ["text-encoder", "backbone"],
    modelTypes: ["clip_text_model"],
    aliases: { ...VIT_ALIASES, n_positions: "max_position_embeddings", context_length: "max_position_embeddings" },
    core: ["hidden_size", "num_hidden_layers", "vocab_size"],
    defaults: {
      vocab_size: 49408,
      hidden_size: 512,
      intermediate_size: 2048,
      num_hidden_layers: 12,
      num_attention_heads: 8,
      max_position_embeddings: 77,
      hidden_act: "quick_gelu",
      layer_norm_eps: 1e-5,
      projection_dim: 512,
    },
    secondary: ["projection_dim"],
    identityOverride: ["max_position_embeddings"],
    source: `${TF}/clip/configuration_clip.py (CLIPTextConfig)`,
  },
  {
    id: "siglip_vision_model",
    markers: VISION_MARKERS,
    roles: ["vision-encoder"],
    modelTypes: ["siglip_vision_model"],
    aliases: VIT_ALIASES,
    core: ["hidden_size", "num_hidden_layers", "patch_size"],
    defaults: {
      hidden_size: 768,
      intermediate_size: 3072,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      num_channels: 3,
      image_size: 224,
      patch_size: 16,
      hidden_act: "gelu_pytorch_tanh",
      layer_norm_eps: 1e-6,
    },
    source: `${TF}/siglip/configuration_siglip.py (SiglipVisionConfig)`,
  },
  {
    id: "siglip2_vision_model",
    markers: VISION_MARKERS,
    roles: ["vision-encoder"],
    modelTypes: ["siglip2_vision_model"],
    aliases: VIT_ALIASES,
    core: ["hidden_size", "num_hidden_layers", "patch_size"],
    defaults: {
      hidden_size: 768,
      intermediate_size: 3072,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      num_channels: 3,
      num_patches: 256,
      patch_size: 16,
      hidden_act: "gelu_pytorch_tanh",
      layer_norm_eps: 1e-6,
    },
    source: `${TF}/siglip2/configuration_siglip2.py (Siglip2VisionConfig)`,
  },
  {
    id: "dinov2",
    markers: VISION_MARKERS,
    roles: ["vision-encoder"],
    modelTypes: ["dinov2"],
    aliases: VIT_ALIASES,
    core: ["hidden_size", "num_hidden_layers", "patch_size"],
    defaults: {
      hidden_size: 768,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      mlp_ratio: 4,
      hidden_act: "gelu",
      layer_norm_eps: 1e-6,
      image_size: 224,
      patch_size: 14,
      num_channels: 3,
      qkv_bias: true,
      layerscale_value: 1.0,
      use_swiglu_ffn: false,
    },
    source: `${TF}/dinov2/configuration_dinov2.py`,
  },
  {
    // Qwen2-VL's ViT: `embed_dim` is the width and `hidden_size` the merger's output (the paired LLM's width).
    id: "qwen2_vl_vision",
    markers: VISION_MARKERS,
    roles: ["vision-encoder"],
    modelTypes: ["qwen2_vl"],
    core: ["embed_dim", "depth"],
    aliases: {
      num_hidden_layers: "depth",
      num_heads: "num_heads",
      num_attention_heads: "num_heads",
      in_chans: "in_channels",
      num_channels: "in_channels",
      width: "embed_dim",
    },
    defaults: {
      depth: 32,
      embed_dim: 1280,
      hidden_act: "quick_gelu",
      mlp_ratio: 4,
      num_heads: 16,
      in_channels: 3,
      patch_size: 14,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
    },
    ignore: ["hidden_size"],
    source: `${TF}/qwen2_vl/configuration_qwen2_vl.py (Qwen2VLVisionConfig)`,
  },
  {
    id: "qwen2_5_vl_vision",
    markers: VISION_MARKERS,
    roles: ["vision-encoder"],
    modelTypes: ["qwen2_5_vl", "qwen2_5_vl_vision", "qwen2_5_omni_vision_encoder"],
    core: ["hidden_size", "depth"],
    aliases: {
      num_hidden_layers: "depth",
      num_attention_heads: "num_heads",
      in_chans: "in_channels",
      num_channels: "in_channels",
      embed_dim: "hidden_size",
    },
    defaults: {
      depth: 32,
      hidden_size: 3584,
      hidden_act: "silu",
      intermediate_size: 3420,
      num_heads: 16,
      in_channels: 3,
      patch_size: 14,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
      window_size: 112,
      fullatt_block_indexes: [7, 15, 23, 31],
    },
    ignore: ["out_hidden_size"],
    source: `${TF}/qwen2_5_vl/configuration_qwen2_5_vl.py (Qwen2_5_VLVisionConfig)`,
  },
  {
    id: "whisper_encoder",
    markers: AUDIO_MARKERS,
    roles: ["audio-encoder"],
    modelTypes: ["whisper"],
    aliases: AUDIO_ALIASES,
    core: ["d_model", "encoder_layers"],
    defaults: {
      num_mel_bins: 80,
      encoder_layers: 4,
      encoder_attention_heads: 6,
      encoder_ffn_dim: 1536,
      d_model: 384,
      activation_function: "gelu",
      max_source_positions: 1500,
    },
    source: `${TF}/whisper/configuration_whisper.py (WhisperConfig, encoder keys)`,
  },
  {
    id: "qwen2_audio_encoder",
    markers: AUDIO_MARKERS,
    roles: ["audio-encoder"],
    modelTypes: ["qwen2_audio_encoder", "qwen2_5_omni_audio_encoder"],
    aliases: AUDIO_ALIASES,
    core: ["d_model", "encoder_layers"],
    defaults: {
      num_mel_bins: 128,
      encoder_layers: 32,
      encoder_attention_heads: 20,
      encoder_ffn_dim: 5120,
      d_model: 1280,
      activation_function: "gelu",
      max_source_positions: 1500,
    },
    source: `${TF}/qwen2_audio/configuration_qwen2_audio.py (Qwen2AudioEncoderConfig)`,
  },
  {
    id: "t5_encoder",
    markers: T5_MARKERS,
    roles: ["text-encoder", "backbone"],
    modelTypes: ["t5", "umt5"],
    core: ["d_model", "num_layers", "d_ff"],
    aliases: {
      hidden_size: "d_model",
      num_hidden_layers: "num_layers",
      intermediate_size: "d_ff",
      num_attention_heads: "num_heads",
      layer_norm_eps: "layer_norm_epsilon",
    },
    defaults: {
      vocab_size: 32128,
      d_model: 512,
      d_kv: 64,
      d_ff: 2048,
      num_layers: 6,
      num_heads: 8,
      relative_attention_num_buckets: 32,
      relative_attention_max_distance: 128,
      layer_norm_epsilon: 1e-6,
      feed_forward_proj: "relu",
    },
    source: `${TF}/t5/configuration_t5.py`,
  },
];

/**
 * Families with no table row: generic aliases (ViT spellings for vision and CLIP-style families, decoder spellings
 * otherwise), no defaults, width and depth as core.
 */
export function genericFamily(id: string): ConfigFamily {
  const vit = /vision|vit|clip|siglip|dino|image/.test(id);
  const audio = /audio|whisper|speech|wav2vec|hubert/.test(id);
  return {
    id,
    roles: [],
    modelTypes: [id],
    aliases: vit ? VIT_ALIASES : LLM_ALIASES,
    defaults: {},
    core: ["hidden_size", "num_hidden_layers"],
    ...(vit ? { markers: VISION_MARKERS } : audio ? { markers: AUDIO_MARKERS } : {}),
    source: "(no table row: keys compared as written, generic aliases)",
  };
}

/** Family ids written in entries that share another row's key table (DeepSeek's reference-inference configs). */
const SAME_TABLE: Record<string, string> = { deepseek_inference: "deepseek_v3" };

const BY_ID = new Map(FAMILIES.map((f) => [f.id, f]));
const GENERIC = new Map<string, ConfigFamily>();

/**
 * The family of an entry: its `family`, else the row that declares its first `model_type` for its role (an entry
 * written before `family` existed), else the generic row.
 */
export function familyOfEntry(e: {
  family?: string;
  role: ComponentRole;
  match?: { modelTypes?: string[] };
}): ConfigFamily {
  if (e.family) return familyFor(e.family);
  const mt = e.match?.modelTypes?.[0];
  const row = mt
    ? FAMILIES.find((f) => f.modelTypes.includes(mt) && (f.roles.length === 0 || f.roles.includes(e.role)))
    : undefined;
  return row ?? familyFor(mt);
}

/** The family row for an id, or the generic row (one object per id). */
export function familyFor(id: string | undefined): ConfigFamily {
  const key = id ?? "generic";
  const row = BY_ID.get(SAME_TABLE[key] ?? key);
  if (row) return row;
  let g = GENERIC.get(key);
  if (!g) GENERIC.set(key, (g = genericFamily(key)));
  return g;
}
