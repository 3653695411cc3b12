import { diag } from "@opentelemetry/api";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import { decodeSpan, encodeSpan, type EncodedSpan } from "./encoded-span.js";

interface Repair {
  /** Matches Phoenix's reason for refusing the span. */
  reason: RegExp;
  /** What was done, for the log. */
  description: string;
  /** Fixes the span in place; false when there was nothing to fix. */
  fix: (span: PhoenixSpan) => boolean;
}

const ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const STATUS_CODES: ReadonlySet<string> = new Set(["OK", "ERROR", "UNSET"]);

/**
 * Faults of ours that Phoenix names and that can be fixed without guessing:
 * every time the mapping writes comes from an epoch (UTC) time, so a time
 * without a zone is UTC; a status code outside Phoenix's three is UNSET
 * (what Phoenix itself stores for one). Anything else is dropped and reported.
 */
const REPAIRS: ReadonlyMap<string, Repair> = new Map([
  [
    "naive-time",
    {
      reason: /timezone-naive|timezone-aware/i,
      description: "times without a timezone read as UTC",
      fix: (span: PhoenixSpan) => {
        let changed = false;
        const zoned = (time: string) => {
          if (typeof time !== "string" || ZONE.test(time)) return time;
          changed = true;
          return `${time}Z`;
        };
        span.start_time = zoned(span.start_time);
        span.end_time = zoned(span.end_time);
        for (const event of span.events ?? []) event.timestamp = zoned(event.timestamp);
        return changed;
      },
    },
  ],
  [
    "status-code",
    {
      reason: /status_code/i,
      description: "status code set to one Phoenix knows",
      fix: (span: PhoenixSpan) => {
        if (STATUS_CODES.has(span.status_code)) return false;
        const upper = String(span.status_code).toUpperCase();
        span.status_code = (STATUS_CODES.has(upper) ? upper : "UNSET") as PhoenixSpan["status_code"];
        return true;
      },
    },
  ],
]);

/** A repaired copy of a span Phoenix called invalid, when the cause is a known fault of ours; else undefined. */
export function repairSpan(encoded: EncodedSpan, reason: string): EncodedSpan | undefined {
  let span: PhoenixSpan;
  try {
    span = decodeSpan(encoded);
  } catch {
    return undefined;
  }
  const done: string[] = [];
  for (const repair of REPAIRS.values()) {
    if (repair.reason.test(reason) && repair.fix(span)) done.push(repair.description);
  }
  if (done.length === 0) return undefined;
  diag.warn(
    `phoenix-connector: Phoenix refused span ${encoded.spanId} (trace ${encoded.traceId}): ${reason}. ` +
      `Repaired (${done.join("; ")}) and sent again. This is a bug in phoenix-connector's mapping; please report it.`,
  );
  return encodeSpan(span);
}
