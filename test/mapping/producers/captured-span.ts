import {
  SpanKind,
  TraceFlags,
  context,
  type Attributes,
  type HrTime,
  type SpanContext,
  type SpanStatus,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";

/**
 * A ReadableSpan as JSON: what the fixture corpus stores. Everything
 * `mapSpan` reads is kept (name, kind, scope, ids, times, status,
 * attributes, events, resource), so a fixture maps exactly as the live span.
 */
export interface CapturedSpan {
  name: string;
  /** OpenTelemetry SpanKind, by name. */
  kind: keyof typeof SpanKind;
  scope: { name: string; version?: string };
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTime: HrTime;
  endTime: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: Array<{ name: string; time: HrTime; attributes?: Attributes }>;
  resource: Attributes;
}

export function captureSpan(span: ReadableSpan): CapturedSpan {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  return {
    name: span.name,
    kind: SpanKind[span.kind] as keyof typeof SpanKind,
    scope: {
      name: span.instrumentationScope.name,
      ...(span.instrumentationScope.version ? { version: span.instrumentationScope.version } : {}),
    },
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: { ...span.status },
    attributes: { ...span.attributes },
    events: span.events.map((e) => ({ name: e.name, time: e.time, ...(e.attributes ? { attributes: { ...e.attributes } } : {}) })),
    resource: { ...span.resource.attributes },
  };
}

/** A fixture back as a ReadableSpan, for mapSpan and the exporter. */
export function toReadableSpan(captured: CapturedSpan): ReadableSpan {
  const spanContext: SpanContext = { traceId: captured.traceId, spanId: captured.spanId, traceFlags: TraceFlags.SAMPLED };
  const parentSpanContext: SpanContext | undefined = captured.parentSpanId
    ? { traceId: captured.traceId, spanId: captured.parentSpanId, traceFlags: TraceFlags.SAMPLED }
    : undefined;
  const duration: HrTime = [
    captured.endTime[0] - captured.startTime[0],
    captured.endTime[1] - captured.startTime[1],
  ];
  return {
    name: captured.name,
    kind: SpanKind[captured.kind],
    spanContext: () => spanContext,
    parentSpanContext,
    startTime: captured.startTime,
    endTime: captured.endTime,
    status: captured.status,
    attributes: captured.attributes,
    links: [],
    events: captured.events,
    duration,
    ended: true,
    resource: resourceFromAttributes(captured.resource),
    instrumentationScope: captured.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

let contextManagerSet = false;

/**
 * Async context propagation, as an application's NodeSDK sets it up, so
 * that spans started across `await`s nest. Set once per process.
 */
export function useAsyncContext(): void {
  if (contextManagerSet) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

/** A fresh, non-global provider recording finished spans in memory. */
export function memoryProvider(): { provider: BasicTracerProvider; memory: InMemorySpanExporter } {
  useAsyncContext();
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(memory)],
    resource: resourceFromAttributes({ "service.name": "capture-fixtures" }),
  });
  return { provider, memory };
}
