import type { EncodedSpan } from "./encoded-span.js";
import type { RejectedSpan, SinkFailure, SinkResult } from "./span-sink.js";

/** How one request for a batch ended, as far as recovery is concerned. */
export type RequestOutcome =
  | { kind: "accepted" }
  /** Phoenix named spans (by id) already stored or invalid; nothing was stored (REST 400). */
  | { kind: "named-spans"; duplicates: ReadonlySet<string>; invalid: ReadonlyMap<string, string> }
  /** Phoenix named spans (by position in the batch) it could not read; nothing was stored (REST 422). */
  | { kind: "invalid-at"; invalid: ReadonlyMap<number, string> }
  /** Refused as a whole without saying which span: 413, or a 422 without positions. Split and retry. */
  | { kind: "split"; cause: "too-large" | "invalid"; reason: string }
  /** Not delivered for a reason that may pass. */
  | { kind: "failed"; failure: SinkFailure; error: Error }
  /** Refused for a reason that is not about one span. */
  | { kind: "refused"; reason: string };

export interface Attempt {
  outcome: RequestOutcome;
  /** Requests re-sent by the retrying transport. */
  retries: number;
}

/** Repairs a span Phoenix called invalid, where the cause is ours; undefined when it cannot. */
export type SpanRepair = (span: EncodedSpan, reason: string) => EncodedSpan | undefined;

/**
 * Sends a batch and recovers from partial refusals so that one bad span never
 * costs the others: spans Phoenix already has count as delivered, spans it
 * calls invalid are repaired once (when the fault is ours) or rejected with
 * its reason, and the rest is re-sent at once; a refusal that names no span
 * (413, a 422 without positions) splits the batch in halves until the
 * culprit is alone. A failure that may pass stops the write and hands back
 * every span not yet settled.
 */
export async function writeWithRecovery(
  spans: readonly EncodedSpan[],
  send: (part: readonly EncodedSpan[]) => Promise<Attempt>,
  repair: SpanRepair,
): Promise<SinkResult> {
  const result: SinkResult = { delivered: 0, duplicates: 0, rejected: [], repaired: 0, failed: [], retries: 0 };
  const repairedIds = new Set<string>();
  const reject = (span: EncodedSpan, cause: RejectedSpan["cause"], reason: string) =>
    result.rejected.push({ traceId: span.traceId, spanId: span.spanId, cause, reason });
  /** An invalid span: repaired into `rest` once, else rejected. */
  const settleInvalid = (span: EncodedSpan, reason: string, rest: EncodedSpan[]) => {
    const fixed = repairedIds.has(span.spanId) ? undefined : repair(span, reason);
    if (fixed) {
      repairedIds.add(span.spanId);
      rest.push(fixed);
    } else {
      reject(span, "invalid", reason);
    }
  };

  // Parts still to send; the last is sent next, so halves are pushed second-first.
  const work: Array<readonly EncodedSpan[]> = [spans];
  while (work.length > 0) {
    const part = work.pop()!;
    if (part.length === 0) continue;
    const { outcome, retries } = await send(part);
    result.retries! += retries;
    switch (outcome.kind) {
      case "accepted":
        result.delivered += part.length;
        for (const span of part) if (repairedIds.has(span.spanId)) result.repaired!++;
        break;
      case "named-spans": {
        const rest: EncodedSpan[] = [];
        let named = 0;
        for (const span of part) {
          const reason = outcome.invalid.get(span.spanId);
          if (outcome.duplicates.has(span.spanId)) {
            named++;
            result.duplicates++;
          } else if (reason !== undefined) {
            named++;
            settleInvalid(span, reason, rest);
          } else {
            rest.push(span);
          }
        }
        // An answer that names none of ours would loop forever: take it as a refusal.
        if (named === 0) for (const span of part) reject(span, "refused", "Phoenix refused the batch but named none of its spans");
        else work.push(rest);
        break;
      }
      case "invalid-at": {
        const rest: EncodedSpan[] = [];
        part.forEach((span, index) => {
          const reason = outcome.invalid.get(index);
          if (reason === undefined) rest.push(span);
          else settleInvalid(span, reason, rest);
        });
        work.push(rest);
        break;
      }
      case "split":
        if (part.length === 1) {
          const span = part[0]!;
          if (outcome.cause === "invalid") {
            const rest: EncodedSpan[] = [];
            settleInvalid(span, outcome.reason, rest);
            work.push(rest);
          } else {
            reject(span, "too-large", outcome.reason);
          }
        } else {
          const middle = Math.ceil(part.length / 2);
          work.push(part.slice(middle), part.slice(0, middle));
        }
        break;
      case "failed":
        result.failed.push(...part);
        for (const rest of work) result.failed.push(...rest);
        work.length = 0;
        result.failure = outcome.failure;
        result.error = outcome.error;
        break;
      case "refused":
        for (const span of part) reject(span, "refused", outcome.reason);
        break;
    }
  }
  return result;
}
