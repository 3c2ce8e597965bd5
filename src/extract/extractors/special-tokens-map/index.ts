/**
 * `special_tokens_map.json` (transformers `save_pretrained`): the BOS / EOS / UNK / PAD tokens and the additional
 * special tokens. They are a tokenizer-family hint (`<|begin_of_text|>` is Llama 3's, `<|im_start|>` ChatML's):
 * yielded as facts of the folder's model (`specialTokens.bos`, ..., `tokenFamilies`), never as a reference.
 */
import { dirOf, isDiagnostic, readMapDocument } from "../../helpers.js";
import { tokenContent, tokenFamilies } from "../../token-hints.js";
import type { Extractor, ExtractOutput, FolderFacts } from "../../types.js";

const ID = "special-tokens-map";

export const specialTokensMapExtractor: Extractor = {
  id: ID,
  description: "special_tokens_map.json: BOS/EOS/UNK/PAD and additional special tokens as tokenizer-family hints",
  matches(_path, base) {
    return base === "special_tokens_map.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, "special_tokens_map.json");
    if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
    const facts: NonNullable<FolderFacts["facts"]> = {};
    const all: string[] = [];
    for (const [k, v] of Object.entries(parsed.data)) {
      if (Array.isArray(v)) {
        const list = v.map(tokenContent).filter((t): t is string => t !== undefined);
        all.push(...list);
        if (list.length) facts[`specialTokens.${k}`] = list.slice(0, 64);
        continue;
      }
      const t = tokenContent(v);
      if (t === undefined) continue;
      all.push(t);
      facts[`specialTokens.${k.replace(/_token$/, "")}`] = t;
    }
    const families = tokenFamilies(all.join("\n"));
    if (families.length) facts.tokenFamilies = families;
    return { folders: [{ dir: dirOf(file.path), location: { file: file.path, line: 1 }, facts }] };
  },
};
