/**
 * `tokenizer.json` (the `tokenizers` library's serialisation): read as a stream through the one tokenizer summary
 * reader, `src/formats/tokenizer.ts`, so files of tens of MB stay in bounded memory. Yields a `tokenizer` component
 * of the folder's model with the model type, vocabulary size, vocabulary and merges hashes, pre-tokenizer and
 * special tokens as facts (the fingerprint work compares these across checkpoints).
 */
import { posix } from "node:path";
import { readTokenizerJson, TokenizerError } from "../../../formats/tokenizer.js";
import type { LocalComponent } from "../../../model/types.js";
import { dirOf, folderSubject } from "../../helpers.js";
import { tokenFamilies } from "../../token-hints.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "tokenizer-json";

export const tokenizerJsonExtractor: Extractor = {
  id: ID,
  description: "tokenizer.json (streamed): model type, vocabulary size and hash, merges hash, special tokens",
  matches(_path, base) {
    return base === "tokenizer.json";
  },
  async extract(file): Promise<ExtractOutput> {
    const head = Buffer.from(await file.head(200)).toString("latin1");
    if (/^version https:\/\/git-lfs\.github\.com\/spec\/v1/.test(head)) {
      return {
        diagnostics: [
          {
            code: "git-lfs-pointer",
            severity: "warning",
            message: "tokenizer.json is a Git LFS pointer; the real file was not checked out",
            location: { file: file.path, line: 1 },
          },
        ],
      };
    }
    let s;
    try {
      s = await readTokenizerJson(file.stream());
    } catch (err) {
      if (err instanceof TokenizerError)
        return {
          diagnostics: [
            { code: "parse-error", severity: "error", message: err.message, location: { file: file.path } },
          ],
        };
      throw err;
    }
    const dir = dirOf(file.path);
    const facts: NonNullable<LocalComponent["facts"]> = {
      vocabSize: s.vocabSize,
      idSpace: s.idSpace,
      mergesCount: s.mergesCount,
    };
    if (s.modelType) facts.tokenizerModel = s.modelType;
    if (s.vocabHash) facts.vocabHash = s.vocabHash;
    if (s.mergesHash) facts.mergesHash = s.mergesHash;
    if (s.preTokenizer) facts.preTokenizer = s.preTokenizer;
    if (s.normalizer) facts.normalizer = s.normalizer;
    if (s.decoder) facts.decoder = s.decoder;
    if (s.specialTokens.length) facts.specialTokens = s.specialTokens.slice(0, 64).map((t) => `${t.content}=${t.id}`);
    const families = tokenFamilies(s.addedTokens.map((t) => t.content).join("\n"));
    if (families.length) facts.tokenFamilies = families;
    return {
      components: [
        {
          key: `${file.path}#`,
          role: "tokenizer",
          name: dir === "" ? "tokenizer" : `${posix.basename(dir)}/tokenizer`,
          location: { file: file.path, line: 1, column: 1, pointer: "" },
          parent: folderSubject(file.path),
          facts,
        },
      ],
    };
  },
};
