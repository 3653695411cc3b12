import type { Transport } from "../../http/transport.js";
import { writeWithRecovery, type Attempt } from "./batch-recovery.js";
import { classifyCreateSpans } from "./create-spans-response.js";
import type { EncodedSpan } from "./encoded-span.js";
import { restBody } from "./rest-body.js";
import { repairSpan } from "./span-repair.js";
import type { SinkResult, SpanSink } from "./span-sink.js";

/**
 * Phoenix's REST route `POST /v1/projects/{project}/spans`, body
 * `{"data": [Span, ...]}`, answered 202 `{total_received, total_queued}`.
 * Partial refusals are recovered span by span (see {@link writeWithRecovery}).
 */
export class RestSpanSink implements SpanSink {
  readonly description: string;
  readonly #transport: Transport;
  readonly #endpoint: string;

  constructor(transport: Transport, display: string) {
    this.#transport = transport;
    this.#endpoint = display;
    this.description = `${display} (REST)`;
  }

  write(project: string, spans: readonly EncodedSpan[], timeoutMillis: number, signal?: AbortSignal): Promise<SinkResult> {
    return writeWithRecovery(spans, (part) => this.#send(project, part, timeoutMillis, signal), repairSpan);
  }

  async #send(project: string, spans: readonly EncodedSpan[], timeoutMillis: number, signal?: AbortSignal): Promise<Attempt> {
    const body = restBody(spans);
    const response = await this.#transport.send(
      { method: "POST", path: `/v1/projects/${encodeURIComponent(project)}/spans`, body, ...(signal ? { signal } : {}) },
      timeoutMillis,
    );
    return { outcome: classifyCreateSpans(response, spans.length, this.#endpoint), retries: (response.attempts ?? 1) - 1 };
  }

  shutdown(): Promise<void> {
    return this.#transport.shutdown();
  }
}
