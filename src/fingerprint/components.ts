/**
 * Component prefixes: which tensors of a checkpoint belong to the vision tower, the audio tower, the projector or the
 * language model, in the legacy and the current transformers layouts (shared/research/manifests-and-apis.md, table of
 * on-disk tensor prefixes: Qwen2-VL/2.5-VL `visual.` and `model.visual.`, Qwen2.5-Omni `thinker.visual.` /
 * `thinker.audio_tower.`, LLaVA-hf `vision_tower.` / `model.vision_tower.`, Mllama/InternVL `vision_model.`,
 * MiniCPM-V `vpm.` / `apm.`, DeepSeek-VL2 `vision.`, Phi-3-vision `model.vision_embed_tokens.img_processor.`).
 * Stripping the prefix gives a relative name that is the same in both layouts, so a tower copied from one layout into
 * another still lines up tensor by tensor.
 */

/** The component kinds compared. `other` (talker, token2wav, ...) is compared only with `--component all`. */
export type { ComponentKind } from "../model/fingerprint-entry.js";
import type { ComponentKind } from "../model/fingerprint-entry.js";

/** All kinds, in report order. */
export const COMPONENT_KINDS: readonly ComponentKind[] = ["vision", "audio", "projector", "text", "other"];

/** Prefixes per kind; the longest matching prefix wins, kinds are tried in this order. */
export const COMPONENT_PREFIXES: Readonly<Record<Exclude<ComponentKind, "other">, readonly string[]>> = {
  vision: [
    "model.vision_embed_tokens.img_processor.",
    "thinker.visual.",
    "model.visual.",
    "visual.",
    "model.vision_tower.",
    "vision_tower.",
    "model.vision_model.",
    "vision_model.",
    "vpm.",
    "vision.",
  ],
  audio: [
    "thinker.audio_tower.",
    "model.audio_tower.",
    "audio_tower.",
    "model.audio_encoder.",
    "audio_encoder.",
    "apm.",
  ],
  projector: [
    "model.multi_modal_projector.",
    "multi_modal_projector.",
    "model.mm_projector.",
    "mm_projector.",
    "model.connector.",
    "resampler.",
    "mlp1.",
    "audio_projection_layer.",
    "projector.",
  ],
  text: [
    "thinker.model.",
    "model.language_model.",
    "language_model.model.",
    "language_model.",
    "llm.model.",
    "llm.",
    "model.text_model.",
    "language.model.",
    "language.",
    "thinker.",
    "model.",
  ],
};

const OTHER_PREFIXES = ["talker.", "token2wav.", "code2wav.", "tts."];

/** Where one tensor belongs. */
export interface ComponentName {
  kind: ComponentKind;
  /** The prefix removed (empty for root-level names such as `lm_head.weight`). */
  prefix: string;
  /** The name inside the component, identical across layouts. */
  relative: string;
}

/**
 * Classifies a tensor name. A name under none of the vision/audio/projector prefixes belongs to the text model (the
 * LLM is the checkpoint's default), except `talker.`/`token2wav.` parts, which are `other`.
 */
export function classifyTensor(name: string): ComponentName {
  for (const p of OTHER_PREFIXES)
    if (name.startsWith(p)) return { kind: "other", prefix: p, relative: name.slice(p.length) };
  for (const kind of ["vision", "audio", "projector"] as const) {
    for (const p of COMPONENT_PREFIXES[kind]) {
      if (!name.startsWith(p)) continue;
      let relative = name.slice(p.length);
      // LLaVA-hf nests the CLIP/SigLIP module: `vision_tower.vision_model.encoder...` lines up with a bare
      // `vision_model.encoder...` checkpoint only without the inner module name.
      if (kind === "vision" && relative.startsWith("vision_model.")) relative = relative.slice("vision_model.".length);
      return { kind, prefix: p, relative };
    }
  }
  for (const p of COMPONENT_PREFIXES.text)
    if (name.startsWith(p)) return { kind: "text", prefix: p, relative: name.slice(p.length) };
  return { kind: "text", prefix: "", relative: name };
}
