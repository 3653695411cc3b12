import { PhoenixInputError } from "../errors.js";
import type { TimeInput } from "./base.js";

const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The start and end of a logged span. Only `endTime` given: the span is an
 * instant at that time; only `startTime`: it ends now (or at its start, if
 * that is in the future). An end before the start is an error, since Phoenix
 * would store it as is and show a negative duration.
 */
export function spanTimes(startTime: TimeInput | undefined, endTime: TimeInput | undefined, now: number = Date.now()): { start: Date; end: Date } {
  const start = startTime === undefined ? undefined : toDate(startTime, "startTime");
  const end = endTime === undefined ? undefined : toDate(endTime, "endTime");
  if (start && end && end.getTime() < start.getTime()) {
    throw new PhoenixInputError(`endTime (${end.toISOString()}) is before startTime (${start.toISOString()}).`);
  }
  const resolvedStart = start ?? end ?? new Date(now);
  const resolvedEnd = end ?? new Date(Math.max(now, resolvedStart.getTime()));
  return { start: resolvedStart, end: resolvedEnd };
}

function toDate(value: TimeInput, field: string): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === "number" && Number.isFinite(value) && value >= 0) date = new Date(value);
  // A time without a zone would be read in the machine's zone; Phoenix refuses those too.
  else if (typeof value === "string" && ZONED_ISO.test(value.trim())) date = new Date(value.trim());
  if (!date || Number.isNaN(date.getTime())) {
    throw new PhoenixInputError(
      `${field} must be a Date, epoch milliseconds or an ISO-8601 time with a zone (e.g. 2026-01-01T12:00:00Z); got ${JSON.stringify(value)}.`,
    );
  }
  return date;
}
