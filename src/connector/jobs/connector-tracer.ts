import { randomBytes } from "node:crypto";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from "@opentelemetry/api";
import type { ReadableSpan, TimedEvent } from "../../mapping/readable-span.js";
import type { SpanProcessor } from "../../exporter/otel-contract.js";

const SCOPE = { name: "phoenix-connector" } as const;

/**
 * The connector's tracer: makes the spans of jobs itself and hands them to a
 * span processor exactly as an OpenTelemetry SDK tracer would (`onStart` when
 * a span starts, `onEnd` when it ends, always sampled). Why not the SDK's
 * `BasicTracerProvider`: it lives in a different package in each SDK
 * generation, and the package loads none; the connector's spans are explicit
 * (name, times, attributes, status), which is all a span needs here.
 *
 * The spans are real `@opentelemetry/api` spans (the job context carries
 * them, so the application's own spans nest under a job) and SDK-shaped
 * `ReadableSpan`s (so any processor, ours or an SDK's `BatchSpanProcessor`
 * with an OTLP exporter, can take them). The resource names the project.
 */
export class ConnectorTracer implements Tracer {
  readonly #processor: SpanProcessor;
  readonly #resource: ConnectorResource;

  constructor(processor: SpanProcessor, project: string) {
    this.#processor = processor;
    this.#resource = new ConnectorResource({ "openinference.project.name": project, "service.name": "phoenix-connector" });
  }

  startSpan(name: string, options: SpanOptions = {}, context: Context = ROOT_CONTEXT): Span {
    const parent = options.root ? undefined : trace.getSpanContext(context);
    const traceId = parent?.traceId ?? randomHex(16);
    const spanContext: SpanContext = { traceId, spanId: randomHex(8), traceFlags: TraceFlags.SAMPLED };
    const span = new ConnectorSpan(name, spanContext, parent, options, this.#resource, this.#processor);
    this.#processor.onStart(span, context);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = (args.length > 1 ? args[0] : {}) as SpanOptions;
    const context = (args.length > 2 ? args[1] : ROOT_CONTEXT) as Context;
    const span = this.startSpan(name, options, context);
    return fn(span) as ReturnType<F>;
  }
}

/** What processors and exporters of either SDK generation read of a resource. */
class ConnectorResource {
  readonly attributes: Attributes;
  readonly asyncAttributesPending = false;
  readonly schemaUrl = undefined;

  constructor(attributes: Attributes) {
    this.attributes = Object.freeze({ ...attributes });
  }

  async waitForAsyncAttributes(): Promise<void> {}

  getRawAttributes(): Array<[string, AttributeValue | undefined]> {
    return Object.entries(this.attributes);
  }

  merge(other: { attributes?: Attributes } | null): ConnectorResource {
    return new ConnectorResource({ ...this.attributes, ...(other?.attributes ?? {}) });
  }
}

class ConnectorSpan implements Span, ReadableSpan {
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[] = [];
  readonly startTime: HrTime;
  readonly parentSpanContext: SpanContext | undefined;
  readonly resource: ConnectorResource;
  readonly instrumentationScope = SCOPE;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  name: string;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  endTime: HrTime = [0, 0];
  duration: HrTime = [0, 0];
  ended = false;
  readonly #context: SpanContext;
  readonly #processor: SpanProcessor;

  constructor(
    name: string,
    context: SpanContext,
    parent: SpanContext | undefined,
    options: SpanOptions,
    resource: ConnectorResource,
    processor: SpanProcessor,
  ) {
    this.name = name;
    this.#context = context;
    this.parentSpanContext = parent;
    this.kind = options.kind ?? SpanKind.INTERNAL;
    this.attributes = { ...(options.attributes ?? {}) };
    this.links = [...(options.links ?? [])];
    this.startTime = toHrTime(options.startTime);
    this.resource = resource;
    this.#processor = processor;
  }

  spanContext(): SpanContext {
    return this.#context;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (!this.ended && value !== undefined) this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) this.setAttribute(key, value);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const isTime = attributesOrTime instanceof Date || typeof attributesOrTime === "number" || Array.isArray(attributesOrTime);
    this.events.push({
      name,
      attributes: isTime ? {} : ((attributesOrTime as Attributes | undefined) ?? {}),
      time: toHrTime(isTime ? (attributesOrTime as TimeInput) : time),
    });
    return this;
  }

  addLink(link: Link): this {
    this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    this.links.push(...links);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (!this.ended) this.status = { ...status };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    const end = toHrTime(endTime);
    this.endTime = later(end, this.startTime);
    this.duration = difference(this.endTime, this.startTime);
    this.ended = true;
    this.#processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const error = typeof exception === "string" ? { message: exception } : exception;
    this.addEvent(
      "exception",
      {
        "exception.type": String((error as { name?: unknown }).name ?? "Error"),
        "exception.message": String((error as { message?: unknown }).message ?? ""),
        ...((error as { stack?: unknown }).stack ? { "exception.stacktrace": String((error as { stack?: unknown }).stack) } : {}),
      },
      time,
    );
  }
}

/** A random id of `bytes` bytes as lowercase hex, never all zeros (invalid in OpenTelemetry). */
function randomHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString("hex");
    if (!/^0+$/.test(hex)) return hex;
  }
}

/** Date, epoch milliseconds or HrTime → HrTime; now when absent. */
function toHrTime(time: TimeInput | undefined): HrTime {
  if (Array.isArray(time)) return [time[0], time[1]];
  const millis = time === undefined ? performance.timeOrigin + performance.now() : time instanceof Date ? time.getTime() : Number(time);
  let seconds = Math.floor(millis / 1000);
  let nanos = Math.round((millis - seconds * 1000) * 1e6);
  if (nanos >= 1e9) {
    seconds += 1;
    nanos -= 1e9;
  }
  return [seconds, nanos];
}

function later(a: HrTime, b: HrTime): HrTime {
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]) ? a : b;
}

function difference(end: HrTime, start: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}
