const FRACTION = /\.(\d+)/;

/**
 * `2026-01-01T12:00:00.123456Z` (any zone) → nanoseconds since the epoch, as
 * a bigint (nanoseconds overflow a double), without losing the microseconds
 * `Date` would drop. An unreadable time is 0.
 */
export function isoToNanos(iso: string): bigint {
  const fraction = FRACTION.exec(iso)?.[1] ?? "";
  const millis = Date.parse(iso.replace(FRACTION, ""));
  if (Number.isNaN(millis)) return 0n;
  const seconds = BigInt(Math.floor(millis / 1000));
  return seconds * 1_000_000_000n + BigInt(fraction.padEnd(9, "0").slice(0, 9) || "0");
}
