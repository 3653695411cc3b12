import type { Writable } from "node:stream";
import type { Context } from "@opentelemetry/api";
import { PhoenixInputError } from "../errors.js";
import type { SpanProcessor } from "../exporter/otel-contract.js";
import type { HallucinationResult } from "../hallucination/types.js";
import { isValidTraceId } from "../mapping/ids.js";
import type { PhoenixBackend, PhoenixProjectRef } from "../store/backend.js";
import { logAnnotation, logEvaluation, logMetrics } from "./annotations/job-scores.js";
import type {
  CompareTracesOptions,
  CompleteJobOptions,
  ConnectOptions,
  Connector,
  DetectHallucinationOptions,
  EvaluationResult,
  ExportTraceOptions,
  ExportTraceSelection,
  FlushReport,
  ImportTracesOptions,
  LogAnnotationOptions,
  LogEvaluationOptions,
  LogMetricsOptions,
  LogSpanOptions,
  TrainingConfig,
} from "./base.js";
import { checkTraceIds, compareStoredTraces } from "./comparison/compare-stored.js";
import type { TraceComparison } from "./comparison/types.js";
import { Connection, ConnectionLifecycle } from "./connection.js";
import { definedOnly } from "./defined-only.js";
import { compareExperiments, experimentUrl } from "./experiments/compare-experiments.js";
import type { CompareExperimentsOptions, ExperimentComparison } from "./experiments/comparison-types.js";
import { logExperiment } from "./experiments/log-experiment.js";
import type { ExperimentResult, LogExperimentOptions } from "./experiments/types.js";
import { detectAndLog } from "./hallucination-span.js";
import { ioAttributes } from "./io-attributes.js";
import { spanName } from "./jobs/span-spec.js";
import { jsonObject } from "./json-object.js";
import { checkConnectOptions, checkConnectorOptions, type PhoenixConnectorOptions } from "./options.js";
import { parseSpanType } from "./span-types.js";
import type { ExportSummary } from "./transfer/export-traces.js";
import type { ImportSummary } from "./transfer/import-traces.js";
import { exportTrace, importTraces } from "./transfer/transfer.js";

export type { PhoenixConnectorOptions } from "./options.js";

/**
 * Jobs, spans, metrics, evaluations and annotations into Phoenix (or the
 * local store for a `file://DIR` endpoint), on the same pipeline as the
 * application's own spans: every span goes through a `PhoenixSpanProcessor`
 * (the same mapping and 50-span / 3-second batching), or the span processor
 * you share, and annotations follow once their span is stored.
 *
 * It makes its spans itself (no OpenTelemetry SDK is loaded) and never
 * registers anything global. A thin facade over its parts: the connection
 * (connection.ts), the jobs and their spans (jobs/), metrics and evaluations
 * as annotations (annotations/job-scores.ts), the hallucination span
 * (hallucination-span.ts) and transfer (transfer/transfer.ts).
 */
export class PhoenixConnector implements Connector {
  readonly #options: PhoenixConnectorOptions;
  readonly #lifecycle = new ConnectionLifecycle();

  constructor(options: PhoenixConnectorOptions = {}) {
    checkConnectorOptions(options);
    this.#options = options;
  }

  /**
   * Checks the endpoint and the credentials (GET /v1/projects) and picks the
   * project: `projectId` (a name or a global id), else `PHOENIX_PROJECT`,
   * else the first project Phoenix lists — Phoenix lists newest first, so
   * that is the most recently created one. A project name Phoenix does not
   * know yet is created, so that its global id is known for trace URLs.
   *
   * @throws PhoenixConfigurationError for a bad option
   * @throws PhoenixAuthenticationError on 401/403 (the message says what to check, never the key)
   * @throws PhoenixConnectionError when Phoenix cannot be reached after bounded retries
   */
  async connect(options: ConnectOptions = {}): Promise<void> {
    checkConnectOptions(options);
    await this.#lifecycle.connect(() => Connection.open(this.#options, options));
  }

  /** The back end in use (Phoenix REST or the local store), for reading traces back. */
  get backend(): PhoenixBackend {
    return this.#lifecycle.get().backend;
  }

  /** The connected project (name and global id). */
  get project(): PhoenixProjectRef {
    return { ...this.#lifecycle.get().project };
  }

  /** The span processor connector spans go through; share it with your own tracer provider. */
  get spanProcessor(): SpanProcessor {
    return this.#lifecycle.get().processor;
  }

  /**
   * Opens a job: a new trace whose root span (kind CHAIN) carries the config
   * as `job.config.*` attributes, `metadata` and input. The root span is
   * exported when the job completes, with its real duration and status.
   *
   * @returns the job id, which is the trace id (32 hex characters)
   */
  async submitJob(config: TrainingConfig): Promise<string> {
    return this.#lifecycle.get().jobs.submit(config);
  }

  /**
   * Logs one span of a job. `spanType` sets the Phoenix kind and stays
   * visible as the tag and `metadata.span_type`; `inputData`/`outputData`
   * become `input.value`/`output.value` plus recognisable OpenInference
   * detail (see io-attributes.ts). The span travels in the next batch.
   *
   * @returns the span id (16 hex characters)
   * @throws PhoenixInputError for an unknown or completed job, or a `parentSpanId` that is not a span of the job
   */
  async logSpan(options: LogSpanOptions): Promise<string> {
    const { jobs } = this.#lifecycle.get();
    const job = jobs.open(options.jobId);
    const spanType = parseSpanType(options.spanType);
    const name = spanName(options.name);
    const { parentSpanId, startTime, endTime, status, statusMessage } = options;
    return jobs.emit(job, {
      name,
      spanType,
      attributes: ioAttributes(spanType, name, options.inputData, options.outputData),
      metadata: jsonObject(options.metadata, name),
      ...definedOnly({ parentSpanId, startTime, endTime, status, statusMessage }),
    });
  }

  /**
   * Logs a metrics span and one trace annotation per metric (`name` = metric,
   * `score` = value, `identifier` = `step-<n>`), so each value shows on the
   * trace in Phoenix. The annotations are sent once the span is stored.
   *
   * @returns the metrics span's id
   */
  async logMetrics(options: LogMetricsOptions): Promise<string> {
    return logMetrics(this.#lifecycle.get(), options);
  }

  /**
   * Logs an evaluation: an EVALUATOR span with the predictions, references
   * and scores, and one trace annotation per score named
   * `<evalName>.<metric>`. Without `scores`, computes accuracy and, for
   * categorical labels, macro precision, recall and F1.
   *
   * @throws PhoenixInputError for mismatched lengths, empty lists or non-finite scores
   */
  async logEvaluation(options: LogEvaluationOptions): Promise<EvaluationResult> {
    return logEvaluation(this.#lifecycle.get(), options);
  }

  /**
   * Logs an evaluation as a Phoenix experiment (docs/connector.md,
   * "Experiments"): the examples become a dataset — created once by name,
   * found again on the next run (same ids and content), never duplicated; a
   * dataset lacking some examples is refused unless `onNewExamples:
   * "append"` — then a new experiment on it, a run per prediction and
   * repetition linked to the job's trace, and per run the computed scores
   * (accuracy; precision/recall/F1 for label lists), your scores, your
   * evaluators and the hallucination verdict as experiment evaluations. A
   * failed prediction (an `Error`) is a run error, a failing evaluator an
   * evaluation error; a write refused for one run is listed in `failures`.
   *
   * @throws PhoenixInputError for bad input (lengths, examples without input, …) or a dataset that holds other examples
   */
  async logExperiment(options: LogExperimentOptions): Promise<ExperimentResult> {
    return logExperiment(this.#lifecycle.get(), options, this.#options.hallucinationDetector);
  }

  /**
   * Annotates a span or a trace; it is sent once its target is stored (see
   * `flush`). An annotation of a job's trace waits until the job has a span
   * that ended (its root span ends at completeJob).
   */
  async logAnnotation(options: LogAnnotationOptions): Promise<void> {
    logAnnotation(this.#lifecycle.get(), options);
  }

  /**
   * Judges whether `response` is grounded in `context` (see
   * `detectHallucination` in src/hallucination for the exact meaning of
   * score, confidence and label). With a `jobId`, the verdict is logged as a
   * `hallucination` span and annotation (see hallucination-span.ts); without
   * one nothing is logged and no connection is needed.
   *
   * @throws HallucinationInputError for an empty context or response, or a threshold outside [0, 1]
   * @throws PhoenixInputError for an unknown or completed job or a malformed span id
   */
  async detectHallucination(options: DetectHallucinationOptions): Promise<HallucinationResult> {
    return detectAndLog(() => this.#lifecycle.get(), options, this.#options.hallucinationDetector);
  }

  /**
   * `{endpoint}/projects/{projectGlobalId}/traces/{traceId}` on Phoenix; for
   * the local store, the `file://` URL of the project's spans file with
   * `#trace_id=<id>`. A trace id that is not a job of this connector is
   * placed in the connected project.
   */
  getTraceUrl(jobId: string): string {
    const connection = this.#lifecycle.get();
    const job = connection.jobs.find(jobId);
    if (job) return connection.backend.traceUrl(job.project, job.traceId);
    if (!isValidTraceId(jobId)) throw new PhoenixInputError(`${JSON.stringify(jobId)} is not a job id (32 hex characters, as submitJob returns).`);
    return connection.backend.traceUrl(connection.project, jobId);
  }

  /**
   * A context whose active span is the job's root span (or `spanId`, a span
   * of the job), for running your own instrumented code inside the job's
   * trace: `context.with(connector.jobContext(jobId), () => agent.run())`.
   * Spans made under it land in the job's trace and, through a
   * `PhoenixSpanProcessor` or `PhoenixSpanExporter`, in the job's project.
   *
   * @throws PhoenixInputError for an unknown or completed job, or a `spanId` that is not a span of the job
   */
  jobContext(jobId: string, spanId?: string): Context {
    const { jobs } = this.#lifecycle.get();
    const job = jobs.open(jobId);
    return jobs.parentContext(job, spanId ?? job.rootSpanId, true, "spanId");
  }

  /**
   * Ends the job's root span (succeeded → OK, failed → ERROR with the
   * message, cancelled → UNSET), then delivers everything logged so far.
   */
  async completeJob(jobId: string, options: CompleteJobOptions = {}): Promise<void> {
    const connection = this.#lifecycle.get();
    const job = connection.jobs.find(jobId);
    if (!job) throw new PhoenixInputError(`Unknown job ${JSON.stringify(jobId)}: use the id submitJob returned.`);
    connection.jobs.complete(job, options);
    await connection.flush();
  }

  /**
   * Delivers every span ended so far (Phoenix acknowledged them), then every
   * pending annotation (stored, or given up after the bounded wait).
   */
  async flush(): Promise<FlushReport> {
    return this.#lifecycle.get().flush();
  }

  /**
   * Reads each trace back from Phoenix (or the local store) — its spans, all
   * cursor pages, and its trace and span annotations — and compares them:
   * `traces` (root, status, start, latency, spans by kind, tokens, cost,
   * errors, models), `spans` aligned by their path of names, `evaluations`
   * (every annotation name) and `summary` (per metric the best trace and each
   * trace's delta against the first, the baseline).
   *
   * A job of this connector is read from its project; other trace ids from
   * `projectId`, else the connected project. Ids not found are listed in
   * `missing`. Phoenix stores spans after acknowledging them: right after
   * completeJob, pass `wait` on a real server.
   *
   * @throws PhoenixInputError for an empty list or a malformed id
   * @throws PhoenixTraceNotFoundError when none of the traces is found
   */
  async compareTraces(jobIds: readonly string[], options: CompareTracesOptions = {}): Promise<TraceComparison> {
    const connection = this.#lifecycle.get();
    checkTraceIds(jobIds);
    const fallback = options.projectId ?? connection.project.name;
    return compareStoredTraces(
      connection.backend,
      jobIds.map((traceId) => ({ traceId, project: connection.jobs.find(traceId)?.project.name ?? fallback })),
      { clock: connection.clock, ...definedOnly({ wait: options.wait, metricDirections: options.metricDirections }) },
    );
  }

  /**
   * Reads experiments back (Phoenix or the local store) and sets them side
   * by side (see compare-experiments.ts): per example the outputs and
   * evaluations of each, per evaluation the mean score with the best and
   * the delta against the first (the baseline), and the examples whose
   * result fell (`regressions`) or rose (`improvements`).
   *
   * @throws PhoenixInputError for an empty list or experiments of different datasets
   * @throws PhoenixExperimentNotFoundError naming unknown experiment ids
   */
  async compareExperiments(experimentIds: readonly string[], options: CompareExperimentsOptions = {}): Promise<ExperimentComparison> {
    return compareExperiments(this.#lifecycle.get().backend, experimentIds, options);
  }

  /**
   * Phoenix's experiment comparison page,
   * `{endpoint}/datasets/{datasetId}/compare?experimentId=A&experimentId=B…`
   * (A the baseline; one id shows that experiment); offline, the local
   * experiments file with the ids after `#`.
   *
   * @throws PhoenixExperimentNotFoundError when the first experiment is unknown
   */
  async getExperimentUrl(experimentIds: string | readonly string[]): Promise<string> {
    return experimentUrl(this.#lifecycle.get().backend, experimentIds);
  }

  /**
   * Streams traces — spans as Phoenix returns them, then their span and trace
   * annotations — to a JSON-lines trace file (see docs/cli.md for the
   * format), or to a stream. `selection` is a job (trace) id, several, or a
   * window `{ projectId, start, end }` of a project: the traces with a span
   * started in [start, end), exported whole.
   *
   * @throws PhoenixInputError for a malformed id or window
   * @throws PhoenixTraceNotFoundError when none of the trace ids is stored
   */
  async exportTrace(selection: ExportTraceSelection, output: string | Writable, options: ExportTraceOptions = {}): Promise<ExportSummary> {
    return exportTrace(this.#lifecycle.get(), selection, output, options);
  }

  /**
   * Imports a trace file (as exportTrace writes it) into a project: spans
   * through the exporter's delivery (`PhoenixSpanExporter.sendPhoenixSpans`:
   * bounds, retries, partial-batch recovery, duplicates counted) — the
   * connector's own exporter when it was given one, else a new one with its
   * `retry` — then their annotations through the connector's annotation
   * sending (after their spans are stored, sync, bounded retries). A span
   * already stored anywhere on the server counts as a duplicate, stored
   * once; `newIds` makes a copy. Progress is kept beside the file, so an
   * interrupted import continues with `resume`.
   *
   * @throws PhoenixTraceFileError when the file is not a trace export (nothing is sent)
   * @throws PhoenixInputError when an interrupted import is in the way (pass resume or restart)
   * @throws PhoenixImportInterruptedError when spans could not be delivered; resume continues
   */
  async importTraces(file: string, options: ImportTracesOptions = {}): Promise<ImportSummary> {
    return importTraces(this.#lifecycle.get(), this.#options, file, options);
  }

  /**
   * Completes the open jobs (status UNSET, `job.status` = `incomplete`),
   * delivers everything, and shuts down the processor the connector built
   * (a processor you passed in is only flushed). Idempotent.
   */
  disconnect(): Promise<void> {
    return this.#lifecycle.disconnect();
  }
}
