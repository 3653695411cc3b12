import { diag } from "@opentelemetry/api";
import type { DeliveryCounters } from "./delivery-stats.js";
import type { RejectedSpan } from "./span-sink.js";

/**
 * Invalid spans one by one, each with Phoenix's reason for it; spans refused
 * for a reason that is not theirs (a whole request refused, a span too large)
 * one line per reason, so a wrong endpoint does not log a line per span.
 */
export function reportRejected(project: string, rejected: readonly RejectedSpan[], counters: DeliveryCounters): void {
  const grouped = new Map<string, RejectedSpan[]>();
  for (const span of rejected) {
    if (span.cause === "invalid") {
      counters.invalid++;
      diag.error(
        `phoenix-connector: Phoenix refused span ${span.spanId} (trace ${span.traceId}, project "${project}") as invalid; dropped. Phoenix's reason: ${span.reason}`,
      );
      continue;
    }
    const key = `${span.cause}\n${span.reason}`;
    let list = grouped.get(key);
    if (!list) grouped.set(key, (list = []));
    list.push(span);
  }
  for (const spans of grouped.values()) {
    const { cause, reason } = spans[0]!;
    const what = `${spans.length === 1 ? "span" : `${spans.length} spans`}${cause === "too-large" ? " as too large" : ""}`;
    const ids = spans.slice(0, 5).map((s) => s.spanId).join(", ") + (spans.length > 5 ? ", …" : "");
    diag.error(`phoenix-connector: Phoenix refused ${what} of project "${project}" (${ids}); dropped. Phoenix's answer: ${reason}`);
    counters.drop(cause as Exclude<typeof cause, "invalid">, spans.length);
  }
}
