import { diag } from "@opentelemetry/api";
import type { EncodedSpan, SinkResult, SpanSink } from "./span-sink.js";
import { PhoenixConfigurationError, PhoenixInputError } from "../errors.js";
import type { LocalStore } from "./local-store.js";

/**
 * The exporter's sink for a `file://DIR` endpoint: each batch becomes one
 * append to the project's spans file. Duplicates (span ids already stored)
 * count as delivered, as they do against Phoenix; a file-system error fails
 * the batch so that the delivery path can decide what to do with it.
 */
export class LocalStoreSpanSink implements SpanSink {
  readonly description: string;
  readonly #store: LocalStore;

  constructor(store: LocalStore) {
    this.#store = store;
    this.description = `${store.display} (local store)`;
  }

  async write(project: string, spans: readonly EncodedSpan[]): Promise<SinkResult> {
    try {
      const result = await this.#store.appendSpans(project, spans);
      return { delivered: result.stored, duplicates: result.duplicates.length, rejected: [], failed: [] };
    } catch (error) {
      if (error instanceof PhoenixInputError || error instanceof PhoenixConfigurationError) {
        // An unknown project id or an impossible name: no retry will change that (Phoenix answers 404/422).
        diag.error(`phoenix-connector: ${error.message} ${spans.length} spans dropped.`);
        const reason = error.message;
        return {
          delivered: 0,
          duplicates: 0,
          rejected: spans.map((s) => ({ traceId: s.traceId, spanId: s.spanId, reason, cause: "refused" as const })),
          failed: [],
        };
      }
      const err = error instanceof Error ? error : new Error(String(error));
      diag.error(`phoenix-connector: ${spans.length} spans for project "${project}" not written to ${this.description}: ${err.message}`);
      // A full disk or a permission problem may pass: the delivery path keeps the spans.
      return { delivered: 0, duplicates: 0, rejected: [], failed: [...spans], failure: "unavailable", error: err };
    }
  }

  async shutdown(): Promise<void> {
    await this.#store.close();
  }
}
