import { diag } from "@opentelemetry/api";
import type { EncodedSpan } from "./encoded-span.js";
import type { SinkResult, SpanSink } from "./span-sink.js";

/**
 * `transport: "auto"`: Phoenix's REST span route, until Phoenix answers that
 * the route does not exist (404/405, Phoenix before 10.12); from then on,
 * for this exporter, OTLP/HTTP. The switch is logged once.
 */
export class AutoSpanSink implements SpanSink {
  readonly #rest: SpanSink;
  readonly #otlp: SpanSink;
  #switched = false;

  constructor(rest: SpanSink, otlp: SpanSink) {
    this.#rest = rest;
    this.#otlp = otlp;
  }

  get description(): string {
    return (this.#switched ? this.#otlp : this.#rest).description;
  }

  /** Which protocol spans go over now. */
  get protocol(): "rest" | "otlp" {
    return this.#switched ? "otlp" : "rest";
  }

  async write(project: string, spans: readonly EncodedSpan[], timeoutMillis: number, signal?: AbortSignal): Promise<SinkResult> {
    if (this.#switched) return this.#otlp.write(project, spans, timeoutMillis, signal);
    const result = await this.#rest.write(project, spans, timeoutMillis, signal);
    if (result.failure !== "route-missing") return result;
    if (!this.#switched) {
      this.#switched = true;
      diag.warn(
        `phoenix-connector: ${this.#rest.description} has no span route (${result.error?.message ?? "404"}), ` +
          `so this Phoenix is older than 10.12; sending spans to ${this.#otlp.description} from now on.`,
      );
    }
    const retried = await this.#otlp.write(project, result.failed, timeoutMillis, signal);
    return {
      ...retried,
      delivered: retried.delivered + result.delivered,
      duplicates: retried.duplicates + result.duplicates,
      rejected: [...result.rejected, ...retried.rejected],
      repaired: (retried.repaired ?? 0) + (result.repaired ?? 0),
      retries: (retried.retries ?? 0) + (result.retries ?? 0),
    };
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.#rest.shutdown(), this.#otlp.shutdown()]);
  }
}
