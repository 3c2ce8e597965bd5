/**
 * `special_tokens_map.json` (transformers `save_pretrained`): the BOS / EOS / UNK / PAD tokens and the additional
 * special tokens. They are a tokenizer-family hint (`<|begin_of_text|>` is Llama 3's, `<|im_start|>` ChatML's):
 * yielded as facts of the folder's model (`specialTokens.bos`, ..., `tokenFamilies`), never as a reference.
 * Also `added_tokens.json` (`{"<token>": id}`, written by slow tokenizers' `save_pretrained`): `addedTokens` facts.
 */
import { posix } from "node:path";
import { dirOf, isDiagnostic, readMapDocument } from "../../helpers.js";
import { tokenContent, tokenFamilies } from "../../token-hints.js";
import type { Extractor, ExtractOutput, FolderFacts } from "../../types.js";

const ID = "special-tokens-map";

export const specialTokensMapExtractor: Extractor = {
  id: ID,
  description: "special_tokens_map.json and added_tokens.json: special and added tokens as tokenizer-family hints",
  matches(_path, base) {
    return base === "special_tokens_map.json" || base === "added_tokens.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, posix.basename(file.path));
    if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
    const facts: NonNullable<FolderFacts["facts"]> = {};
    const all: string[] = [];
    if (posix.basename(file.path) === "added_tokens.json") {
      const entries = Object.entries(parsed.data).filter(([, id]) => typeof id === "number");
      facts.addedTokens = entries.slice(0, 64).map(([t, id]) => `${t}=${String(id)}`);
      const families = tokenFamilies(entries.map(([t]) => t).join("\n"));
      if (families.length) facts.tokenFamilies = families;
      return { folders: [{ dir: dirOf(file.path), location: { file: file.path, line: 1 }, attachOnly: true, facts }] };
    }
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
    return { folders: [{ dir: dirOf(file.path), location: { file: file.path, line: 1 }, attachOnly: true, facts }] };
  },
};
