import { PhoenixInputError } from "../../errors.js";
import type { Clock } from "../../http/clock.js";
import { isValidTraceId } from "../../mapping/ids.js";
import type { PhoenixBackend } from "../../store/backend.js";
import { compareTraceData } from "./compare.js";
import { PhoenixTraceNotFoundError } from "./errors.js";
import { readTraces, type TraceWaitOptions } from "./read-traces.js";
import type { MetricDirection, TraceComparison } from "./types.js";

export interface CompareStoredOptions {
  /** Wait for traces that may still be being stored (default: read once). */
  wait?: TraceWaitOptions;
  metricDirections?: Readonly<Record<string, MetricDirection>>;
  clock: Clock;
}

/**
 * Reads each trace from its project (spans, trace and span annotations) and
 * compares them. Trace ids not found are reported in `missing`; when none is
 * found, a `PhoenixTraceNotFoundError`.
 *
 * @throws PhoenixInputError for an empty list or an id that is not 32 hex characters
 */
export async function compareStoredTraces(
  backend: PhoenixBackend,
  requests: ReadonlyArray<{ traceId: string; project: string }>,
  options: CompareStoredOptions,
): Promise<TraceComparison> {
  checkTraceIds(requests.map((r) => r.traceId));
  const unique = requests.filter((r, i) => requests.findIndex((o) => o.traceId === r.traceId) === i);
  const read = await readTraces(backend, unique, options);
  if (read.traces.length === 0) {
    const projects = [...new Set(unique.map((r) => r.project))].map((p) => `project ${JSON.stringify(p)}`).join(" or ");
    throw new PhoenixTraceNotFoundError(read.missing, `${projects} of ${backend.display}`);
  }
  return compareTraceData(read.traces, {
    missing: read.missing,
    warnings: read.warnings,
    ...(options.metricDirections ? { metricDirections: options.metricDirections } : {}),
  });
}

export function checkTraceIds(ids: readonly unknown[]): asserts ids is string[] {
  if (!Array.isArray(ids) || ids.length === 0) throw new PhoenixInputError("Name at least one trace (job) id to compare.");
  for (const id of ids) {
    if (!isValidTraceId(id)) {
      throw new PhoenixInputError(`${JSON.stringify(id)} is not a trace id (32 lowercase hex characters, as submitJob returns).`);
    }
  }
}
