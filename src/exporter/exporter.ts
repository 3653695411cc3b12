import { diag } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult, type SpanExporter } from "./otel-contract.js";
import type { ReadableSpan } from "../mapping/readable-span.js";
import { SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import { checkProjectName, resolveConnection, resolveDefaultProject } from "../config/phoenix-config.js";
import { readBatchEnvironment, readOpenInferenceEnvironment, readPhoenixEnvironment } from "../config/environment.js";
import { PhoenixConfigurationError, PhoenixInputError } from "../errors.js";
import { mapSpan, type MapSpanOptions } from "../mapping/map-span.js";
import type { PhoenixSpan } from "../mapping/phoenix-span.js";
import { createPrepareStage } from "../privacy/prepare-stage.js";
import { createSpanSink } from "./delivery/create-span-sink.js";
import { DeliveryQueue, type DrainDeadline, type SubmitOutcome } from "./delivery/delivery-queue.js";
import { DeliveryCounters, type DeliveryStats } from "./delivery/delivery-stats.js";
import { DeliverySummary, formatSummary } from "./delivery/delivery-summary.js";
import type { SpanSink } from "./delivery/span-sink.js";
import { checkKnownOptions } from "../config/known-options.js";
import { EXPORTER_DEFAULTS, EXPORTER_OPTIONS, type DeadlineOptions, type PhoenixSpanExporterOptions, type PhoenixTransport } from "./options.js";
import { Spool } from "./spool/spool.js";
import { RETRY_DEFAULTS, type RetryPolicy } from "../http/retrying-transport.js";
import { REAL_CLOCK, type Clock } from "../http/clock.js";
import { integerOption } from "./validate.js";
import { joinExit, leaveExit, type ExitParticipant } from "./exit-participants.js";
import { TRACE_PROJECTS } from "./project-router.js";

/** What tests inject: the clock of retries and probe pauses. Not part of the options users see. */
export interface ExporterRuntime {
  clock?: Clock;
}

const TRANSPORTS: ReadonlySet<string> = new Set<PhoenixTransport>(["auto", "rest", "otlp"]);

/**
 * An OpenTelemetry `SpanExporter` that writes spans to Phoenix's REST span
 * route (or OTLP, or the local store for a `file://` endpoint), mapped to
 * Phoenix spans with their OpenInference kind and attributes, through a
 * delivery pipeline that retries, recovers partial refusals, bounds its
 * memory and spools what it cannot deliver now (see docs/delivery.md).
 *
 * `export()` answers SUCCESS only once Phoenix has acknowledged every span of
 * the call. `PhoenixSpanProcessor` uses {@link enqueue} instead, so several
 * batches are in flight while the application carries on.
 */
export class PhoenixSpanExporter implements SpanExporter {
  /** The endpoint spans go to, for logs and diagnostics (no credentials). */
  readonly endpoint: string;
  readonly #queue: DeliveryQueue;
  readonly #sink: SpanSink;
  readonly #spool: Spool | undefined;
  readonly #counters = new DeliveryCounters();
  readonly #summary: DeliverySummary;
  readonly #progressTimeoutMillis: number;
  readonly #flushCapMillis: number;
  readonly #shutdownCapMillis: number;
  #shutdown: Promise<void> | undefined;
  /** What is pending at `beforeExit` / `exit` (exit-participants.ts). */
  readonly #exit: ExitParticipant = {
    // Phoenix known down: waiting would only hold the process; exit settles (spools or announces) instead.
    flushPending: () =>
      this.#queue.pending && !this.#queue.degraded
        ? this.#queue.flush({ ...this.#deadline({}, this.#flushCapMillis), untilDown: true })
        : undefined,
    settleSync: () => void this.spoolPendingSync(),
  };

  constructor(options: PhoenixSpanExporterOptions = {}, runtime: ExporterRuntime = {}) {
    checkKnownOptions("PhoenixSpanExporter", options, EXPORTER_OPTIONS);
    const env = readPhoenixEnvironment();
    const connection = resolveConnection(options, env);
    const project = resolveDefaultProject(options.projectName, env);
    const timeoutMillis = integerOption("timeoutMillis", options.timeoutMillis, 1) ?? EXPORTER_DEFAULTS.timeoutMillis;
    const maxSpansPerRequest =
      integerOption("maxSpansPerRequest", options.maxSpansPerRequest, 1, 10_000) ?? EXPORTER_DEFAULTS.maxSpansPerRequest;
    const concurrency = integerOption("concurrency", options.concurrency, 1, 64) ?? EXPORTER_DEFAULTS.concurrency;
    const transport = transportOption(options.transport);
    const retry = retryOption(options.retry);
    const maxQueuedSpans =
      integerOption("maxQueuedSpans", options.maxQueuedSpans, 1) ?? readBatchEnvironment().maxQueueSize ?? EXPORTER_DEFAULTS.maxQueuedSpans;
    const maxQueuedBytes = integerOption("maxQueuedBytes", options.maxQueuedBytes, 1) ?? EXPORTER_DEFAULTS.maxQueuedBytes;
    const summaryIntervalMillis =
      integerOption("summaryIntervalMillis", options.summaryIntervalMillis, 0) ?? EXPORTER_DEFAULTS.summaryIntervalMillis;
    this.#progressTimeoutMillis =
      integerOption("progressTimeoutMillis", options.progressTimeoutMillis, 1) ?? EXPORTER_DEFAULTS.progressTimeoutMillis;
    this.#flushCapMillis = integerOption("flushTimeoutMillis", options.flushTimeoutMillis, 0) ?? Infinity;
    this.#shutdownCapMillis = integerOption("shutdownTimeoutMillis", options.shutdownTimeoutMillis, 0) ?? Infinity;
    const mapping: MapSpanOptions = options.mapping ?? {};
    // Masking, hostile values and size limits, for every span whatever its entry point (docs/privacy.md).
    const { prepare, limits } = createPrepareStage(options.privacy, options.limits, readOpenInferenceEnvironment());
    const clock = runtime.clock ?? REAL_CLOCK;

    this.endpoint = connection.endpoint.display;
    this.#sink = createSpanSink(connection, { concurrency, transport, retry, clock });
    this.#spool = spoolOption(options, this.#counters);
    this.#summary = new DeliverySummary(
      () => this.stats(),
      () => this.#counters.troubleScore(),
      summaryIntervalMillis,
    );
    this.#queue = new DeliveryQueue({
      sink: this.#sink,
      map: (span) => mapSpan(span, mapping),
      prepare,
      projectOf: routedByTrace(project.explicit ? () => project.name : projectFromResource(project.name)),
      maxSpansPerRequest,
      maxRequestBytes: limits.maxRequestBytes,
      concurrency,
      timeoutMillis,
      maxQueuedSpans,
      maxQueuedBytes,
      spool: this.#spool,
      counters: this.#counters,
      clock,
      probeBackoff: {
        initialMillis: retry.initialBackoffMillis ?? RETRY_DEFAULTS.initialBackoffMillis,
        maxMillis: retry.maxBackoffMillis ?? RETRY_DEFAULTS.maxBackoffMillis,
      },
      onTrouble: () => this.#summary.notice(),
    });
    joinExit(this.#exit);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#shutdown) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error("PhoenixSpanExporter is shut down") });
      return;
    }
    this.#queue.submit(spans).then(
      (ok) =>
        resultCallback(
          ok
            ? { code: ExportResultCode.SUCCESS }
            : {
                code: ExportResultCode.FAILED,
                error: new Error(
                  this.#spool
                    ? `some spans were not delivered to Phoenix yet; those not refused are kept in the spool (${this.#spool.directory}); see the diag log`
                    : "some spans were not delivered to Phoenix; see the diag log",
                ),
              },
        ),
      (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error as Error }),
    );
  }

  /**
   * Hands spans to the delivery pipeline without waiting for Phoenix. Once
   * the exporter is shut down it takes nothing, returns false, and counts
   * the spans as dropped (`shutdown`), announced.
   */
  enqueue(spans: ReadableSpan[]): boolean {
    if (this.#shutdown) {
      this.#counters.received += spans.length;
      this.#counters.drop("shutdown", spans.length);
      return false;
    }
    this.#queue.handOver(spans);
    return true;
  }

  /**
   * Sends spans that are Phoenix spans already (e.g. read from an export
   * file) to `project`, through the same delivery as exported spans: bounds,
   * retries, partial-batch recovery, duplicate handling and the spool.
   * Resolves with what became of them: a span Phoenix already stores counts
   * as a duplicate, not a failure.
   */
  async sendPhoenixSpans(project: string, spans: readonly PhoenixSpan[]): Promise<SubmitOutcome> {
    if (this.#shutdown) throw new PhoenixInputError("PhoenixSpanExporter is shut down.");
    return this.#queue.submitMapped(checkProjectName(project, "The project"), spans);
  }

  /**
   * Resolves once everything handed over so far (the spool included, while
   * Phoenix answers) has been delivered or given up — waiting as long as
   * Phoenix keeps acknowledging, until it is silent for
   * `progressTimeoutMillis` or the cap passes (`timeoutMillis`, default the
   * `flushTimeoutMillis` option, none by default); spans still waiting then
   * go to the spool when there is one, else stay queued.
   */
  async forceFlush(options: DeadlineOptions = {}): Promise<void> {
    const started = Date.now();
    if (!(await this.#queue.flush(this.#deadline(options, this.#flushCapMillis)))) {
      diag.warn(
        `phoenix-connector: forceFlush: ${this.#queue.queuedSpans} spans not delivered within ${Date.now() - started} ms` +
          (this.#spool ? `; waiting ones were written to the spool in ${this.#spool.directory}.` : "; they stay queued."),
      );
    }
  }

  /**
   * Delivers what is pending, as long as Phoenix keeps acknowledging (see
   * {@link forceFlush} for the deadline); what is not delivered then goes to
   * the spool (when configured) or is dropped, counted and announced. Then
   * releases the connection. Idempotent: later calls wait for the first.
   */
  shutdown(options: DeadlineOptions = {}): Promise<void> {
    const deadline = this.#deadline(options, this.#shutdownCapMillis);
    this.#shutdown ??= (async () => {
      leaveExit(this.#exit);
      await this.#queue.close(deadline);
      this.#summary.stop();
      this.#spool?.close();
      if (this.#counters.troubleScore() > 0) diag.warn(formatSummary(this.stats(), "at shutdown, delivery"));
      await this.#sink.shutdown();
    })();
    return this.#shutdown;
  }

  /**
   * For a process `exit` handler (see `flushOnExit`): writes every span still
   * in memory to the spool, synchronously. Returns the spans written; 0
   * without a spool.
   */
  spoolPendingSync(): number {
    const written = this.#queue.spillSync();
    this.#spool?.close();
    return written;
  }

  #deadline(options: DeadlineOptions, defaultCap: number): DrainDeadline {
    const cap = integerOption("timeoutMillis", options?.timeoutMillis, 0) ?? defaultCap;
    return { progressMillis: Math.min(this.#progressTimeoutMillis, cap), capMillis: cap };
  }

  /** Counts of what became of the spans handed over; see {@link DeliveryStats}. Never contains a credential. */
  stats(): DeliveryStats {
    const c = this.#counters;
    const stats: DeliveryStats = {
      destination: this.#sink.description,
      received: c.received,
      exported: c.exported,
      duplicate: c.duplicate,
      retried: c.retried,
      repaired: c.repaired,
      invalid: c.invalid,
      dropped: c.droppedSnapshot(),
      spooled: c.spooled,
      replayed: c.replayed,
      unknown: c.unknown,
      queue: { spans: this.#queue.queuedSpans, bytes: this.#queue.queuedBytes, requestsInFlight: this.#queue.requestsInFlight },
      degraded: this.#queue.degraded,
    };
    if (this.#spool) stats.spool = { spans: this.#spool.spans, bytes: this.#spool.bytes, directory: this.#spool.directory };
    const reason = this.#queue.describeDegradation();
    if (reason) stats.degradedReason = reason;
    return stats;
  }
}

function transportOption(value: unknown): PhoenixTransport {
  if (value === undefined) return EXPORTER_DEFAULTS.transport;
  if (typeof value !== "string" || !TRANSPORTS.has(value)) {
    throw new PhoenixConfigurationError(`The transport option must be "auto", "rest" or "otlp"; got ${JSON.stringify(value)}.`);
  }
  return value as PhoenixTransport;
}

function retryOption(policy: RetryPolicy | undefined): RetryPolicy {
  if (policy === undefined) return {};
  if (typeof policy !== "object" || policy === null) {
    throw new PhoenixConfigurationError("The retry option must be an object such as { maxAttempts: 8, deadlineMillis: 60000 }.");
  }
  const checked: RetryPolicy = {};
  const set = <K extends keyof RetryPolicy>(key: K, min: number) => {
    const value = integerOption(`retry.${key}`, policy[key], min);
    if (value !== undefined) checked[key] = value;
  };
  set("maxAttempts", 1);
  set("initialBackoffMillis", 0);
  set("maxBackoffMillis", 0);
  set("multiplier", 1);
  set("deadlineMillis", 0);
  set("maxRetryAfterMillis", 0);
  return checked;
}

function spoolOption(options: PhoenixSpanExporterOptions, counters: DeliveryCounters): Spool | undefined {
  if (options.spoolDir === undefined) return undefined;
  if (typeof options.spoolDir !== "string" || options.spoolDir.trim() === "") {
    throw new PhoenixConfigurationError("The spoolDir option must be a directory path.");
  }
  return new Spool({
    directory: options.spoolDir,
    maxBytes: integerOption("spoolMaxBytes", options.spoolMaxBytes, 1) ?? EXPORTER_DEFAULTS.spoolMaxBytes,
    fsyncMillis: integerOption("spoolFsyncMillis", options.spoolFsyncMillis, 0) ?? EXPORTER_DEFAULTS.spoolFsyncMillis,
    onCorrupt: (records, file) => {
      counters.drop("spool-corrupt", records);
      diag.error(`phoenix-connector: ${records} damaged records in the spool file ${file} failed their checksum; skipped.`);
    },
  });
}

/** A trace registered with the project router (a connector job's) goes to its project; any other span as `otherwise` says. */
function routedByTrace(otherwise: (span: ReadableSpan) => string): (span: ReadableSpan) => string {
  return (span) => TRACE_PROJECTS.projectOf(span.spanContext().traceId) ?? otherwise(span);
}

/**
 * Project of a span from its resource's `openinference.project.name`, else
 * the fallback. Resources are shared by all spans of a provider, so the
 * answer is cached per resource object.
 */
function projectFromResource(fallback: string): (span: ReadableSpan) => string {
  const cache = new WeakMap<object, string>();
  return (span) => {
    const resource = span.resource as object | undefined;
    if (!resource) return fallback;
    let project = cache.get(resource);
    if (project === undefined) {
      project = fallback;
      const raw = span.resource.attributes?.[SEMRESATTRS_PROJECT_NAME];
      if (typeof raw === "string" && raw.trim() !== "") {
        try {
          project = checkProjectName(raw, `The resource attribute ${SEMRESATTRS_PROJECT_NAME}`);
        } catch (error) {
          diag.error(`phoenix-connector: ${(error as Error).message} Sending its spans to "${fallback}".`);
        }
      }
      cache.set(resource, project);
    }
    return project;
  };
}
