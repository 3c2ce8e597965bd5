/**
 * Licence identifiers as SPDX licence expressions, through the SPDX community's maintained packages:
 * `spdx-expression-parse` (the SPDX 2.x/3.x licence-expression grammar, Annex D of the SPDX 3.0.1 spec),
 * `spdx-license-ids` (the SPDX License List ids, current and deprecated) and `spdx-correct` (the usual misspellings
 * of list ids, e.g. the Hugging Face Hub's lower-case `apache-2.0`, `cc-by-nc-4.0`).
 *
 * A value that is not an SPDX expression and that no list id corrects (`llama3.1`, `creativeml-openrail-m`, `gemma`,
 * `qwen`, `other`) becomes a `LicenseRef-` id that keeps the original spelling (letters, digits, `.` and `-`, the
 * grammar's idstring), so the licence is named, never guessed.
 */
import spdxCorrect from "spdx-correct";
import parse from "spdx-expression-parse";
import { createRequire } from "node:module";
import { trimChars } from "../util/text.js";

const require = createRequire(import.meta.url);
const LIST_IDS = require("spdx-license-ids") as string[];
const DEPRECATED_IDS = require("spdx-license-ids/deprecated.json") as string[];
const CURRENT_BY_LOWER = new Map<string, string>(LIST_IDS.map((id) => [id.toLowerCase(), id]));
const DEPRECATED_BY_LOWER = new Map<string, string>(DEPRECATED_IDS.map((id) => [id.toLowerCase(), id]));

/** A licence as an SPDX licence expression. */
export interface SpdxLicense {
  /** A valid SPDX licence expression (parses with `spdx-expression-parse`). */
  expression: string;
  /** True when the expression uses only SPDX License List ids (no `LicenseRef-`). */
  listed: boolean;
  /** `LicenseRef-` ids the expression introduces, with the original value each stands for. */
  refs: { id: string; value: string }[];
}

/** True when `expression` parses as an SPDX licence expression. */
export function isSpdxExpression(expression: string): boolean {
  try {
    parse(expression);
    return true;
  } catch {
    return false;
  }
}

/** The `LicenseRef-` id for a licence name that is not on the SPDX License List (idstring: `[A-Za-z0-9.-]+`). */
export function licenseRefId(value: string): string {
  const body = trimChars(
    value
      .trim()
      .replace(/\+/g, "-plus")
      .replace(/[^A-Za-z0-9.-]+/g, "-"),
    "-",
  );
  return `LicenseRef-${body || "unnamed"}`;
}

/**
 * The SPDX expression for a declared licence value (Hub licence id, card text, package metadata).
 * Order: a valid expression as written; a current list id differing only in case (`mit` -> `MIT`); a deprecated GNU id as its `-only`
 * id (`gpl-3.0` -> `GPL-3.0-only`); an
 * `spdx-correct` correction (`Apache License 2.0` -> `Apache-2.0`) accepted only when the value carries a version number and the result starts with the same letters,
 * so an unversioned family name (`bsd`, `gpl`) or an unrelated name is never mapped onto one licence; a deprecated
 * list id in other case; else a `LicenseRef-`. `other`, `unknown`, `none` and `noassertion` are LicenseRefs too (the
 * Hub's `other` means a licence named elsewhere in the card).
 */
export function spdxLicense(value: string): SpdxLicense {
  const v = value.trim();
  if (v && !/^(other|unknown|noassertion|none)$/i.test(v) && isSpdxExpression(v) && !/LicenseRef-/.test(v))
    return { expression: v, listed: true, refs: [] };
  const compound = compoundLicense(v);
  if (compound) return compound;
  const exact = CURRENT_BY_LOWER.get(v.toLowerCase());
  if (exact) return { expression: exact, listed: true, refs: [] };
  // A deprecated GNU id (`gpl-3.0`) means the -only licence (SPDX License List 3.0 release notes).
  const only = DEPRECATED_BY_LOWER.has(v.toLowerCase()) ? CURRENT_BY_LOWER.get(`${v.toLowerCase()}-only`) : undefined;
  if (only) return { expression: only, listed: true, refs: [] };
  if (/\d/.test(v) && v.length <= 100) {
    const corrected = spdxCorrect(v, { upgrade: true });
    const stem = (s: string): string =>
      s
        .toLowerCase()
        .replace(/[^a-z]/g, "")
        .slice(0, 3);
    if (corrected && isSpdxExpression(corrected) && stem(corrected) === stem(v))
      return { expression: corrected, listed: true, refs: [] };
  }
  const deprecated = DEPRECATED_BY_LOWER.get(v.toLowerCase());
  if (deprecated) return { expression: deprecated, listed: true, refs: [] };
  const id = licenseRefId(v);
  return { expression: id, listed: false, refs: [{ id, value: v }] };
}

/**
 * Model licences that are not on the SPDX License List but that the Hugging Face Hub names by id (its licence table,
 * https://huggingface.co/docs/hub/repositories-licenses): full name and the publisher's page with the licence text.
 */
const KNOWN_MODEL_LICENSES: Readonly<Record<string, { name: string; url: string }>> = {
  llama2: { name: "Llama 2 Community License Agreement", url: "https://ai.meta.com/llama/license/" },
  llama3: { name: "Llama 3 Community License Agreement", url: "https://www.llama.com/llama3/license/" },
  "llama3.1": { name: "Llama 3.1 Community License Agreement", url: "https://www.llama.com/llama3_1/license/" },
  "llama3.2": { name: "Llama 3.2 Community License Agreement", url: "https://www.llama.com/llama3_2/license/" },
  "llama3.3": { name: "Llama 3.3 Community License Agreement", url: "https://www.llama.com/llama3_3/license/" },
  gemma: { name: "Gemma Terms of Use", url: "https://ai.google.dev/gemma/terms" },
  "creativeml-openrail-m": {
    name: "CreativeML OpenRAIL-M",
    url: "https://huggingface.co/spaces/CompVis/stable-diffusion-license",
  },
};

/** The full name of a well-known model licence by its Hub id (`llama3.1`), case-insensitive; undefined otherwise. */
export function knownLicenseName(value: string): string | undefined {
  return KNOWN_MODEL_LICENSES[value.trim().toLowerCase()]?.name;
}

/** The page holding a well-known model licence's text, by its Hub id, case-insensitive; undefined otherwise. */
export function knownLicenseUrl(value: string): string | undefined {
  return KNOWN_MODEL_LICENSES[value.trim().toLowerCase()]?.url;
}

/**
 * A flat `AND` / `OR` expression written in other case (`apache-2.0 OR mit`, as Hub cards write it): each operand read
 * on its own ({@link spdxLicense}) and the operators kept, so a choice of licences never shrinks to its first one.
 * Undefined for a single licence or an expression with parentheses or `WITH`.
 */
function compoundLicense(v: string): SpdxLicense | undefined {
  if (/[()]/.test(v) || v.length > 200) return undefined;
  const words = v.split(/\s/).filter((w) => w !== "");
  if (words.some((w) => w.toUpperCase() === "WITH")) return undefined;
  // Operands between the operators (a licence name may have spaces: `Apache License 2.0 OR MIT`).
  const tokens: string[] = [""];
  for (const w of words)
    if (/^(and|or)$/i.test(w)) tokens.push(w, "");
    else tokens[tokens.length - 1] = `${tokens[tokens.length - 1]} ${w}`.trim();
  if (tokens.length < 3 || tokens.some((t) => t === "")) return undefined;
  const parts = tokens.map((t, i) => (i % 2 === 1 ? t.toUpperCase() : spdxLicense(t)));
  const licences = parts.filter((p): p is SpdxLicense => typeof p !== "string");
  const expression = parts.map((p) => (typeof p === "string" ? p : p.expression)).join(" ");
  if (!isSpdxExpression(expression)) return undefined;
  return { expression, listed: licences.every((l) => l.listed), refs: licences.flatMap((l) => l.refs) };
}
