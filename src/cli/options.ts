/** Option helpers shared by the commands. */

/** Commander reducer for a repeatable option: `--x a --x b` -> `["a", "b"]`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const BYTE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Parses a byte size: a whole or decimal number with an optional unit, SI (`kB`, `MB`, `GB`, `TB`: powers of 1000)
 * or IEC (`KiB`, `MiB`, `GiB`, `TiB`: powers of 1024), case-insensitive (`500MB`, `2GiB`, `0`).
 * @returns whole bytes. @throws Error naming the value when it is not a size.
 */
export function parseByteSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`'${value}' is not a byte size (for example 500MB, 2GiB or 0)`);
  const n = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(n)) throw new Error(`'${value}' is too large`);
  return n;
}
