/**
 * `tokenizer_config.json` (transformers `PreTrainedTokenizerBase.save_pretrained`,
 * https://huggingface.co/docs/transformers/main_classes/tokenizer): the tokenizer class, the repo it was saved from
 * (`name_or_path`, written by older transformers), the chat template, the special tokens and the added tokens
 * (`added_tokens_decoder`). Yields a `tokenizer` component that is part of the folder's model, with these as facts
 * and the family hints of `src/extract/token-hints.ts`, plus a reference for `name_or_path` and remote-code
 * `auto_map` entries that name another repo (`org/repo--module.Class`).
 */
import type { LocalComponent, ModelReference } from "../../../model/types.js";
import { folderSubject, isDiagnostic, readMapDocument, str, dirOf } from "../../helpers.js";
import { makeReference } from "../../reference.js";
import { tokenContent, tokenFamilies } from "../../token-hints.js";
import type { Extractor, ExtractOutput } from "../../types.js";
import { posix } from "node:path";

const ID = "tokenizer-config";

const SPECIAL_KEYS = [
  "bos_token",
  "eos_token",
  "unk_token",
  "pad_token",
  "cls_token",
  "sep_token",
  "mask_token",
] as const;

export const tokenizerConfigExtractor: Extractor = {
  id: ID,
  description: "tokenizer_config.json: tokenizer class, name_or_path, chat template, special and added tokens",
  matches(_path, base) {
    return base === "tokenizer_config.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, "tokenizer_config.json");
    if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
    const { data, loc } = parsed;
    const key = `${file.path}#`;
    const dir = dirOf(file.path);
    const facts: NonNullable<LocalComponent["facts"]> = {};
    const cls = str(data.tokenizer_class);
    if (cls) facts.tokenizerClass = cls;
    if (str(data.processor_class)) facts.processorClass = data.processor_class as string;
    if (Number.isSafeInteger(data.model_max_length)) facts.modelMaxLength = data.model_max_length as number;
    const specials: string[] = [];
    for (const k of SPECIAL_KEYS) {
      const t = tokenContent(data[k]);
      if (t) {
        facts[k.replace(/_token$/, "Token")] = t;
        specials.push(t);
      }
    }
    const added =
      typeof data.added_tokens_decoder === "object" && data.added_tokens_decoder !== null
        ? Object.entries(data.added_tokens_decoder as Record<string, unknown>)
        : [];
    if (added.length) {
      facts.addedTokenCount = added.length;
      const special = added
        .filter(([, v]) => (v as { special?: unknown })?.special === true)
        .map(([id, v]) => `${tokenContent(v) ?? "?"}=${id}`);
      if (special.length) facts.specialTokens = special.slice(0, 64);
      for (const [, v] of added) specials.push(tokenContent(v) ?? "");
    }
    if (Array.isArray(data.additional_special_tokens))
      specials.push(...data.additional_special_tokens.map((t) => tokenContent(t) ?? ""));
    const template =
      typeof data.chat_template === "string"
        ? data.chat_template
        : Array.isArray(data.chat_template)
          ? JSON.stringify(data.chat_template)
          : undefined;
    if (template) facts.chatTemplate = true;
    const families = tokenFamilies(`${specials.join("\n")}\n${template ?? ""}`);
    if (families.length) facts.tokenFamilies = families;
    const component: LocalComponent = {
      key,
      role: "tokenizer",
      name: dir === "" ? "tokenizer" : `${posix.basename(dir)}/tokenizer`,
      location: { file: file.path, line: 1, column: 1, pointer: "" },
      parent: folderSubject(file.path),
      facts,
    };
    const references: ModelReference[] = [];
    for (const k of ["name_or_path", "_name_or_path"]) {
      const v = str(data[k]);
      if (!v) continue;
      const ref = makeReference({
        extractor: ID,
        raw: v,
        location: loc([k]),
        relation: "initialised-from",
        role: "tokenizer",
        subject: key,
        baseDir: dir,
      });
      if (ref.kind !== "known-component" && !(ref.kind === "local-path" && (ref.target === dir || ref.target === "")))
        references.push(ref);
    }
    if (typeof data.auto_map === "object" && data.auto_map !== null) {
      for (const [cls2, target] of Object.entries(data.auto_map as Record<string, unknown>)) {
        (Array.isArray(target) ? target : [target]).forEach((t, i) => {
          if (typeof t !== "string" || !t.includes("--")) return;
          references.push(
            makeReference({
              extractor: ID,
              raw: t.split("--")[0]!,
              location: loc(Array.isArray(target) ? ["auto_map", cls2, i] : ["auto_map", cls2]),
              relation: "same-architecture",
              role: "tokenizer",
              subject: key,
              facts: { remoteCode: true, autoMapClass: cls2, autoMapValue: t },
            }),
          );
        });
      }
    }
    return { components: [component], references };
  },
};
