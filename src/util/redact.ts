/**
 * Secret redaction for every string copied from a scanned file into a result: Hugging Face tokens (`hf_...`),
 * OpenAI-style keys (`sk-...`), GitHub tokens, AWS access key ids, Google API keys and `Bearer` credentials.
 * Patterns follow the token formats listed in shared/corpus/SOURCES.md "Secret scan".
 */
const PATTERNS: RegExp[] = [
  // A Hugging Face token is `hf_` and 34 letters or digits; it is redacted even when glued to other text
  // (`org/xhf_..._backup`), as nothing but a token has 30 such characters after `hf_`.
  /hf_[A-Za-z0-9]{30,}/g,
  /(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{20,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
];

/**
 * Replaces the credentials inside URLs (`scheme://user:password@host`) with `[REDACTED]`. Scanned from each `://`
 * with indexOf rather than a regular expression starting at every word: a long run such as `a.a.a.a…` stays linear.
 */
function redactUserinfo(text: string): string {
  let out = "";
  let pos = 0;
  const stop = (c: string | undefined, colon: boolean): boolean =>
    c === undefined || c === "/" || c === "@" || (colon && c === ":") || /\s/.test(c);
  for (let i = text.indexOf("://"); i >= 0; i = text.indexOf("://", i + 3)) {
    if (i === 0 || !/[A-Za-z0-9+.-]/.test(text[i - 1]!)) continue;
    const user = i + 3;
    let j = user;
    while (!stop(text[j], true)) j++;
    if (j === user || text[j] !== ":") continue;
    let k = j + 1;
    while (!stop(text[k], false)) k++;
    if (k === j + 1 || text[k] !== "@") continue;
    out += `${text.slice(pos, user)}[REDACTED]@`;
    pos = k + 1;
    i = k - 2;
  }
  return pos === 0 ? text : out + text.slice(pos);
}

/** Exact secret values known to this process (the Hub token), redacted wherever they appear. */
const knownSecrets = new Set<string>();

/** Registers a secret value (e.g. the Hub token) so that {@link redact} removes it from any text. Ignores short values. */
export function registerSecret(value: string): void {
  if (value.length >= 8) knownSecrets.add(value);
}

/** Returns `text` with every secret-looking token replaced by `[REDACTED]`. */
export function redact(text: string): string {
  let out = text;
  for (const s of knownSecrets) if (out.includes(s)) out = out.split(s).join("[REDACTED]");
  out = redactUserinfo(out);
  for (const re of PATTERNS)
    out = out.replace(re, (m, bearer: unknown) =>
      typeof bearer === "string" && m.startsWith(bearer) ? `${bearer}[REDACTED]` : "[REDACTED]",
    );
  return out;
}

/** Config keys whose values are credentials whatever they look like (`hub_token`, `api_key`, `password`, ...). */
export const SECRET_KEY =
  /^(?:token|auth|authorization|secret|password|passwd|apikey|api_key|credentials?)$|(?:^|[_-])(?:hf|hub|access|auth|api|bearer|secret|refresh|id)[_-]?token$|(?:^|[_-])(?:secret|password|passwd|api[_-]?key|private[_-]?key|access[_-]?key|secret[_-]?key|credentials?)$/i;

/**
 * Returns a deep copy of a JSON-like value with every string redacted and every value under a secret-named key
 * replaced by `[REDACTED]`. Used as the last step before any result leaves the tool.
 */
export function redactDeep<T>(value: T): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === "string") return key !== undefined && SECRET_KEY.test(key) && v !== "" ? "[REDACTED]" : redact(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[redact(k)] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** True when `text` holds a known secret (the Hub token, see {@link registerSecret}) or a secret-looking token. */
export function hasSecret(text: string): boolean {
  for (const s of knownSecrets) if (text.includes(s)) return true;
  return PATTERNS.some((re) => {
    re.lastIndex = 0;
    const hit = re.test(text);
    re.lastIndex = 0;
    return hit;
  });
}

/** C0/C1 control characters except tab and newline: a scanned file name must never drive the reader's terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Replaces control characters with visible `\xNN` escapes. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** A deep copy of a JSON-like value with {@link printable} applied to every string (keys included). */
export function printableDeep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return printable(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [printable(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
