import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from "@opentelemetry/api";

/**
 * The finished span an OpenTelemetry SDK hands to span processors and
 * exporters, declared here by its shape rather than imported: OpenTelemetry JS
 * 2 (`@opentelemetry/sdk-trace-base`) and 3 (`@opentelemetry/sdk-trace`) have
 * the same `ReadableSpan`, and declaring it lets the package run under either
 * without loading an SDK of its own (so `@opentelemetry/api` is the only
 * OpenTelemetry peer). Only what the package reads is required; an SDK span
 * has all of it and more.
 */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: readonly Link[];
  readonly events: readonly TimedEvent[];
  readonly resource: { readonly attributes: Attributes };
  readonly instrumentationScope: { readonly name: string; readonly version?: string | undefined };
  readonly droppedAttributesCount?: number;
  readonly droppedEventsCount?: number;
  readonly droppedLinksCount?: number;
}

/** An event of a {@link ReadableSpan}, as both SDK generations declare it. */
export interface TimedEvent {
  readonly time: HrTime;
  readonly name: string;
  readonly attributes?: Attributes | undefined;
  readonly droppedAttributesCount?: number;
}
