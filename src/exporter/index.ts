export { PhoenixSpanExporter } from "./exporter.js";
export { PhoenixSpanProcessor, BATCH_PRESET, type PhoenixSpanProcessorOptions, type PhoenixBatchOptions } from "./processor.js";
export { EXPORTER_DEFAULTS, type PhoenixSpanExporterOptions } from "./options.js";
export type { Transport, TransportRequest, TransportResponse } from "./transport/transport.js";
export type { SpanSink, SinkResult, RejectedSpan } from "./delivery/span-sink.js";
