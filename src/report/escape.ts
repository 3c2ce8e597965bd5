/**
 * Escaping for every report sink, in one place (issue 11). Names and values read from the scanned tree (folder and
 * file names, config values, model ids, card text, waiver comments) and from a Hub answer are untrusted: a newline and
 * a code fence would break out of the Mermaid block into the Markdown a CI posts as a pull-request comment, an ANSI
 * escape sequence would rewrite the terminal, a bidirectional override would reorder what a reviewer reads
 * ("Trojan Source", CVE-2021-42574).
 *
 * - {@link escapeControls}: every control character (C0, DEL, C1), the Unicode line and paragraph separators and
 *   the bidirectional controls become a visible escape (`\n`, `\x1b`, `\u202e`); nothing else changes.
 * - {@link displaySafe}: a copy of a report value with {@link escapeControls} applied to every string (keys included,
 *   so ids still match); the registry (formats.ts) applies it before every text-like renderer (text, Markdown, HTML,
 *   SARIF, JUnit). JSON, CycloneDX and SPDX keep the data verbatim (their JSON encoding escapes controls).
 * - {@link markdownInline}, {@link markdownCode}, {@link mermaidLabel}, {@link htmlEscape}: the format's own
 *   metacharacters, each also escaping controls so that it is safe on its own.
 */

/** Control characters of any kind: C0, DEL, C1, U+2028/U+2029, bidirectional embeddings, overrides and isolates. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visible(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Replaces every control character (see the module comment) by a visible escape: `a\nb` prints as `a\nb` on one line. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, visible);
}

/** Whether a string holds a character {@link escapeControls} would change. */
function hasControl(s: string): boolean {
  CONTROL.lastIndex = 0;
  const found = CONTROL.test(s);
  CONTROL.lastIndex = 0;
  return found;
}

/**
 * A deep copy of `value` (plain objects and arrays; any other object is kept as it is) with {@link escapeControls} applied to
 * every string and object key; `value` itself when nothing needs escaping (the common case costs one walk).
 */
export function displaySafe<T>(value: T): T {
  return needsEscape(value) ? (copyEscaped(value) as T) : value;
}

/** A plain object (JSON-like); a Map, Date or class instance is left as it is. */
function isPlain(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function needsEscape(v: unknown): boolean {
  if (typeof v === "string") return hasControl(v);
  if (Array.isArray(v)) return v.some(needsEscape);
  if (isPlain(v)) return Object.entries(v).some(([k, x]) => hasControl(k) || needsEscape(x));
  return false;
}

function copyEscaped(v: unknown): unknown {
  if (typeof v === "string") return escapeControls(v);
  if (Array.isArray(v)) return v.map(copyEscaped);
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [escapeControls(k), copyEscaped(x)]));
  return v;
}

/** Markdown inline text or table cell: backslashes, pipes, backticks (no span, no fence), angle brackets, link brackets and @; controls visible. */
export function markdownInline(s: string): string {
  return (
    escapeControls(s)
      .replace(/\\/g, "\\\\")
      .replace(/\|/g, "\\|")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/`/g, "\\`")
      // Links and images (`[text](url)`, `![alt](url)`) and @-mentions of users and teams: escaped brackets and at
      // signs render as themselves (CommonMark backslash escapes), so a name from the scanned tree can neither show a
      // remote image or a link nor notify anyone when the report is posted as a pull-request comment.
      .replace(/[[\]]/g, (c) => `\\${c}`)
      // A mention starts an @ that no word character precedes (an e-mail address or `name@version` is no mention).
      .replace(/(?<![\w.+-])@/g, "\\@")
  );
}

/** A Markdown inline code span: backticks inside become single quotes (code spans escape nothing); controls visible. */
export function markdownCode(s: string): string {
  return `\`${escapeControls(s).replace(/`/g, "'")}\``;
}

/**
 * Text inside a quoted Mermaid label: quotes, angle brackets and backticks as Mermaid entity codes (`#quot;`,
 * `#lt;`, `#gt;`, `#96;`), controls visible, so a label can neither end its quotes nor its line nor the code fence.
 */
export function mermaidLabel(s: string): string {
  return escapeControls(s).replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/`/g, "#96;");
}

/** HTML (and SVG) character data and quoted attribute values: `& < > " '` as entities; controls visible. */
export function htmlEscape(s: string): string {
  return escapeControls(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
