/**
 * `generation_config.json` (transformers `GenerationConfig.save_pretrained`,
 * https://huggingface.co/docs/transformers/main_classes/text_generation): the BOS / EOS / PAD token ids and the
 * decoding defaults. The ids identify the vocabulary layout (Qwen2's 151643/151645, Llama 3.1's 128000/128009):
 * yielded as facts of the folder's model (`generation.bos_token_id`, ...).
 */
import { dirOf, isDiagnostic, readMapDocument } from "../../helpers.js";
import type { Extractor, ExtractOutput, FolderFacts } from "../../types.js";

const ID = "generation-config";

const KEYS = ["bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id", "transformers_version"];

export const generationConfigExtractor: Extractor = {
  id: ID,
  description: "generation_config.json: BOS/EOS/PAD token ids as facts of the folder's model",
  matches(_path, base) {
    return base === "generation_config.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, "generation_config.json");
    if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
    const facts: NonNullable<FolderFacts["facts"]> = {};
    for (const k of KEYS) {
      const v = parsed.data[k];
      if (typeof v === "number" || typeof v === "string") facts[`generation.${k}`] = v;
      else if (Array.isArray(v) && v.every((x) => typeof x === "number")) facts[`generation.${k}`] = v.map(String);
    }
    return { folders: [{ dir: dirOf(file.path), location: { file: file.path, line: 1 }, facts }] };
  },
};
