/**
 * Tensor-name prefixes that reveal the components stored in one checkpoint: a vision tower, an audio encoder, a
 * projector, a language model. Names follow the modelling code of transformers and of the remote-code models named
 * beside each prefix; both the legacy layout (`visual.`, `language_model.model.`, `vision_tower.`) and the current
 * one transformers 4.52 introduced for multimodal models (`model.visual.`, `model.language_model.`,
 * `model.vision_tower.`, `model.multi_modal_projector.`) are listed.
 */
import type { ComponentRole } from "../model/types.js";

/** Prefix (with its trailing dot) -> role, longest first when matching. */
const PREFIXES: readonly [string, ComponentRole, string][] = [
  // [prefix, role, where it is used]
  ["thinker.visual.", "vision-encoder", "Qwen2.5-Omni / Qwen3-Omni thinker"],
  ["thinker.audio_tower.", "audio-encoder", "Qwen2.5-Omni thinker"],
  ["thinker.model.", "backbone", "Qwen2.5-Omni thinker"],
  ["talker.", "audio-decoder", "Qwen2.5-Omni talker"],
  ["token2wav.", "audio-decoder", "Qwen2.5-Omni token2wav"],
  ["model.visual.", "vision-encoder", "Qwen2-VL / Qwen2.5-VL (transformers >= 4.52)"],
  ["visual.", "vision-encoder", "Qwen2-VL / Qwen2.5-VL (legacy layout)"],
  ["model.vision_tower.", "vision-encoder", "LLaVA family (transformers >= 4.52)"],
  ["vision_tower.", "vision-encoder", "LLaVA family, TinyLLaVA (legacy layout)"],
  ["model.vision_model.", "vision-encoder", "Idefics3 / SmolVLM, Mllama"],
  ["vision_model.", "vision-encoder", "InternVL, BLIP-2, Mllama (legacy)"],
  ["model.vision_backbone.", "vision-encoder", "Molmo"],
  ["vision_backbone.", "vision-encoder", "Molmo"],
  ["vpm.", "vision-encoder", "MiniCPM-V (SigLIP)"],
  ["model.vision_encoder.", "vision-encoder", "generic"],
  ["vision_encoder.", "vision-encoder", "generic"],
  ["image_encoder.", "vision-encoder", "generic"],
  ["model.audio_tower.", "audio-encoder", "Qwen2-Audio (transformers >= 4.52)"],
  ["audio_tower.", "audio-encoder", "Qwen2-Audio, Ultravox"],
  ["audio_encoder.", "audio-encoder", "generic"],
  ["apm.", "audio-encoder", "MiniCPM-o (Whisper)"],
  ["speech_encoder.", "audio-encoder", "LLaMA-Omni"],
  ["model.multi_modal_projector.", "projector", "LLaVA family (transformers >= 4.52)"],
  ["multi_modal_projector.", "projector", "LLaVA family (legacy), Ultravox"],
  ["model.mm_projector.", "projector", "LLaVA (original code)"],
  ["mm_projector.", "projector", "LLaVA (original code)"],
  ["resampler.", "projector", "MiniCPM-V"],
  ["connector.", "projector", "TinyLLaVA, Idefics3"],
  ["mlp1.", "projector", "InternVL"],
  ["model.language_model.", "backbone", "multimodal models (transformers >= 4.52)"],
  ["language_model.", "backbone", "LLaVA family, TinyLLaVA, InternVL (legacy)"],
  ["llm.", "backbone", "MiniCPM-V"],
  ["model.transformer.", "backbone", "Molmo"],
];

/** One group of tensors under a known prefix. */
export interface PrefixGroup {
  prefix: string;
  role: ComponentRole;
  /** Tensor names in the group, in the order given. */
  tensors: string[];
}

/** The known prefix a tensor name starts with (the longest), or undefined. */
export function knownPrefix(name: string): { prefix: string; role: ComponentRole } | undefined {
  let best: [string, ComponentRole, string] | undefined;
  for (const p of PREFIXES) if (name.startsWith(p[0]) && (!best || p[0].length > best[0].length)) best = p;
  return best ? { prefix: best[0], role: best[1] } : undefined;
}

/**
 * Groups tensor names by known prefix. Only multimodal checkpoints yield groups: a plain language model
 * (`model.layers.*`, `lm_head.*`) has no sub-components, so its `backbone`-only groups are dropped.
 */
export function groupByPrefix(names: readonly string[]): PrefixGroup[] {
  const groups = new Map<string, PrefixGroup>();
  for (const n of names) {
    const k = knownPrefix(n);
    if (!k) continue;
    const g = groups.get(k.prefix) ?? { prefix: k.prefix, role: k.role, tensors: [] };
    g.tensors.push(n);
    groups.set(k.prefix, g);
  }
  const out = [...groups.values()].sort((a, b) => a.prefix.localeCompare(b.prefix));
  return out.some((g) => g.role !== "backbone") ? out : [];
}

/** Checkpoint layout: `current` when a multimodal prefix sits under `model.` (transformers >= 4.52), else `legacy`. */
export function checkpointLayout(groups: readonly PrefixGroup[]): "current" | "legacy" | undefined {
  if (groups.length === 0) return undefined;
  return groups.some((g) =>
    /^model\.(?:visual|vision_tower|language_model|multi_modal_projector|audio_tower)\.$/.test(g.prefix),
  )
    ? "current"
    : "legacy";
}

/** Top-level name prefixes (first two segments for `model.*`, else the first), sorted: a compact layout summary. */
export function topLevelPrefixes(names: readonly string[]): string[] {
  const s = new Set<string>();
  for (const n of names) {
    const parts = n.split(".");
    s.add(parts[0] === "model" && parts.length > 2 ? `${parts[0]}.${parts[1]}` : parts[0]!);
  }
  return [...s].sort();
}
