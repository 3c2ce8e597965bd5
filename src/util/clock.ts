/**
 * The one clock aiprov reads. `SOURCE_DATE_EPOCH` (seconds since the epoch, https://reproducible-builds.org/specs/source-date-epoch/)
 * fixes it so reports are reproducible; `setNow` (the CLI's `--now`) overrides it for waiver expiry and tests.
 */
let fixed: Date | undefined;

/** Fixes the clock (undefined to unfix). */
export function setNow(date: Date | undefined): void {
  fixed = date;
}

/** The current time: the fixed date, else SOURCE_DATE_EPOCH, else the system clock. */
export function now(): Date {
  if (fixed) return fixed;
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}
