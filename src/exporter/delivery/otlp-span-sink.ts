import { diag } from "@opentelemetry/api";
import { PhoenixAuthenticationError } from "../../errors.js";
import { bodyText, type Transport, type TransportResponse } from "../../http/transport.js";
import { writeWithRecovery, type Attempt, type RequestOutcome } from "./batch-recovery.js";
import { decodeSpan, type EncodedSpan } from "./encoded-span.js";
import { assembleTraceRequest, decodePartialSuccess, encodeSpanMessage } from "./otlp-protobuf.js";
import { repairSpan } from "./span-repair.js";
import type { SinkResult, SpanSink } from "./span-sink.js";

/** Header values must be visible ASCII; other project names travel in the resource attribute only. */
const HEADER_SAFE = /^[\x20-\x7e]+$/;

/**
 * OTLP/HTTP protobuf at `{endpoint}/v1/traces`, for Phoenix before 10.12
 * (no REST span route), and to an OpenTelemetry Collector in front of
 * Phoenix, with the mapping applied (see otlp-protobuf.ts). The project travels both as the
 * resource attribute `openinference.project.name` and the `x-project-name`
 * header, which Phoenix reads first. Phoenix accepts re-sent spans silently
 * here, so there are no duplicate reports; a 413 is split like on REST.
 */
export class OtlpSpanSink implements SpanSink {
  readonly description: string;
  readonly #transport: Transport;
  readonly #endpoint: string;

  constructor(transport: Transport, display: string) {
    this.#transport = transport;
    this.#endpoint = display;
    this.description = `${display}/v1/traces (OTLP)`;
  }

  write(project: string, spans: readonly EncodedSpan[], timeoutMillis: number, signal?: AbortSignal): Promise<SinkResult> {
    return writeWithRecovery(spans, (part) => this.#send(project, part, timeoutMillis, signal), repairSpan);
  }

  async #send(
    project: string,
    spans: readonly EncodedSpan[],
    timeoutMillis: number,
    signal?: AbortSignal,
  ): Promise<Attempt> {
    const body = assembleTraceRequest(project, spans.map(spanMessage));
    const response = await this.#transport.send(
      {
        method: "POST",
        path: "/v1/traces",
        body,
        contentType: "application/x-protobuf",
        headers: HEADER_SAFE.test(project) ? { "x-project-name": project } : {},
        ...(signal ? { signal } : {}),
      },
      timeoutMillis,
    );
    return { outcome: this.#classify(response), retries: (response.attempts ?? 1) - 1 };
  }

  #classify(response: TransportResponse): RequestOutcome {
    if (response.status === "success") {
      warnOnPartialSuccess(response.body);
      return { kind: "accepted" };
    }
    if (response.status === "failure" && response.aborted) return { kind: "failed", failure: "aborted", error: response.error };
    if (response.status === "retryable" || response.statusCode === undefined) {
      return { kind: "failed", failure: "unavailable", error: response.error };
    }
    const { statusCode, body } = response;
    if (statusCode === 401 || statusCode === 403) {
      return { kind: "failed", failure: "unauthorized", error: new PhoenixAuthenticationError(statusCode, this.#endpoint) };
    }
    // No OTLP route at this endpoint (e.g. a proxy forwarding only Phoenix's REST API): kept; "auto" switches to REST.
    if (statusCode === 404 || statusCode === 405) return { kind: "failed", failure: "route-missing", error: response.error };
    const reason = `HTTP ${statusCode} ${bodyText(body, 500)}`.trim();
    if (statusCode === 413) return { kind: "split", cause: "too-large", reason };
    return { kind: "refused", reason };
  }

  shutdown(): Promise<void> {
    return this.#transport.shutdown();
  }
}

/**
 * Each span's protobuf `Span` message, encoded once from its JSON and kept
 * while the span is (a batch re-sent after a failure, a split half, the REST
 * fallback's hand-over): the `JSON.parse` and the encode are not paid again.
 */
const spanMessages = new WeakMap<EncodedSpan, Uint8Array>();

function spanMessage(span: EncodedSpan): Uint8Array {
  let message = spanMessages.get(span);
  if (message === undefined) spanMessages.set(span, (message = encodeSpanMessage(decodeSpan(span))));
  return message;
}

/** OTLP lets a server accept part of a request; Phoenix answers an empty body, but say so if one ever does not. */
function warnOnPartialSuccess(body: Uint8Array): void {
  if (body.byteLength === 0) return;
  try {
    const partial = decodePartialSuccess(body);
    const rejected = partial?.rejectedSpans ?? 0;
    if (rejected > 0) {
      diag.warn(`phoenix-connector: Phoenix's OTLP endpoint rejected ${rejected} spans: ${partial?.errorMessage || "no reason given"}`);
    }
  } catch {
    // Not an OTLP response body; the 2xx stands.
  }
}
