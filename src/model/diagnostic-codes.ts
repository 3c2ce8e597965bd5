/**
 * Diagnostic codes (issue 18, messages as data): every tool problem a scan can report, as a closed union the compiler
 * checks at each producer. A diagnostic is `{ code, severity, message, location }` (src/model/types.ts); the code is
 * the stable machine key (JSON `diagnostics[].code`, SARIF notifications), the message the words for people.
 */
export const DIAGNOSTIC_CODES = [
  "binary-file",
  "cache-problem",
  "cache-record-invalid",
  "cache-unwritable",
  "duplicate-key",
  "extractor-error",
  "file-budget-exceeded",
  "file-too-large",
  "front-matter-not-at-start",
  "front-matter-unclosed",
  "git-lfs-pointer",
  "hidden-characters",
  "hub-depth-limit",
  "hub-file-unparsable",
  "hub-gguf-unreadable",
  "hub-hub-error",
  "hub-lookup-budget",
  "hub-lookup-failed",
  "hub-rate-limited",
  "hub-unreachable",
  "invalid-gguf",
  "invalid-safetensors",
  "invalid-utf8",
  "manifest-symlink-outside-root",
  "manifest-unreadable",
  "model-files-ignored",
  "not-a-checkpoint-index",
  "not-a-module-list",
  "not-an-object",
  "not-scanned",
  "nothing-audited",
  "parse-error",
  "project-config-ignored",
  "tokenizer-unreadable",
  "unreadable",
  "unsupported-value",
  "waiver-expired",
  "waiver-stale",
  "waiver-unknown-rule",
  "weight-upstream-unreadable",
  "weights-compared",
  "weights-unreadable",
  "wrong-typed-reference",
] as const;

/** One diagnostic code. */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
