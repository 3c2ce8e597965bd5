/**
 * Attribution documents: `NOTICE`, `LICENSE` / `LICENCE` / `COPYING`, `USE_POLICY` / acceptable-use files and
 * `README`s, at any depth. Model licences put duties on these files: Llama 3.1 §1.b.i ("Built with Llama" displayed,
 * a copy of the agreement) and §1.b.iii (the NOTICE line), the Gemma Terms of Use §3.1 (the NOTICE line, the use
 * restrictions passed on), the Qwen licence §4 ("Built with Qwen"). The extractor only hands their text to the
 * policy engine (`projectText` predicate); it finds no model and writes nothing to the report.
 */
import type { Extractor, ExtractOutput, ProjectDocument } from "../../types.js";

const ID = "attribution";

/** Attribution documents are small; a file past this is not read (it is not a notice). 1 MiB. */
const MAX_BYTES = 1024 * 1024;

/** Kind of an attribution document from its base name, or undefined when the file is not one. */
export function attributionKind(base: string): ProjectDocument["kind"] | undefined {
  if (/^NOTICE(?:\.(?:md|txt))?$/i.test(base)) return "notice";
  if (/^(?:LICENSE|LICENCE|COPYING)(?:[-._][\w.-]*)?$/i.test(base)) return "license";
  if (/^(?:USE_POLICY|ACCEPTABLE_USE_POLICY|PROHIBITED_USE_POLICY)(?:\.(?:md|txt))?$/i.test(base)) return "use-policy";
  if (/^README(?:[._][\w.-]*)?\.(?:md|txt|rst)$|^README$/i.test(base)) return "readme";
  return undefined;
}

export const attributionExtractor: Extractor = {
  id: ID,
  description: "Attribution documents (NOTICE, LICENSE, USE_POLICY, README): their text, for licence-duty rules",
  matches(_path, base) {
    return attributionKind(base) !== undefined;
  },
  async extract(file): Promise<ExtractOutput> {
    const kind = attributionKind(file.path.split("/").pop()!)!;
    if (file.size > MAX_BYTES)
      return {
        diagnostics: [
          {
            code: "file-too-large",
            severity: "info",
            message: `attribution document larger than ${MAX_BYTES} bytes not read`,
            location: { file: file.path },
          },
        ],
      };
    const text = await file.text(MAX_BYTES);
    return { documents: [{ file: file.path, kind, text }] };
  },
};
