import type { Context } from "@opentelemetry/api";
import { readBatchEnvironment } from "../config/environment.js";
import { checkKnownOptions } from "../config/known-options.js";
import { PhoenixConfigurationError } from "../errors.js";
import { compileMapSpanOptions } from "../mapping/mapping-options.js";
import type { ReadableSpan } from "../mapping/readable-span.js";
import { SpanSelection, type SpanFilter } from "../mapping/span-filter.js";
import { PhoenixSpanExporter } from "./exporter.js";
import { EXPORTER_OPTIONS, type DeadlineOptions, type PhoenixSpanExporterOptions } from "./options.js";
import { joinExit, leaveExit, type ExitParticipant } from "./exit-participants.js";
import type { SpanProcessor } from "./otel-contract.js";
import { awaitLangChainCallbacks } from "./langchain-callbacks.js";
import { integerOption } from "./validate.js";

/** Batching options; each falls back to its `OTEL_BSP_*` variable, then to the Phoenix preset. */
export interface PhoenixBatchOptions {
  /** Spans per batch; a full batch is handed to delivery at once. `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`; default 50. */
  maxExportBatchSize?: number;
  /** Longest wait before a partial batch is handed to delivery. `OTEL_BSP_SCHEDULE_DELAY`; default 3000 ms. */
  scheduledDelayMillis?: number;
}

export interface PhoenixSpanProcessorOptions extends PhoenixSpanExporterOptions, PhoenixBatchOptions {
  /**
   * The exporter to feed. Default: a new {@link PhoenixSpanExporter} built from
   * these options. Pass one to share it (the connector and the application's
   * instrumentation can share one pipeline); its options are then set on it,
   * and passing exporter options here as well is an error rather than one of
   * the two silently winning.
   */
  exporter?: PhoenixSpanExporter;
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
} as const;

const PROCESSOR_ONLY_OPTIONS: ReadonlySet<string> = new Set(["exporter", "spanFilter", "maxExportBatchSize", "scheduledDelayMillis"]);
const PROCESSOR_OPTIONS: readonly string[] = [...EXPORTER_OPTIONS, ...PROCESSOR_ONLY_OPTIONS];

/** See {@link releaseSharedExporter}; set by each processor's constructor (its private fields stay private). */
const releasers = new WeakMap<PhoenixSpanProcessor, () => Promise<void>>();

/**
 * Internal, not exported from the package: the end of a processor built
 * around an exporter someone else owns (the connector's, around a shared
 * `exporter`). Hands the pending batch over and leaves the exit hooks, but
 * leaves the exporter running: `shutdown()` would shut it down under its
 * owner, whose own processor then drops every later span.
 */
export function releaseSharedExporter(processor: PhoenixSpanProcessor): Promise<void> {
  return releasers.get(processor)?.() ?? Promise.resolve();
}

/**
 * A batching span processor preset for Phoenix: 50 spans per batch or every
 * 3 seconds, whichever comes first.
 *
 * It batches by itself rather than composing OpenTelemetry's
 * `BatchSpanProcessor`: that class lives in a different package in each SDK
 * generation (`sdk-trace-base` 2, `sdk-trace` 3), and the queue it keeps is
 * one the delivery pipeline already has (bounded, spooled, counted). So
 * `onEnd` appends to an array and, every 50th span, hands the batch to the
 * exporter, which maps and sends it on a later turn of the event loop: no
 * mapping, encoding or I/O on the application's call. (Measured with
 * `npm run bench`: `onEnd` p99 in BENCHMARKS.md.) One timer stays armed
 * while spans keep coming rather than one per batch: arming and clearing it
 * made the first and the 50th call of every batch the slowest ones. It is
 * unref'd, so a pending batch never keeps a process alive; `flushOnExit`
 * delivers it.
 */
export class PhoenixSpanProcessor implements SpanProcessor {
  readonly exporter: PhoenixSpanExporter;
  readonly #selection: SpanSelection | undefined;
  readonly #maxBatch: number;
  readonly #delayMillis: number;
  #batch: ReadableSpan[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The pending batch at `beforeExit` / `exit` (exit-participants.ts). */
  readonly #exit: ExitParticipant = {
    // Hands the batch over; the exporter (visited next) flushes it the way exits call for.
    flushPending: () => void this.#handOff(),
    settleSync: () => this.#handOff(),
  };

  constructor(options: PhoenixSpanProcessorOptions = {}) {
    checkKnownOptions("PhoenixSpanProcessor", options, PROCESSOR_OPTIONS);
    const { exporter, spanFilter, maxExportBatchSize, scheduledDelayMillis, ...exporterOptions } = options;
    if (exporter !== undefined) {
      const conflicting = Object.keys(exporterOptions).filter(
        (key) => !PROCESSOR_ONLY_OPTIONS.has(key) && exporterOptions[key as keyof typeof exporterOptions] !== undefined,
      );
      if (conflicting.length > 0) {
        throw new PhoenixConfigurationError(
          `PhoenixSpanProcessor was given an exporter and also exporter options (${conflicting.join(", ")}); ` +
            "set them on the PhoenixSpanExporter you pass, which owns them.",
        );
      }
    }
    // Bad mapping options throw here, where they were written, not at the first export.
    compileMapSpanOptions(exporterOptions.mapping);
    this.#selection = spanFilter === undefined ? undefined : new SpanSelection(spanFilter, exporterOptions.mapping);
    const env = readBatchEnvironment();
    this.#maxBatch =
      integerOption("maxExportBatchSize", maxExportBatchSize, 1) ?? env.maxExportBatchSize ?? BATCH_PRESET.maxExportBatchSize;
    this.#delayMillis =
      integerOption("scheduledDelayMillis", scheduledDelayMillis, 0) ?? env.scheduledDelayMillis ?? BATCH_PRESET.scheduledDelayMillis;
    this.exporter = exporter ?? new PhoenixSpanExporter(exporterOptions);
    joinExit(this.#exit);
    releasers.set(this, () => this.#release());
  }

  onStart(span: ReadableSpan, _parentContext: Context): void {
    this.#selection?.onStart(span);
  }

  onEnd(span: ReadableSpan): void {
    const kept = this.#selection ? this.#selection.onEnd(span) : span;
    if (kept === undefined) return;
    const batch = this.#batch;
    batch.push(kept);
    if (batch.length >= this.#maxBatch) this.#handOff();
    else if (this.#timer === undefined) {
      // A partial batch waits at most `scheduledDelayMillis`, often less: the timer may be older than the batch.
      this.#timer = setTimeout(this.#onTimer, this.#delayMillis);
      this.#timer.unref?.();
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#handOff();
  };

  /**
   * Hands the pending batch to delivery and waits until Phoenix has answered
   * for everything handed over, within the exporter's flush deadline (or
   * `timeoutMillis`); see {@link PhoenixSpanExporter.forceFlush}.
   */
  async forceFlush(options: DeadlineOptions = {}): Promise<void> {
    // Spans LangChain still has to end (background callbacks) belong in this flush.
    await awaitLangChainCallbacks();
    this.#handOff();
    return this.exporter.forceFlush(options);
  }

  /** Hands the pending batch over, then shuts the exporter down; see {@link PhoenixSpanExporter.shutdown}. Idempotent. */
  async shutdown(options: DeadlineOptions = {}): Promise<void> {
    await this.#release();
    return this.exporter.shutdown(options);
  }

  /** The processor's own end, without the exporter's: out of the exit hooks, the pending batch handed over. */
  async #release(): Promise<void> {
    leaveExit(this.#exit);
    // Spans LangChain still has to end (background callbacks) belong in the last batch.
    await awaitLangChainCallbacks();
    this.#handOff();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #handOff(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.exporter.enqueue(batch);
  }
}
