/** Stable short ids for components, references and findings (SHA-256, hex, truncated). */
import { createHash } from "node:crypto";

/** Hex SHA-256 of the parts joined by NUL, truncated to `length` hex digits (default 16). */
export function stableId(parts: readonly (string | number | undefined)[], length = 16): string {
  const h = createHash("sha256");
  h.update(parts.map((p) => (p === undefined ? "" : String(p))).join("\u0000"));
  return h.digest("hex").slice(0, length);
}
