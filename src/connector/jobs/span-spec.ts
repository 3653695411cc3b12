import { SpanStatusCode } from "@opentelemetry/api";
import { PhoenixInputError } from "../../errors.js";
import type { PhoenixAttributes } from "../../mapping/phoenix-span.js";
import type { JobStatus, LogSpanOptions } from "../base.js";
import type { SpanType } from "../span-types.js";

/**
 * One span to emit under a job: what `logSpan` takes (minus the job and the
 * raw input/output), with the span type parsed and the attributes made.
 */
export type SpanSpec = Pick<LogSpanOptions, "name" | "metadata" | "parentSpanId" | "startTime" | "endTime" | "status" | "statusMessage"> & {
  spanType: SpanType;
  attributes: PhoenixAttributes;
};

export const SPAN_STATUS: ReadonlyMap<string, SpanStatusCode> = new Map([
  ["ok", SpanStatusCode.OK],
  ["error", SpanStatusCode.ERROR],
  ["unset", SpanStatusCode.UNSET],
]);

export const JOB_STATUS: ReadonlyMap<JobStatus, SpanStatusCode> = new Map<JobStatus, SpanStatusCode>([
  ["succeeded", SpanStatusCode.OK],
  ["failed", SpanStatusCode.ERROR],
  ["cancelled", SpanStatusCode.UNSET],
]);

/** A span (or evaluation) name from user input. */
export function spanName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || value.trim() === "") throw new PhoenixInputError(`${field} must be a non-empty string.`);
  return value;
}
