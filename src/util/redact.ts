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

/** Returns `text` with every secret-looking token replaced by `[REDACTED]`. */
export function redact(text: string): string {
  let out = text;
  for (const re of PATTERNS) out = out.replace(re, (m, bearer: unknown) => (typeof bearer === "string" && m.startsWith(bearer) ? `${bearer}[REDACTED]` : "[REDACTED]"));
  return out;
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
