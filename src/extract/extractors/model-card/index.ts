/**
 * Model cards: `README.md` with YAML front matter (Hub model-card metadata,
 * https://huggingface.co/docs/hub/model-cards#model-card-metadata). The front matter may sit anywhere in the file
 * (some cards put it at the end, some after a blank line). Yields the folder's declared licence and its
 * `base_model` references (string, list, `[]` or null) with `base_model_relation`, plus the legacy `finetuned_from`.
 */
import { posix } from "node:path";
import type { Evidence, ModelReference, Relation } from "../../../model/types.js";
import { parseYamlDocument, toPointer, type ParsedDocument } from "../../document.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput, FolderFacts } from "../../types.js";
import { mergekitReferencesInText } from "../mergekit/index.js";
import { cardRelation } from "../../../model/relations.js";

const ID = "model-card";

/** Keys that make a YAML block a model card's metadata rather than some other document. */
const CARD_KEYS = [
  "license",
  "base_model",
  "tags",
  "pipeline_tag",
  "library_name",
  "language",
  "datasets",
  "model-index",
  "license_name",
  "base_model_relation",
  "inference",
  "widget",
  "finetuned_from",
  "model_name",
  "extra_gated_prompt",
];

/** A front-matter block: its parsed document and the line it starts on (1-based, first content line). */
export interface FrontMatter {
  doc: ParsedDocument;
  data: Record<string, unknown>;
  startLine: number;
  leadingBlankLines: boolean;
}

/**
 * Finds the YAML metadata block of a card: the first `---`-fenced block anywhere in the text that parses to a map
 * holding at least one model-card key. Returns undefined when there is none.
 * @throws DocumentParseError when a fenced block has card keys but is not valid YAML.
 */
export function findFrontMatter(text: string): FrontMatter | undefined {
  const lines = text.split(/\r?\n/);
  const fences: number[] = [];
  lines.forEach((l, i) => {
    if (/^---\s*$/.test(l)) fences.push(i);
  });
  let firstError: Error | undefined;
  for (let f = 0; f + 1 < fences.length; f++) {
    const start = fences[f]!;
    const end = fences[f + 1]!;
    const body = lines.slice(start + 1, end).join("\n");
    if (!CARD_KEYS.some((k) => new RegExp(`^${k}\\s*:`, "m").test(body))) continue;
    try {
      const doc = parseYamlDocument(body, start + 1);
      if (typeof doc.data === "object" && doc.data !== null && !Array.isArray(doc.data)) {
        return {
          doc,
          data: doc.data as Record<string, unknown>,
          startLine: start + 2,
          leadingBlankLines: lines.slice(0, start).some((l) => l.trim() === "") && start > 0,
        };
      }
    } catch (err) {
      firstError ??= err as Error;
    }
  }
  if (firstError) throw firstError;
  return undefined;
}

/** Licence of a card as one string: the SPDX-style id, or `other:<license_name>` for custom licences. */
export function cardLicense(data: Record<string, unknown>): string | undefined {
  const lic = Array.isArray(data.license)
    ? data.license.filter((x) => typeof x === "string").join(" AND ")
    : typeof data.license === "string"
      ? data.license
      : undefined;
  const name = typeof data.license_name === "string" ? data.license_name : undefined;
  if (lic === "other" && name) return `other:${name}`;
  return lic ?? (name ? `other:${name}` : undefined);
}

export const modelCardExtractor: Extractor = {
  id: ID,
  declaresModels: true,
  description: "Model cards (README.md YAML front matter): base_model, base_model_relation, license",
  matches(_path, base) {
    return /^(?:README|MODEL_CARD|MODELCARD)(?:_[a-z]{2})?\.md$/i.test(base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const text = await file.text(ctx.maxTextBytes);
    const dir = posix.dirname(file.path) === "." ? "" : posix.dirname(file.path);
    let fm: FrontMatter | undefined;
    try {
      fm = findFrontMatter(text);
    } catch (err) {
      // Metadata that names a base model but does not parse leaves the model's lineage undetermined.
      return {
        folders: [{ dir, location: { file: file.path, line: (err as { line?: number }).line ?? 1 }, unparsable: true }],
        diagnostics: [
          {
            code: "parse-error",
            severity: "error",
            message: `model card front matter: ${(err as Error).message}`,
            location: {
              file: file.path,
              ...((err as { line?: number }).line ? { line: (err as { line: number }).line } : {}),
            },
          },
        ],
      };
    }
    const recipes = fencedMergekitReferences(text, file.path, `folder:${dir}`);
    if (!fm) {
      // An opening fence on the first line that is never closed: the Hub would not read this metadata either.
      if (
        /^---\s*\r?\n/.test(text) &&
        /^(?:base_model|license)\s*:/m.test(text.split(/\r?\n/).slice(1, 200).join("\n"))
      ) {
        return {
          folders: [{ dir, location: { file: file.path, line: 1 }, unparsable: true }],
          diagnostics: [
            {
              code: "front-matter-unclosed",
              severity: "error",
              message:
                "model card front matter opens with '---' on line 1 but is never closed; its metadata could not be read",
              location: { file: file.path, line: 1 },
            },
          ],
        };
      }
      return recipes.length ? { references: recipes } : {};
    }
    const subject = `folder:${dir}`;
    const data = fm.data;
    const references: ModelReference[] = [];
    const loc = (tokens: (string | number)[]) => {
      const pointer = toPointer(tokens);
      return { file: file.path, pointer, ...(fm!.doc.locate(pointer) ?? { line: fm!.startLine }) };
    };
    const declaredRelation = cardRelation(data.base_model_relation);
    const tags = Array.isArray(data.tags) ? data.tags.filter((t): t is string => typeof t === "string") : [];
    const bases: { raw: string; tokens: (string | number)[] }[] = [];
    const diagnostics: NonNullable<ExtractOutput["diagnostics"]> = [];
    let badBase = false;
    const wrongType = (tokens: (string | number)[], v: unknown): void => {
      badBase = true;
      diagnostics.push({
        code: "unsupported-value",
        severity: "error",
        message: `${tokens.join(".")} should be a Hub model id (a string), found ${JSON.stringify(v)}; the base model is undetermined`,
        location: loc(tokens),
      });
    };
    if (typeof data.base_model === "string") bases.push({ raw: data.base_model, tokens: ["base_model"] });
    else if (Array.isArray(data.base_model))
      data.base_model.forEach((b, i) =>
        typeof b === "string" ? bases.push({ raw: b, tokens: ["base_model", i] }) : wrongType(["base_model", i], b),
      );
    else if (data.base_model !== undefined && data.base_model !== null) wrongType(["base_model"], data.base_model);
    if (typeof data.finetuned_from === "string") bases.push({ raw: data.finetuned_from, tokens: ["finetuned_from"] });
    // The Hub infers the relation when it is absent; a mergekit card with several bases is a merge.
    const inferred: Relation =
      tags.some((t) => /^(?:merge|mergekit)$/i.test(t)) && bases.length > 1
        ? "merge"
        : tags.includes("peft") || data.library_name === "peft"
          ? "adapter"
          : "finetune";
    for (const b of bases) {
      references.push(
        makeReference({
          extractor: ID,
          raw: b.raw,
          location: loc(b.tokens),
          relation: declaredRelation ?? inferred,
          subject,
          baseDir: dir,
          ...(declaredRelation ? {} : { facts: { relationInferred: true } }),
        }),
      );
    }
    const license = cardLicense(data);
    const folder: FolderFacts = {
      dir,
      location: { file: file.path, line: fm.startLine },
      ...(license ? { license, licenseLocation: loc(["license"]) } : {}),
      ...(typeof data.model_name === "string" ? { name: data.model_name } : {}),
      tags,
      ...(badBase ? { unparsable: true } : {}),
    };
    const claim = fromScratchClaim(text, file.path);
    if (claim) folder.claims = { fromScratch: claim };
    if (fm.leadingBlankLines)
      diagnostics.push({
        code: "front-matter-not-at-start",
        severity: "info",
        message: "model card front matter does not start on the first line; the Hub may not read it",
        location: { file: file.path, line: fm.startLine - 1 },
      });
    return { references: [...references, ...recipes], folders: [folder], diagnostics };
  },
};

const FROM_SCRATCH =
  /\b(?:trained|pre-?trained|built|developed)\s+(?:entirely\s+|fully\s+|completely\s+)?from\s+scratch\b|\bfrom-scratch\b|처음부터\s*학습|독자\s*(?:기술|개발)로?\s*(?:학습|개발)/i;

/** A "from scratch" claim in a card's prose, as declared evidence (for disclosure-consistency rules). */
function fromScratchClaim(text: string, file: string): Evidence | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = FROM_SCRATCH.exec(lines[i]!);
    if (m)
      return {
        code: "card-claims-from-scratch",
        strength: "declared",
        location: { file, line: i + 1, column: m.index + 1 },
        raw: lines[i]!.trim().slice(0, 200),
      };
  }
  return undefined;
}

/**
 * mergekit recipes in fenced YAML blocks of the card's body (LazyMergekit and mergekit-generated cards print the
 * recipe under "Configuration"): each names the merge parents with the exact line inside the card.
 */
function fencedMergekitReferences(text: string, file: string, subject: string): ModelReference[] {
  const lines = text.split(/\r?\n/);
  const out: ModelReference[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```\s*ya?ml\s*$/i.test(lines[i]!)) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    const blockLines = lines.slice(i + 1, end);
    if (/^[ \t]*(?:merge_method|slices|models|base_model)[ \t]*:/m.test(blockLines.join("\n"))) {
      // An unclosed fence swallows the prose after it: retry on shorter prefixes ending before a blank line.
      let found = mergekitReferencesInText(blockLines.join("\n"), file, subject, i + 1, { embeddedIn: "model-card" });
      for (let cut = blockLines.length - 1; found.length === 0 && cut > 0; cut--) {
        if (blockLines[cut]!.trim() !== "") continue;
        found = mergekitReferencesInText(blockLines.slice(0, cut).join("\n"), file, subject, i + 1, {
          embeddedIn: "model-card",
        });
      }
      out.push(...found);
    }
    i = end;
  }
  return out;
}
