/**
 * Tokenizer-family hints: the special tokens and chat-template markers that identify the family a tokenizer (and so
 * usually the model) comes from. A hint is declared-level evidence of family only: many fine-tunes keep their base's
 * tokenizer, and some products copy another family's chat template. Each marker is copied from the family's public
 * `tokenizer_config.json` / `chat_template` on the Hub (the repo named beside it).
 */

/** One family marker. */
interface Marker {
  family: string;
  /** A string that appears in the family's special tokens or chat template. */
  token: string;
  /** Hub repo whose tokenizer_config.json carries the marker. */
  seenIn: string;
}

const MARKERS: readonly Marker[] = [
  { family: "llama3", token: "<|begin_of_text|>", seenIn: "meta-llama/Llama-3.1-8B-Instruct" },
  { family: "llama3", token: "<|start_header_id|>", seenIn: "meta-llama/Llama-3.1-8B-Instruct" },
  { family: "chatml", token: "<|im_start|>", seenIn: "Qwen/Qwen2.5-7B-Instruct" },
  { family: "qwen2-vl", token: "<|vision_start|>", seenIn: "Qwen/Qwen2.5-VL-7B-Instruct" },
  { family: "qwen", token: "<|endoftext|>", seenIn: "Qwen/Qwen2.5-7B-Instruct" },
  { family: "gemma", token: "<start_of_turn>", seenIn: "google/gemma-2-9b-it" },
  { family: "gemma", token: "<bos>", seenIn: "google/gemma-3-1b-pt" },
  { family: "gemma3", token: "<image_soft_token>", seenIn: "google/gemma-3-4b-it" },
  { family: "mistral", token: "[INST]", seenIn: "mistralai/Mistral-7B-Instruct-v0.3" },
  { family: "zephyr", token: "<|user|>", seenIn: "HuggingFaceH4/zephyr-7b-beta" },
  { family: "yi", token: "<|startoftext|>", seenIn: "01-ai/Yi-1.5-6B-Chat" },
  { family: "exaone", token: "[|endofturn|]", seenIn: "LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct" },
  { family: "deepseek", token: "<｜begin▁of▁sentence｜>", seenIn: "deepseek-ai/DeepSeek-R1" },
  { family: "phi3", token: "<|end|>", seenIn: "microsoft/Phi-3-mini-4k-instruct" },
  { family: "clip", token: "<|startoftext|>", seenIn: "openai/clip-vit-large-patch14" },
  { family: "paligemma", token: "<image>", seenIn: "google/paligemma-3b-mix-448" },
];

/**
 * Families whose markers occur in some text (special tokens joined, or a chat template), sorted and unique.
 * `<|startoftext|>` is both Yi's and CLIP's BOS: both are returned and the reader weighs them with the class name.
 */
export function tokenFamilies(text: string): string[] {
  const out = new Set<string>();
  for (const m of MARKERS) if (text.includes(m.token)) out.add(m.family);
  return [...out].sort();
}

/** The string of a special-token entry, which is either a string or an AddedToken object `{content: ...}`. */
export function tokenContent(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof (v as { content?: unknown }).content === "string")
    return (v as { content: string }).content;
  return undefined;
}
