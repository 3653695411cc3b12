const ISO = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO-8601 time → epoch microseconds (NaN when unreadable). Written by
 * hand because `Date.parse` keeps only milliseconds, and spans stored with
 * microseconds must sort and filter the way Phoenix does. A time without a
 * zone is read as UTC.
 */
export function isoToMicros(text: string): number {
  const match = ISO.exec(text);
  if (!match) return Number.NaN;
  const [, base, fraction, zone] = match;
  const offset = zone === undefined || zone.toUpperCase() === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const millis = Date.parse(`${base!.replace(" ", "T")}${offset}`);
  if (Number.isNaN(millis)) return Number.NaN;
  const micros = fraction ? Number(fraction.padEnd(6, "0").slice(0, 6)) : 0;
  return millis * 1000 + micros;
}
