import { retryUntil } from "../../http/backoff.js";
import type { Clock } from "../../http/clock.js";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import { readAllPages, type PhoenixBackend } from "../../store/backend.js";
import { keepingProcessAlive } from "../keep-alive.js";
import type { TraceData } from "./types.js";

/**
 * How long to wait for traces that may still be being stored. Phoenix
 * answers a span request before it stores the spans (BEHAVIOUR.md), so a
 * trace read straight after `completeJob` can be incomplete on a real server.
 */
export interface TraceWaitOptions {
  /** Longest wait per trace, in milliseconds. 0 (the default): read once, as stored now. */
  timeoutMillis?: number;
  /**
   * A trace counts as stored once its root span is there and its span count
   * stayed the same across two reads this far apart. Default 1000 ms; each
   * waited-for trace costs at least this long.
   */
  settleMillis?: number;
}

export interface ReadTraceOptions {
  wait?: TraceWaitOptions;
  /** Clock of the waits (tests inject one). */
  clock: Clock;
}

/** Phoenix's largest page. */
export const SPANS_PER_PAGE = 1000;
const DEFAULT_SETTLE_MILLIS = 1000;

export interface TraceSpansRead {
  spans: PhoenixSpan[];
  /** False when a wait was asked for and ran out before the trace settled. */
  settled: boolean;
}

/** Every span of one trace (all cursor pages), waiting for it to settle when asked. */
export async function readTraceSpans(
  backend: PhoenixBackend,
  project: string,
  traceId: string,
  options: ReadTraceOptions,
): Promise<TraceSpansRead> {
  const read = () => readAllPages((cursor) => backend.readSpans(project, { traceIds: [traceId], limit: SPANS_PER_PAGE, ...(cursor ? { cursor } : {}) }));
  const timeout = options.wait?.timeoutMillis ?? 0;
  if (timeout <= 0) return { spans: await read(), settled: true };
  const settle = options.wait?.settleMillis ?? DEFAULT_SETTLE_MILLIS;
  const { clock } = options;
  return keepingProcessAlive(async () => {
    let previous = -1;
    // A poll at a fixed interval: the trace is stored once two reads `settle` apart agree.
    const outcome = await retryUntil(
      clock.now() + timeout,
      async () => {
        const spans = await read();
        const stable = spans.length === previous && spans.some((s) => s.parent_id === null);
        previous = spans.length;
        return { done: stable, value: spans };
      },
      clock,
      { initialBackoffMillis: settle, maxBackoffMillis: settle, multiplier: 1, jitter: "none" },
    );
    return { spans: outcome.value, settled: outcome.done };
  });
}

/** One trace with its annotations, or undefined when it has no span there. */
export async function readTraceData(
  backend: PhoenixBackend,
  project: string,
  traceId: string,
  options: ReadTraceOptions,
): Promise<{ data: TraceData | undefined; warning?: string }> {
  const { spans, settled } = await readTraceSpans(backend, project, traceId, options);
  const warning = settled
    ? undefined
    : `Trace ${traceId} in ${project} was still changing (or had no root span) after waiting ${options.wait?.timeoutMillis ?? 0} ms; compared what was stored then.`;
  if (spans.length === 0) return warning ? { data: undefined, warning } : { data: undefined };
  const [traceAnnotations, spanAnnotations] = await Promise.all([
    backend.readAnnotations("trace", project, { ids: [traceId] }),
    backend.readAnnotations("span", project, { ids: spans.map((s) => s.context.span_id) }),
  ]);
  const data: TraceData = { traceId, project, spans, traceAnnotations, spanAnnotations };
  return warning ? { data, warning } : { data };
}

export interface TracesRead {
  traces: TraceData[];
  missing: string[];
  warnings: string[];
}

/** Several traces, each from its project, in the order given; the ones with no span are `missing`. */
export async function readTraces(
  backend: PhoenixBackend,
  requests: ReadonlyArray<{ traceId: string; project: string }>,
  options: ReadTraceOptions,
): Promise<TracesRead> {
  const results = await Promise.all(requests.map((r) => readTraceData(backend, r.project, r.traceId, options)));
  const out: TracesRead = { traces: [], missing: [], warnings: [] };
  results.forEach((result, i) => {
    if (result.data) out.traces.push(result.data);
    else out.missing.push(requests[i]!.traceId);
    if (result.warning) out.warnings.push(result.warning);
  });
  return out;
}
