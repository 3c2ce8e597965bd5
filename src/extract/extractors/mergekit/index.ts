/**
 * mergekit merge recipes (https://github.com/arcee-ai/mergekit, README "Merge Configuration" and
 * `mergekit/config.py`): `models[].model`, `slices[].sources[].model`, `base_model`, `merge_method`,
 * `tokenizer_source`, and mergekit-moe's `experts[].source_model`. Every model named is a `merge` parent of the
 * folder's model; a `model+lora` entry also names a LoRA (relation `adapter`). Recipes are found in
 * `mergekit_config.yml` (what mergekit writes beside a merged model), `*merge*.yml`, and in fenced YAML blocks of
 * model cards (LazyMergekit cards carry the recipe in their body; the model-card extractor calls
 * {@link mergekitReferences} for those).
 */
import type { ModelReference } from "../../../model/types.js";
import { parseYamlDocument, toPointer, type ParsedDocument } from "../../document.js";
import { dirOf, folderSubject, parseErrorDiagnostic } from "../../helpers.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "mergekit";

/** True when a parsed YAML map looks like a mergekit recipe. */
export function isMergekitConfig(data: unknown): data is Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  return (
    typeof d.merge_method === "string" ||
    Array.isArray(d.slices) ||
    (Array.isArray(d.models) && d.base_model !== undefined) ||
    (Array.isArray(d.experts) && d.base_model !== undefined)
  );
}

/**
 * References of one mergekit recipe.
 * @param subject the component the recipe builds (normally `folder:<dir>`); @param facts extra facts for each.
 */
export function mergekitReferences(
  doc: ParsedDocument,
  file: string,
  subject: string,
  facts: Record<string, string | number | boolean> = {},
): ModelReference[] {
  const data = doc.data as Record<string, unknown>;
  const method =
    typeof data.merge_method === "string" ? data.merge_method : Array.isArray(data.experts) ? "moe" : "unknown";
  const out: ModelReference[] = [];
  const add = (tokens: (string | number)[], value: unknown, extra: Record<string, string | number | boolean>) => {
    if (typeof value !== "string" || value.trim() === "") return;
    const pointer = toPointer(tokens);
    const location = { file, pointer, ...(doc.locate(pointer) ?? {}) };
    const [model, lora] = value.split("+", 2) as [string, string | undefined];
    const common = { extractor: ID, location, subject, baseDir: dirOf(file) };
    out.push(
      makeReference({ ...common, raw: model, relation: "merge", facts: { ...facts, mergeMethod: method, ...extra } }),
    );
    if (lora)
      out.push(
        makeReference({
          ...common,
          raw: lora,
          relation: "adapter",
          role: "adapter",
          facts: { ...facts, mergeMethod: method, loraOf: model, ...extra },
        }),
      );
  };
  if (Array.isArray(data.models))
    data.models.forEach((m, i) =>
      typeof m === "string"
        ? add(["models", i], m, {})
        : add(["models", i, "model"], (m as { model?: unknown })?.model, {}),
    );
  if (Array.isArray(data.slices)) {
    data.slices.forEach((s, i) => {
      const sources = (s as { sources?: unknown })?.sources;
      if (Array.isArray(sources))
        sources.forEach((src, j) => add(["slices", i, "sources", j, "model"], (src as { model?: unknown })?.model, {}));
    });
  }
  if (Array.isArray(data.experts))
    data.experts.forEach((e, i) =>
      add(["experts", i, "source_model"], (e as { source_model?: unknown })?.source_model, { expert: true }),
    );
  add(["base_model"], data.base_model, { mergeBase: true });
  const tok = data.tokenizer_source;
  if (typeof tok === "string" && tok.includes("/")) {
    const pointer = "/tokenizer_source";
    out.push(
      makeReference({
        extractor: ID,
        raw: tok,
        location: { file, pointer, ...(doc.locate(pointer) ?? {}) },
        relation: "initialised-from",
        role: "tokenizer",
        subject,
        baseDir: dirOf(file),
        facts: { ...facts, mergeMethod: method },
      }),
    );
  }
  return out;
}

/**
 * Splits YAML text into its `---`-separated documents and parses each mergekit recipe among them.
 * @param lineOffset lines before `text` in its file (a fenced block inside a card).
 */
export function mergekitReferencesInText(
  text: string,
  file: string,
  subject: string,
  lineOffset = 0,
  facts: Record<string, string | number | boolean> = {},
): ModelReference[] {
  const lines = text.split(/\r?\n/);
  const out: ModelReference[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !/^---\s*$/.test(lines[i]!)) continue;
    const body = lines.slice(start, i).join("\n");
    if (body.trim()) {
      try {
        const doc = parseYamlDocument(body, lineOffset + start);
        if (isMergekitConfig(doc.data)) out.push(...mergekitReferences(doc, file, subject, facts));
      } catch {
        // Not YAML, or not this document: the caller's format decides whether that deserves a diagnostic.
      }
    }
    start = i + 1;
  }
  return out;
}

export const mergekitExtractor: Extractor = {
  id: ID,
  declaresModels: true,
  holdsReferences: true,
  description: "mergekit recipes (mergekit_config.yml, *merge*.yml): merge parents, base model, method",
  matches(_path, base) {
    return /^mergekit[^/]*\.ya?ml$/i.test(base) || /merge[^/]*\.ya?ml$/i.test(base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const text = await file.text(ctx.maxTextBytes);
    let doc: ParsedDocument;
    try {
      doc = parseYamlDocument(text);
    } catch (err) {
      // A multi-document file is legal for recipes collected in one place.
      if (/multiple documents/i.test((err as Error).message))
        return { references: mergekitReferencesInText(text, file.path, folderSubject(file.path)) };
      // Only a file that reads like a recipe deserves a diagnostic; `automerge.yml` templates and the like do not.
      return /^[ \t]*(?:merge_method|slices)[ \t]*:/m.test(text)
        ? { diagnostics: [parseErrorDiagnostic(file.path, err)] }
        : {};
    }
    if (!isMergekitConfig(doc.data)) return {};
    return { references: mergekitReferences(doc, file.path, folderSubject(file.path)) };
  },
};
