import { PhoenixInputError } from "../../errors.js";

const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RELATIVE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i;

const UNIT_MILLIS: ReadonlyMap<string, number> = new Map([
  ["s", 1_000],
  ["m", 60_000],
  ["h", 3_600_000],
  ["d", 86_400_000],
  ["w", 604_800_000],
]);

/**
 * A bound of an export window: a `Date`, epoch milliseconds, an ISO-8601
 * time with a zone, a date (`2026-01-31`, midnight UTC), or a duration back
 * from now (`30m`, `12h`, `7d`, `2w`). A time without a zone is refused: it
 * would mean different instants on different machines.
 */
export function windowTime(value: Date | number | string, field: string, now: number = Date.now()): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === "number" && Number.isFinite(value) && value >= 0) date = new Date(value);
  else if (typeof value === "string") {
    const text = value.trim();
    const relative = RELATIVE.exec(text);
    if (relative) date = new Date(now - Number(relative[1]) * UNIT_MILLIS.get(relative[2]!.toLowerCase())!);
    else if (DATE_ONLY.test(text)) date = new Date(`${text}T00:00:00Z`);
    else if (ZONED_ISO.test(text)) date = new Date(text);
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new PhoenixInputError(
      `${field} must be a time with a zone (2026-01-31T12:00:00Z), a date (2026-01-31, UTC) or a duration back from now (30m, 12h, 7d); got ${JSON.stringify(value)}.`,
    );
  }
  return date;
}
