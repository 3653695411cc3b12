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
export type { Transport, TransportRequest, TransportResponse } from "../http/transport.js";
export type { SpanSink, SinkResult, SinkFailure, RejectedSpan, RejectionCause } from "./delivery/span-sink.js";
export type { EncodedSpan } from "./delivery/encoded-span.js";
export type { SubmitOutcome } from "./delivery/delivery-queue.js";
