import type { Context } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { readBatchEnvironment } from "../config/environment.js";
import { compileMapSpanOptions } from "../mapping/mapping-options.js";
import { SpanSelection, type SpanFilter } from "../mapping/span-filter.js";
import { PhoenixSpanExporter } from "./exporter.js";
import { EXPORTER_DEFAULTS, type DeadlineOptions, type PhoenixSpanExporterOptions } from "./options.js";
import { integerOption } from "./validate.js";

/** Batching options; each falls back to its `OTEL_BSP_*` variable, then to the Phoenix preset. */
export interface PhoenixBatchOptions {
  /** Spans per batch; a full batch is sent at once. `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`; default 50. */
  maxExportBatchSize?: number;
  /** Longest wait before a partial batch is sent. `OTEL_BSP_SCHEDULE_DELAY`; default 3000 ms. */
  scheduledDelayMillis?: number;
  /** Finished spans held before batching; past it new spans are dropped and counted. `OTEL_BSP_MAX_QUEUE_SIZE`; default 2048. */
  maxQueueSize?: number;
  /** `OTEL_BSP_EXPORT_TIMEOUT`; default 30 000 ms. */
  exportTimeoutMillis?: number;
}

export interface PhoenixSpanProcessorOptions extends PhoenixSpanExporterOptions, PhoenixBatchOptions {
  /**
   * The exporter to feed. Default: a new {@link PhoenixSpanExporter} built from
   * these options. Pass one to share it (the connector and the application's
   * instrumentation can share one pipeline).
   */
  exporter?: PhoenixSpanExporter | SpanExporter;
  /**
   * Which spans reach Phoenix: `"llm"` keeps only the spans the mapping
   * recognises (LLM calls and the chains, tools, retrievers and agents around
   * them), or a function `(span, kind) => boolean`. Kept spans whose parent
   * was dropped are re-parented to their nearest kept ancestor. Default: all spans.
   */
  spanFilter?: SpanFilter;
}

export const BATCH_PRESET = {
  maxExportBatchSize: 50,
  scheduledDelayMillis: 3_000,
  maxQueueSize: 2_048,
  exportTimeoutMillis: 30_000,
} as const;

/**
 * A batching span processor preset for Phoenix: 50 spans per batch or every
 * 3 seconds, whichever comes first.
 *
 * It composes OpenTelemetry's own `BatchSpanProcessor` (its queue, timer and
 * flush rules, timers unref'd) around a hand-off to the Phoenix exporter's
 * delivery pipeline: on the application's thread `onEnd` only pushes the span
 * into the queue; mapping and sending happen later, several requests at a time.
 */
export class PhoenixSpanProcessor implements SpanProcessor {
  readonly exporter: PhoenixSpanExporter | SpanExporter;
  readonly #batch: BatchSpanProcessor;
  readonly #selection: SpanSelection | undefined;
  readonly #flushTimeoutMillis: number;
  readonly #shutdownTimeoutMillis: number;
  /** The deadline of the shutdown in progress, read when the inner processor shuts the exporter down. */
  #shutdownDeadlineMillis: number;

  constructor(options: PhoenixSpanProcessorOptions = {}) {
    const { exporter, ...rest } = options;
    // Bad mapping options throw here, where they were written, not at the first export.
    compileMapSpanOptions(rest.mapping);
    this.#selection = options.spanFilter === undefined ? undefined : new SpanSelection(options.spanFilter, rest.mapping);
    this.exporter = exporter ?? new PhoenixSpanExporter(rest);
    this.#flushTimeoutMillis =
      integerOption("flushTimeoutMillis", options.flushTimeoutMillis, 0) ?? EXPORTER_DEFAULTS.flushTimeoutMillis;
    this.#shutdownTimeoutMillis =
      integerOption("shutdownTimeoutMillis", options.shutdownTimeoutMillis, 0) ?? EXPORTER_DEFAULTS.shutdownTimeoutMillis;
    this.#shutdownDeadlineMillis = this.#shutdownTimeoutMillis;
    const env = readBatchEnvironment();
    const maxQueueSize =
      integerOption("maxQueueSize", options.maxQueueSize, 1) ?? env.maxQueueSize ?? BATCH_PRESET.maxQueueSize;
    this.#batch = new BatchSpanProcessor(handOff(this.exporter, () => this.#shutdownDeadlineMillis), {
      maxExportBatchSize:
        integerOption("maxExportBatchSize", options.maxExportBatchSize, 1) ??
        env.maxExportBatchSize ??
        BATCH_PRESET.maxExportBatchSize,
      scheduledDelayMillis:
        integerOption("scheduledDelayMillis", options.scheduledDelayMillis, 0) ??
        env.scheduledDelayMillis ??
        BATCH_PRESET.scheduledDelayMillis,
      maxQueueSize,
      exportTimeoutMillis:
        integerOption("exportTimeoutMillis", options.exportTimeoutMillis, 1) ??
        env.exportTimeoutMillis ??
        BATCH_PRESET.exportTimeoutMillis,
    });
  }

  onStart(span: Span, parentContext: Context): void {
    this.#selection?.onStart(span);
    this.#batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (!this.#selection) {
      this.#batch.onEnd(span);
      return;
    }
    const kept = this.#selection.onEnd(span);
    if (kept) this.#batch.onEnd(kept);
  }

  /**
   * Sends every queued span and waits until Phoenix has answered for all of
   * them, or until the deadline (`timeoutMillis`, default the
   * `flushTimeoutMillis` option, 10 s); spans still waiting then go to the
   * spool when one is configured.
   */
  async forceFlush(options: DeadlineOptions = {}): Promise<void> {
    const timeoutMillis = integerOption("timeoutMillis", options.timeoutMillis, 0) ?? this.#flushTimeoutMillis;
    const started = Date.now();
    await this.#batch.forceFlush();
    const remaining = Math.max(0, timeoutMillis - (Date.now() - started));
    if (isPhoenixExporter(this.exporter)) await this.exporter.forceFlush({ timeoutMillis: remaining });
    else await this.exporter.forceFlush?.();
  }

  /**
   * Flushes, then shuts the exporter down within the deadline
   * (`timeoutMillis`, default the `shutdownTimeoutMillis` option, 10 s): what
   * is not delivered by then is spooled, or dropped and counted. Idempotent.
   */
  shutdown(options: DeadlineOptions = {}): Promise<void> {
    this.#shutdownDeadlineMillis = integerOption("timeoutMillis", options.timeoutMillis, 0) ?? this.#shutdownTimeoutMillis;
    return this.#batch.shutdown();
  }
}

/**
 * The exporter the inner BatchSpanProcessor sees. With a Phoenix exporter it
 * answers at once, once the batch is in the delivery pipeline, so the next
 * batch need not wait for Phoenix; any other exporter is called as usual.
 */
function handOff(exporter: PhoenixSpanExporter | SpanExporter, shutdownDeadline: () => number): SpanExporter {
  if (!isPhoenixExporter(exporter)) return exporter;
  return {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      resultCallback(
        exporter.enqueue(spans)
          ? { code: ExportResultCode.SUCCESS }
          : { code: ExportResultCode.FAILED, error: new Error("PhoenixSpanExporter is shut down") },
      );
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown({ timeoutMillis: shutdownDeadline() }),
  };
}

/** Duck-typed, so that an exporter from the other module format (ESM / CommonJS copy) is recognised. */
function isPhoenixExporter(exporter: PhoenixSpanExporter | SpanExporter): exporter is PhoenixSpanExporter {
  return typeof (exporter as Partial<PhoenixSpanExporter>).enqueue === "function";
}
