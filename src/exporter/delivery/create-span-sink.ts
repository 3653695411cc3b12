import type { ResolvedConnection } from "../../config/phoenix-config.js";
import { LocalStore } from "../../store/local-store.js";
import type { PhoenixTransport } from "../options.js";
import { HttpTransport } from "../../http/http-transport.js";
import { RetryingTransport, type RetryPolicy } from "../../http/retrying-transport.js";
import { REAL_CLOCK, type Clock } from "../../http/clock.js";
import { AutoSpanSink } from "./auto-span-sink.js";
import { OtlpSpanSink } from "./otlp-span-sink.js";
import { RestSpanSink } from "./rest-span-sink.js";
import type { SpanSink } from "./span-sink.js";

export interface SpanSinkOptions {
  /** Sockets to Phoenix: the most requests in flight. */
  concurrency: number;
  /** Default `"auto"`. */
  transport?: PhoenixTransport;
  /** Default: the retrying transport's defaults. */
  retry?: RetryPolicy;
  /** Default: the real clock. */
  clock?: Clock;
}

/** The sink for an endpoint: Phoenix over REST and/or OTLP for http(s), the local store for file://. */
export function createSpanSink(connection: ResolvedConnection, options: SpanSinkOptions): SpanSink {
  const { endpoint } = connection;
  if (endpoint.kind === "file") return new LocalStore(endpoint.directory).createSpanSink();
  const http = new HttpTransport({
    baseUrl: endpoint.baseUrl,
    credentials: connection.credentials,
    connections: options.concurrency,
    ...(connection.ca !== undefined ? { ca: connection.ca } : {}),
  });
  // One pool and one retry policy for both protocols.
  const transport = new RetryingTransport(http, options.retry ?? {}, options.clock ?? REAL_CLOCK);
  switch (options.transport ?? "auto") {
    case "rest":
      return new RestSpanSink(transport, endpoint.display);
    case "otlp":
      return new OtlpSpanSink(transport, endpoint.display);
    case "auto":
      return new AutoSpanSink(new RestSpanSink(transport, endpoint.display), new OtlpSpanSink(transport, endpoint.display));
  }
}
