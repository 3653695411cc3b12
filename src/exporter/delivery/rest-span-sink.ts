import { diag } from "@opentelemetry/api";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import { bodyText, type Transport } from "../transport/transport.js";
import type { SinkResult, SpanSink } from "./span-sink.js";

/**
 * Phoenix's REST route `POST /v1/projects/{project}/spans`, body
 * `{"data": [Span, ...]}`, answered 202 `{total_received, total_queued}`.
 */
export class RestSpanSink implements SpanSink {
  readonly description: string;
  readonly #transport: Transport;

  constructor(transport: Transport, display: string) {
    this.#transport = transport;
    this.description = `${display} (REST)`;
  }

  async write(project: string, spans: PhoenixSpan[], timeoutMillis: number): Promise<SinkResult> {
    const body = JSON.stringify({ data: spans });
    const response = await this.#transport.send(
      { method: "POST", path: `/v1/projects/${encodeURIComponent(project)}/spans`, body },
      timeoutMillis,
    );
    if (response.status === "success") {
      return { delivered: spans.length, duplicates: 0, rejected: [], failed: [] };
    }
    const reason = response.statusCode
      ? `HTTP ${response.statusCode} ${bodyText(response.body, 300)}`.trim()
      : response.error.message;
    diag.error(`phoenix-connector: ${spans.length} spans for project "${project}" not delivered to ${this.description}: ${reason}`);
    return { delivered: 0, duplicates: 0, rejected: [], failed: spans, error: response.error };
  }

  shutdown(): Promise<void> {
    return this.#transport.shutdown();
  }
}
