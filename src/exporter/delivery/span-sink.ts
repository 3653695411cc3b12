// The sink contract lives below the exporter, where the local store implements it too.
export type { RejectedSpan, RejectionCause, SinkFailure, SinkResult, SpanSink } from "../../store/span-sink.js";
