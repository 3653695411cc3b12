import type { HrTime } from "@opentelemetry/api";

/**
 * `HrTime` → `2026-01-01T12:00:00.123456Z`.
 *
 * Phoenix rejects timezone-naive times (422) and keeps microseconds, which
 * `Date#toISOString` would cut to milliseconds. This runs twice per span
 * (and once per event) on the export path, with start and end usually in
 * different seconds, so the date is formatted once per day and cached, and
 * the time of day and the microseconds are written from digit tables:
 * no `Date`, no padding, per call.
 */
const EPOCH_ISO = "1970-01-01T00:00:00.000000Z";
const SECONDS_PER_DAY = 86_400;

/** "00".."59" and "000".."999". */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

let cachedDay = Number.NaN;
/** `YYYY-MM-DDT` of `cachedDay`; empty when its year does not have 4 digits. */
let cachedDayPrefix = "";

export function hrTimeToIso(time: HrTime): string {
  const seconds = time[0];
  const nanos = time[1];
  if (!Number.isFinite(seconds) || !Number.isFinite(nanos)) return EPOCH_ISO;
  // Normalise nanos outside [0, 1e9) (hand-built HrTime) into the seconds.
  const carry = Math.floor(nanos / 1e9);
  const second = Math.trunc(seconds) + carry;
  const micros = Math.floor((nanos - carry * 1e9) / 1000);
  const day = Math.floor(second / SECONDS_PER_DAY);
  if (day !== cachedDay) {
    const date = new Date(day * SECONDS_PER_DAY * 1000);
    if (Number.isNaN(date.getTime())) return EPOCH_ISO;
    const iso = date.toISOString();
    // Years outside 0000–9999 come out as ±YYYYYY: those take the slow path below.
    cachedDayPrefix = iso.length === 24 ? iso.slice(0, 11) : "";
    cachedDay = day;
  }
  // Float dust in hand-built nanos can leave micros just outside [0, 1e6): the general form keeps its output.
  if (cachedDayPrefix === "" || !(micros >= 0 && micros < 1_000_000)) return slowIso(second, micros);
  let ofDay = second - day * SECONDS_PER_DAY;
  const hours = Math.floor(ofDay / 3600);
  ofDay -= hours * 3600;
  const minutes = Math.floor(ofDay / 60);
  return (
    cachedDayPrefix +
    TWO_DIGITS[hours] +
    ":" +
    TWO_DIGITS[minutes] +
    ":" +
    TWO_DIGITS[ofDay - minutes * 60] +
    "." +
    THREE_DIGITS[Math.floor(micros / 1000)] +
    THREE_DIGITS[micros % 1000] +
    "Z"
  );
}

/** The general form, for dates whose year does not have four digits. */
function slowIso(second: number, micros: number): string {
  const date = new Date(second * 1000);
  if (Number.isNaN(date.getTime())) return EPOCH_ISO;
  return `${date.toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}Z`;
}

/** Milliseconds since the epoch (possibly fractional) → ISO with microseconds. */
export function epochMillisToIso(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  return hrTimeToIso([seconds, Math.round((millis - seconds * 1000) * 1e6)]);
}
