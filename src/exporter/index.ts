export { PhoenixSpanExporter } from "./exporter.js";
export { PhoenixSpanProcessor, BATCH_PRESET, type PhoenixSpanProcessorOptions, type PhoenixBatchOptions } from "./processor.js";
export {
  EXPORTER_DEFAULTS,
  type PhoenixSpanExporterOptions,
  type PhoenixTransport,
  type DeadlineOptions,
} from "./options.js";
export { flushOnExit, type FlushOnExitOptions, type ShutdownTarget } from "./exit-hooks.js";
export type { DeliveryStats, DropReason } from "./delivery/delivery-stats.js";
export type { RetryPolicy } from "../http/retrying-transport.js";
// What `PhoenixSpanExporter.sendPhoenixSpans` answers; the transports, sinks and encoded spans behind it stay internal.
export type { RejectedSpan, RejectionCause } from "./delivery/span-sink.js";
export type { SubmitOutcome } from "./delivery/tickets.js";
export { SPANS_LOST_WARNING } from "./delivery/loss-warning.js";
export type { ReadableSpan, TimedEvent } from "../mapping/readable-span.js";
