import type { HrTime } from "@opentelemetry/api";

/**
 * `HrTime` → `2026-01-01T12:00:00.123456Z`.
 *
 * Phoenix rejects timezone-naive times (422) and keeps microseconds, which
 * `Date#toISOString` would cut to milliseconds. Spans of one batch mostly
 * share their second, so the formatted second is cached: this runs twice per
 * span on the export path.
 */
let cachedSecond = Number.NaN;
let cachedPrefix = "";

export function hrTimeToIso(time: HrTime): string {
  const seconds = time[0];
  const nanos = time[1];
  if (!Number.isFinite(seconds) || !Number.isFinite(nanos)) {
    return "1970-01-01T00:00:00.000000Z";
  }
  // Normalise nanos outside [0, 1e9) (hand-built HrTime) into the seconds.
  const carry = Math.floor(nanos / 1e9);
  const second = Math.trunc(seconds) + carry;
  const micros = Math.floor((nanos - carry * 1e9) / 1000);
  if (second !== cachedSecond) {
    const date = new Date(second * 1000);
    if (Number.isNaN(date.getTime())) return "1970-01-01T00:00:00.000000Z";
    cachedPrefix = date.toISOString().slice(0, 19);
    cachedSecond = second;
  }
  return `${cachedPrefix}.${String(micros).padStart(6, "0")}Z`;
}

/** Milliseconds since the epoch (possibly fractional) → ISO with microseconds. */
export function epochMillisToIso(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  return hrTimeToIso([seconds, Math.round((millis - seconds * 1000) * 1e6)]);
}
