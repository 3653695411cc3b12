import type { ResolvedConnection } from "../../config/phoenix-config.js";
import { PhoenixConfigurationError } from "../../errors.js";
import { HttpTransport } from "../transport/http-transport.js";
import { RestSpanSink } from "./rest-span-sink.js";
import type { SpanSink } from "./span-sink.js";

/** The sink for an endpoint: Phoenix's REST route for http(s), the local store for file://. */
export function createSpanSink(connection: ResolvedConnection, options: { concurrency: number }): SpanSink {
  const { endpoint } = connection;
  if (endpoint.kind === "file") {
    throw new PhoenixConfigurationError("file:// endpoints are not supported yet.");
  }
  const transport = new HttpTransport({
    baseUrl: endpoint.baseUrl,
    credentials: connection.credentials,
    connections: options.concurrency,
    ...(connection.ca !== undefined ? { ca: connection.ca } : {}),
  });
  return new RestSpanSink(transport, endpoint.display);
}
