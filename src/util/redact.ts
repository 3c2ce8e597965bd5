/**
 * Secret redaction for every string copied from a scanned file into a result: Hugging Face tokens (`hf_...`),
 * OpenAI-style keys (`sk-...`), GitHub tokens, AWS access key ids, Google API keys and `Bearer` credentials.
 * Patterns follow the token formats listed in shared/corpus/SOURCES.md "Secret scan".
 */
const PATTERNS: RegExp[] = [
  /\bhf_[A-Za-z0-9]{20,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
];

/** Credentials inside a URL (`scheme://user:password@host`). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;

/** Returns `text` with every secret-looking token replaced by `[REDACTED]`. */
export function redact(text: string): string {
  let out = text.replace(URL_USERINFO, "$1[REDACTED]@");
  for (const re of PATTERNS) out = out.replace(re, (m, bearer: unknown) => (typeof bearer === "string" && m.startsWith(bearer) ? `${bearer}[REDACTED]` : "[REDACTED]"));
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

/** True when `text` holds a secret-looking token. */
export function hasSecret(text: string): boolean {
  return PATTERNS.some((re) => {
    re.lastIndex = 0;
    const hit = re.test(text);
    re.lastIndex = 0;
    return hit;
  });
}
