import type { Transport } from "../../http/transport.js";
import { writeWithRecovery, type Attempt } from "./batch-recovery.js";
import { classifyCreateSpans } from "./create-spans-response.js";
import type { EncodedSpan } from "./encoded-span.js";
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
    const body = requestBody(spans);
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

const BODY_START = Buffer.from('{"data":[');
const BODY_END = Buffer.from("]}");
const COMMA = 0x2c;

/**
 * `{"data":[span,span,…]}`, assembled from the spans' UTF-8 JSON, not
 * serialised again: one allocation and a copy of each span's bytes.
 */
function requestBody(spans: readonly EncodedSpan[]): Buffer {
  let length = BODY_START.length + BODY_END.length + Math.max(0, spans.length - 1);
  for (let i = 0; i < spans.length; i++) length += spans[i]!.utf8.byteLength;
  const body = Buffer.allocUnsafe(length);
  body.set(BODY_START, 0);
  let at = BODY_START.length;
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) body[at++] = COMMA;
    const utf8 = spans[i]!.utf8;
    body.set(utf8, at);
    at += utf8.byteLength;
  }
  body.set(BODY_END, at);
  return body;
}
