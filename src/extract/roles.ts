/**
 * The role-key table: names of keys, keyword arguments, command-line flags and variables whose value names one part
 * of a model product (a vision tower, an audio encoder, a text encoder, the LLM backbone, ...). A reference found
 * under such a name gives its node that role, whatever extractor found it (a YAML key, a `--flag`, a `name=` keyword,
 * an assignment `vision_path = "..."`, `args.audio_model`, `cfg.get("image_encoder_path")`).
 *
 * One table for every extractor: add a row here (with the framework that uses the name) rather than a private map.
 * Names are compared after {@link normaliseKey}: lower case, `-` and camelCase humps as `_`, leading dashes and
 * object prefixes (`self.`, `args.`, `cfg.model.`) dropped. A name not in the table is tried again without a
 * trailing path/id suffix (`_name_or_path`, `_path`, `_id`, `_name`, `_ckpt`, `_dir`, ...), so `vision_tower_path`
 * and `audio_model_id` need no rows of their own.
 *
 * Sources of the names (the frameworks' own argument and config names):
 * LLaVA `ModelArguments` / config (`vision_tower`, `mm_vision_tower`, `mm_projector_type`),
 * https://github.com/haotian-liu/LLaVA/blob/main/llava/train/train.py;
 * LAVIS / MiniGPT-4 / Video-LLaMA configs (`vit_model`, `q_former_model`, `llama_model`, `imagebind_ckpt_path`),
 * https://github.com/salesforce/LAVIS; TinyLLaVA-Factory (`vision_tower`, `llm_model_name_or_path`, `connector_type`);
 * InternVL / Ola / VITA style trainers (`vision_path`, `llm_path`, `audio_model`, `speech_encoder`);
 * diffusers pipelines (`text_encoder`, `text_encoder_2`, `image_encoder`, `vae`, `unet`, `controlnet`),
 * https://huggingface.co/docs/diffusers/api/pipelines/overview; IP-Adapter (`image_encoder_path`, `ip_ckpt`);
 * Qwen2-Audio / SALMONN / WavLLM (`whisper_path`, `beats_path`, `audio_encoder`); F5-/CosyVoice-style TTS
 * (`vocoder`, `vocoder_name`, `mel_spec`); sentence-transformers / LangChain (`embed_model`, `embedding_model`,
 * `reranker`, `rerank_model`).
 */
import type { ComponentRole } from "../model/types.js";

/** One row of the table: a key name (already normalised), the role it gives, and who uses the name. */
export interface RoleKeyRow {
  key: string;
  role: ComponentRole;
  /** Frameworks or projects known to use the name (documentation only). */
  usedBy: string;
}

/** The table. Keys are normalised ({@link normaliseKey}); keep rows grouped by role. */
export const ROLE_KEYS: readonly RoleKeyRow[] = [
  // Vision encoders (vision towers).
  { key: "vision_tower", role: "vision-encoder", usedBy: "LLaVA, TinyLLaVA, ShareGPT4V, Bunny" },
  { key: "mm_vision_tower", role: "vision-encoder", usedBy: "LLaVA config.json" },
  { key: "vision_tower_name", role: "vision-encoder", usedBy: "LLaVA forks" },
  { key: "image_tower", role: "vision-encoder", usedBy: "Video-LLaVA, LanguageBind" },
  { key: "mm_image_tower", role: "vision-encoder", usedBy: "Video-LLaVA" },
  { key: "video_tower", role: "vision-encoder", usedBy: "Video-LLaVA" },
  { key: "mm_video_tower", role: "vision-encoder", usedBy: "Video-LLaVA" },
  { key: "vision_path", role: "vision-encoder", usedBy: "InternVL, Ola" },
  { key: "vision_model", role: "vision-encoder", usedBy: "transformers VisionEncoderDecoder, many VLM trainers" },
  { key: "vision_encoder", role: "vision-encoder", usedBy: "MiniCPM-V, OpenFlamingo" },
  { key: "visual_encoder", role: "vision-encoder", usedBy: "LAVIS, mPLUG-Owl" },
  { key: "vision_backbone", role: "vision-encoder", usedBy: "Prismatic VLMs, OpenVLA" },
  { key: "vit_model", role: "vision-encoder", usedBy: "LAVIS, MiniGPT-4, Video-LLaMA" },
  { key: "vit_path", role: "vision-encoder", usedBy: "VLM trainers" },
  { key: "vit", role: "vision-encoder", usedBy: "VLM trainers" },
  { key: "eva_model_name", role: "vision-encoder", usedBy: "EVA-CLIP based VLMs" },
  { key: "image_encoder", role: "vision-encoder", usedBy: "diffusers (IP-Adapter, SVD), Kandinsky" },
  { key: "image_encoder_path", role: "vision-encoder", usedBy: "IP-Adapter, InstantID" },
  { key: "image_encoder_folder", role: "vision-encoder", usedBy: "diffusers load_ip_adapter" },
  { key: "clip_vision_model", role: "vision-encoder", usedBy: "IP-Adapter, ComfyUI" },
  { key: "clip_vision", role: "vision-encoder", usedBy: "ComfyUI" },
  { key: "vision_model_name", role: "vision-encoder", usedBy: "VLM trainers" },
  { key: "vision_tower_pretrained", role: "vision-encoder", usedBy: "LLaVA-NeXT" },
  { key: "siglip_path", role: "vision-encoder", usedBy: "VLM trainers" },
  { key: "clip_path", role: "vision-encoder", usedBy: "VLM trainers" },
  { key: "dino_path", role: "vision-encoder", usedBy: "VLM trainers" },
  // Audio encoders.
  { key: "audio_model", role: "audio-encoder", usedBy: "Ola, VITA, omni trainers" },
  { key: "audio_encoder", role: "audio-encoder", usedBy: "Qwen2-Audio style, SALMONN" },
  { key: "audio_tower", role: "audio-encoder", usedBy: "Qwen2-Audio, LLaVA-style audio forks" },
  { key: "mm_audio_tower", role: "audio-encoder", usedBy: "audio LLaVA forks" },
  { key: "audio_path", role: "audio-encoder", usedBy: "omni trainers" },
  { key: "speech_encoder", role: "audio-encoder", usedBy: "LLaMA-Omni, SpeechGPT" },
  { key: "speech_tower", role: "audio-encoder", usedBy: "speech LLMs" },
  { key: "mm_speech_encoder", role: "audio-encoder", usedBy: "LLaMA-Omni" },
  { key: "whisper_model", role: "audio-encoder", usedBy: "SALMONN, speech LLMs" },
  { key: "whisper_path", role: "audio-encoder", usedBy: "SALMONN" },
  { key: "beats_path", role: "audio-encoder", usedBy: "SALMONN" },
  { key: "imagebind_ckpt", role: "audio-encoder", usedBy: "Video-LLaMA (ImageBind audio branch)" },
  { key: "audio_encoder_path", role: "audio-encoder", usedBy: "audio LLMs" },
  // Text encoders (diffusion, CLIP text towers).
  { key: "text_encoder", role: "text-encoder", usedBy: "diffusers" },
  { key: "text_encoder_2", role: "text-encoder", usedBy: "diffusers SDXL" },
  { key: "text_encoder_3", role: "text-encoder", usedBy: "diffusers SD3" },
  { key: "t5_encoder", role: "text-encoder", usedBy: "diffusion trainers (PixArt, Flux)" },
  { key: "clip_text_model", role: "text-encoder", usedBy: "diffusion trainers" },
  { key: "text_tower", role: "text-encoder", usedBy: "open_clip" },
  // LLM backbones.
  { key: "llm_path", role: "backbone", usedBy: "InternVL, Ola" },
  { key: "llm_model", role: "backbone", usedBy: "LAVIS, VLM trainers" },
  { key: "llama_model", role: "backbone", usedBy: "MiniGPT-4, Video-LLaMA" },
  { key: "language_model", role: "backbone", usedBy: "VLM trainers" },
  { key: "llm_model_name_or_path", role: "backbone", usedBy: "TinyLLaVA-Factory" },
  { key: "text_model_id", role: "backbone", usedBy: "VLM configs" },
  { key: "llm_model_id", role: "backbone", usedBy: "VLM configs" },
  { key: "lm_model", role: "backbone", usedBy: "VLM trainers" },
  // Projectors, Q-Formers, connectors.
  { key: "q_former_model", role: "projector", usedBy: "LAVIS, MiniGPT-4, Video-LLaMA" },
  { key: "qformer_model", role: "projector", usedBy: "LAVIS forks" },
  { key: "pretrain_mm_mlp_adapter", role: "projector", usedBy: "LLaVA" },
  { key: "mm_projector", role: "projector", usedBy: "LLaVA forks" },
  { key: "mmproj", role: "projector", usedBy: "llama.cpp" },
  // Tokenizers.
  { key: "tokenizer", role: "tokenizer", usedBy: "transformers" },
  { key: "tokenizer_name", role: "tokenizer", usedBy: "transformers examples" },
  // Adapters.
  { key: "lora_weights", role: "adapter", usedBy: "alpaca-lora, PEFT scripts" },
  { key: "lora_path", role: "adapter", usedBy: "PEFT scripts" },
  { key: "adapter_name_or_path", role: "adapter", usedBy: "LLaMA-Factory" },
  { key: "peft_model", role: "adapter", usedBy: "PEFT scripts" },
  { key: "ip_ckpt", role: "adapter", usedBy: "IP-Adapter" },
  { key: "ip_adapter", role: "adapter", usedBy: "diffusers load_ip_adapter" },
  { key: "face_adapter", role: "adapter", usedBy: "InstantID" },
  // Diffusion parts.
  { key: "vae", role: "vae", usedBy: "diffusers" },
  { key: "vae_model", role: "vae", usedBy: "diffusion trainers" },
  { key: "unet", role: "diffusion", usedBy: "diffusers" },
  { key: "controlnet", role: "diffusion", usedBy: "diffusers ControlNet pipelines" },
  { key: "controlnet_model", role: "diffusion", usedBy: "diffusers ControlNet scripts" },
  // Audio decoders (vocoders, codecs).
  { key: "vocoder", role: "audio-decoder", usedBy: "TTS stacks (F5-TTS, CosyVoice, SpeechT5)" },
  { key: "vocoder_name", role: "audio-decoder", usedBy: "F5-TTS" },
  { key: "vocoder_path", role: "audio-decoder", usedBy: "TTS stacks" },
  { key: "codec_model", role: "audio-decoder", usedBy: "codec-based TTS" },
  // Embedding and reranking models.
  { key: "embed_model", role: "embedding", usedBy: "LlamaIndex" },
  { key: "embedding_model", role: "embedding", usedBy: "LangChain apps, RAG stacks" },
  { key: "embeddings_model", role: "embedding", usedBy: "RAG apps" },
  { key: "embedding_model_name", role: "embedding", usedBy: "RAG apps" },
  { key: "sentence_transformer", role: "embedding", usedBy: "RAG apps" },
  { key: "reranker", role: "reranker", usedBy: "RAG apps, FlagEmbedding" },
  { key: "reranker_model", role: "reranker", usedBy: "RAG apps" },
  { key: "rerank_model", role: "reranker", usedBy: "RAG apps" },
  { key: "cross_encoder", role: "reranker", usedBy: "sentence-transformers apps" },
];

const BY_KEY: ReadonlyMap<string, ComponentRole> = new Map(ROLE_KEYS.map((r) => [r.key, r.role]));

/** Suffixes that name where a part lies rather than what it is (tried off one at a time, longest first). */
const LOCATOR_SUFFIXES = [
  "_name_or_path",
  "_pretrained_path",
  "_model_path",
  "_ckpt_path",
  "_checkpoint",
  "_path",
  "_name",
  "_id",
  "_ckpt",
  "_dir",
  "_repo",
  "_file",
  "_weights",
];

/**
 * A key as the table spells it: the last name of a dotted or subscripted access (`args.vision_tower`,
 * `cfg["model"]["vit_model"]`, `--vision-tower`, `/model/vision_tower` as a JSON pointer), camelCase humps and
 * dashes as `_`, lower case. Returns "" for text that holds no name.
 */
export function normaliseKey(name: string): string {
  const last = name
    .trim()
    .replace(/\(\s*\)$/, "")
    .split(/[./[\]'"\s]+|\(|\)|,/)
    .filter((s) => /[A-Za-z]/.test(s))
    .pop();
  if (!last) return "";
  return last
    .replace(/^-+/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
}

/**
 * The role a key name gives the model it names, or undefined when the table has none. Tries the normalised name,
 * then the name without one locator suffix (`vision_tower_path` -> `vision_tower`).
 */
export function roleOfKey(name: string): ComponentRole | undefined {
  const k = normaliseKey(name);
  if (!k) return undefined;
  const direct = BY_KEY.get(k);
  if (direct) return direct;
  for (const s of LOCATOR_SUFFIXES) {
    if (k.endsWith(s) && k.length > s.length) {
      const hit = BY_KEY.get(k.slice(0, -s.length));
      if (hit) return hit;
    }
  }
  return roleOfTail(k);
}

/** Two-word rows by length, longest first: a name ending in one (`clip_vision_tower`) plays its part. */
const TAIL_ROWS: readonly RoleKeyRow[] = ROLE_KEYS.filter((r) => r.key.includes("_") && !/\d$/.test(r.key)).sort(
  (a, b) => b.key.length - a.key.length,
);

/**
 * The role of a name that ends in a multi-word row of the table after a qualifier: `clip_vision_tower`,
 * `siglip_vision_model` and the class `CLIPVisionTower` are vision towers, `whisper_audio_encoder` an audio encoder.
 * One-word rows (`vit`, `vae`, `tokenizer`) are matched whole only: as a tail they would take too much.
 */
function roleOfTail(k: string): ComponentRole | undefined {
  for (const r of TAIL_ROWS) if (k.endsWith(`_${r.key}`)) return r.role;
  return undefined;
}

/**
 * The names under which a reference was written, nearest first: the keyword, flag or key it was the value of, the
 * variable it was assigned to, the expression it was read from, the last segment of its JSON pointer. Reads the
 * reference's `facts` (`keyword`, `flag`, `key`, `variable`, `expression`, `settingsKey`, `constructs`) and
 * `location.pointer`.
 */
export function contextNames(ref: {
  facts?: Record<string, string | number | boolean>;
  location: { pointer?: string };
}): string[] {
  const f = ref.facts ?? {};
  const out: string[] = [];
  // `constructs`: the class a value is passed to (`CLIPVisionTower(model_name=...)`) says what it builds.
  for (const k of [
    "keyword",
    "flag",
    "cliFlag",
    "key",
    "argument",
    "variable",
    "field",
    "settingsKey",
    "expression",
    "constructs",
  ]) {
    const v = f[k];
    if (typeof v === "string" && v.length <= 200) out.push(v);
  }
  const p = ref.location.pointer;
  if (p) {
    // The last named segment: `/model/vision_tower` and `/model/vision_tower/0` (a list of towers) both say vision.
    const segs = p.split("/").filter((s) => s !== "" && !/^\d+$/.test(s));
    const last = segs.pop();
    if (last) out.push(last.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  return out;
}

/**
 * The role the context of a reference gives it (first name of {@link contextNames} that the table knows), or
 * undefined.
 */
export function roleFromContext(ref: {
  facts?: Record<string, string | number | boolean>;
  location: { pointer?: string };
}): ComponentRole | undefined {
  for (const n of contextNames(ref)) {
    const r = roleOfKey(n);
    if (r) return r;
  }
  return undefined;
}
