import type { Writable } from "node:stream";
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { readPhoenixEnvironment } from "../config/environment.js";
import { checkKnownOptions, optionNames } from "../config/known-options.js";
import { checkProjectName, resolveConnection, resolveDefaultProject, type PhoenixConnectionOptions } from "../config/phoenix-config.js";
import { PhoenixConfigurationError, PhoenixInputError } from "../errors.js";
import { PhoenixSpanProcessor, type PhoenixBatchOptions } from "../exporter/processor.js";
import type { SpanProcessor } from "../exporter/otel-contract.js";
import { ConnectorTracer } from "./connector-tracer.js";
import { integerOption } from "../exporter/validate.js";
import { type RetryPolicy } from "../http/retrying-transport.js";
import { REAL_CLOCK, type Clock } from "../http/clock.js";
import { safeJson } from "../mapping/attributes.js";
import { isValidSpanId, isValidTraceId } from "../mapping/ids.js";
import type { PhoenixAttributes } from "../mapping/phoenix-span.js";
import { checkAnnotation } from "./annotations/annotation-input.js";
import { AnnotationQueue } from "./annotations/annotation-queue.js";
import { isProjectGlobalId, type PhoenixBackend, type PhoenixProjectRef } from "../store/backend.js";
import { backendFor } from "./backend/open-backend.js";
import type {
  CompareTracesOptions,
  CompleteJobOptions,
  ConnectOptions,
  ExportTraceOptions,
  ExportTraceSelection,
  ExportTraceWindow,
  ImportTracesOptions,
  DetectHallucinationOptions,
  Connector,
  EvaluationResult,
  FlushReport,
  JobStatus,
  LogAnnotationOptions,
  LogEvaluationOptions,
  LogMetricsOptions,
  LogSpanOptions,
  SpanStatus,
  TimeInput,
  TrainingConfig,
} from "./base.js";
import { detectHallucination } from "../hallucination/detect.js";
import { HallucinationInputError } from "../hallucination/errors.js";
import { grounding } from "../hallucination/grounding/detector.js";
import { toHallucinationDetector } from "../hallucination/custom-detector.js";
import type { HallucinationDetectorLike, HallucinationResult } from "../hallucination/types.js";
import { evaluationScores } from "./evaluation-scores.js";
import { keepingProcessAlive } from "./keep-alive.js";
import { ioAttributes } from "./io-attributes.js";
import { jsonObject } from "./json-object.js";
import { checkNumericRecord } from "./numeric-record.js";
import { PHOENIX_KIND_OF_SPAN_TYPE, parseSpanType, type SpanType } from "./span-types.js";
import { spanTimes } from "./span-timing.js";
import { checkTrainingConfig, trainingConfigAttributes } from "./training-config.js";
import { checkTraceIds, compareStoredTraces } from "./comparison/compare-stored.js";
import type { TraceComparison } from "./comparison/types.js";
import { exportTraces, type ExportSummary } from "./transfer/export-traces.js";
import { importTraceFile, type ImportSummary } from "./transfer/import-traces.js";
import { windowTime } from "./transfer/window-time.js";
import { PhoenixSpanExporter } from "../exporter/exporter.js";
import type { PhoenixAnnotationDataOf, PhoenixAnnotationTarget } from "../store/backend.js";

export interface PhoenixConnectorOptions {
  /**
   * Share the application's pipeline: connector spans go through this
   * processor (e.g. the `PhoenixSpanProcessor` registered with the NodeSDK).
   * The connector flushes it but never shuts it down. Its exporter should
   * route by the resource's project (no explicit `projectName`), or every
   * job lands in that exporter's project.
   */
  spanProcessor?: SpanProcessor;
  /** Or share an exporter: the connector wraps it in its own `PhoenixSpanProcessor`. */
  exporter?: PhoenixSpanExporter;
  /** Batching of the processor the connector builds (default 50 spans / 3 s, like the exporter). */
  batch?: PhoenixBatchOptions;
  /** Longest wait for an annotation's span to be stored before it is given up. Default 60 000 ms. */
  annotationTimeoutMillis?: number;
  /** Pending annotations are sent this long after the first was logged; 0 = only at flush/completeJob/disconnect. Default 3 000 ms. */
  annotationDelayMillis?: number;
  /** Retries of the REST calls (connect, project look-ups, annotations). Default 4 attempts within 10 s. */
  retry?: RetryPolicy;
  /** Clock of retries and annotation waits; tests inject one. */
  clock?: Clock;
  /**
   * Detector of `detectHallucination` when a call names none: an `llmJudge(...)`,
   * a custom function, or the default offline `grounding` detector.
   */
  hallucinationDetector?: HallucinationDetectorLike;
}

/** Option names, so that a misspelt one is refused naming the closest (the compiler keeps the lists complete). */
const CONNECTOR_OPTIONS = optionNames<PhoenixConnectorOptions>({
  spanProcessor: true,
  exporter: true,
  batch: true,
  annotationTimeoutMillis: true,
  annotationDelayMillis: true,
  retry: true,
  clock: true,
  hallucinationDetector: true,
});
const CONNECT_OPTIONS = optionNames<ConnectOptions>({ endpoint: true, apiKey: true, headers: true, ca: true, projectId: true });

interface Connection {
  /** Endpoint and credentials as given to connect (the rest from PHOENIX_*), for the exporters imports build. */
  connectionOptions: PhoenixConnectionOptions;
  backend: PhoenixBackend;
  project: PhoenixProjectRef;
  processor: SpanProcessor;
  ownsProcessor: boolean;
  annotations: AnnotationQueue;
  tracers: Map<string, ConnectorTracer>;
}

interface Job {
  traceId: string;
  root: Span;
  rootSpanId: string;
  project: PhoenixProjectRef;
  tracer: Tracer;
  metricsCalls: number;
  /** Spans of the job ended through the connector: once one is, the trace can exist in Phoenix. */
  spansEnded: number;
  open: boolean;
}

interface SpanSpec {
  name: string;
  spanType: SpanType;
  attributes: PhoenixAttributes;
  metadata?: Record<string, unknown>;
  parentSpanId?: string;
  startTime?: TimeInput;
  endTime?: TimeInput;
  status?: SpanStatus;
  statusMessage?: string;
}

const SPAN_STATUS: ReadonlyMap<string, SpanStatusCode> = new Map([
  ["ok", SpanStatusCode.OK],
  ["error", SpanStatusCode.ERROR],
  ["unset", SpanStatusCode.UNSET],
]);

const JOB_STATUS: ReadonlyMap<JobStatus, SpanStatusCode> = new Map<JobStatus, SpanStatusCode>([
  ["succeeded", SpanStatusCode.OK],
  ["failed", SpanStatusCode.ERROR],
  ["cancelled", SpanStatusCode.UNSET],
]);

/** Connector spans are explicit logs: never sampled away, and a retriever may carry many documents. */

/**
 * Jobs, spans, metrics, evaluations and annotations into Phoenix (or the
 * local store for a `file://DIR` endpoint), on the same pipeline as the
 * application's own spans: every span goes through a `PhoenixSpanProcessor`
 * (the same mapping and 50-span / 3-second batching), and annotations follow
 * once their span is stored.
 *
 * It runs on its own tracer providers (one per project) and never registers
 * anything global.
 */
export class PhoenixConnector implements Connector {
  readonly #options: PhoenixConnectorOptions;
  readonly #jobs = new Map<string, Job>();
  #connection: Connection | undefined;
  #connecting = false;
  #disconnected: Promise<void> | undefined;

  constructor(options: PhoenixConnectorOptions = {}) {
    checkKnownOptions("PhoenixConnector", options, CONNECTOR_OPTIONS);
    if (options.spanProcessor !== undefined && options.exporter !== undefined) {
      throw new PhoenixConfigurationError("Pass either spanProcessor or exporter to PhoenixConnector, not both: the processor already has its exporter.");
    }
    integerOption("annotationTimeoutMillis", options.annotationTimeoutMillis, 1);
    integerOption("annotationDelayMillis", options.annotationDelayMillis, 0);
    // A bad detector is refused here, where it was written.
    if (options.hallucinationDetector !== undefined) toHallucinationDetector(options.hallucinationDetector);
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
    checkKnownOptions("connect()", options, CONNECT_OPTIONS);
    if (this.#disconnected) throw new PhoenixInputError("This connector is disconnected; create a new PhoenixConnector.");
    if (this.#connection || this.#connecting) throw new PhoenixInputError("This connector is already connected.");
    if (options.projectId !== undefined && (typeof options.projectId !== "string" || options.projectId.trim() === "")) {
      throw new PhoenixConfigurationError("The projectId option must be a project name or global id.");
    }
    this.#connecting = true;
    try {
      const env = readPhoenixEnvironment();
      const connection = resolveConnection(options, env);
      const clock = this.#options.clock ?? REAL_CLOCK;
      const backend = backendFor(connection, { clock, ...(this.#options.retry ? { retry: this.#options.retry } : {}) });
      let project: PhoenixProjectRef;
      try {
        const requested = options.projectId ?? (env.projectName !== undefined ? resolveDefaultProject(undefined, env).name : undefined);
        project = await keepingProcessAlive(() => pickProject(backend, requested));
      } catch (error) {
        await backend.close();
        throw error;
      }
      const ownsProcessor = this.#options.spanProcessor === undefined;
      const processor =
        this.#options.spanProcessor ??
        new PhoenixSpanProcessor({
          ...this.#options.batch,
          // A shared exporter owns its connection; connect()'s endpoint and credentials then serve the REST calls only.
          ...(this.#options.exporter
            ? { exporter: this.#options.exporter }
            : definedOnly({ endpoint: options.endpoint, apiKey: options.apiKey, headers: options.headers, ca: options.ca })),
        });
      const annotations = new AnnotationQueue({
        backend,
        flushSpans: () => processor.forceFlush(),
        clock,
        maxWaitMillis: this.#options.annotationTimeoutMillis ?? 60_000,
        autoFlushMillis: this.#options.annotationDelayMillis ?? 3_000,
      });
      const connectionOptions = definedOnly({ endpoint: options.endpoint, apiKey: options.apiKey, headers: options.headers, ca: options.ca });
      this.#connection = { connectionOptions, backend, project, processor, ownsProcessor, annotations, tracers: new Map() };
    } finally {
      this.#connecting = false;
    }
  }

  /** The back end in use (Phoenix REST or the local store), for reading traces back. */
  get backend(): PhoenixBackend {
    return this.#connected().backend;
  }

  /** The connected project (name and global id). */
  get project(): PhoenixProjectRef {
    return { ...this.#connected().project };
  }

  /** The span processor connector spans go through; share it with your own tracer provider. */
  get spanProcessor(): SpanProcessor {
    return this.#connected().processor;
  }

  /**
   * Opens a job: a new trace whose root span (kind CHAIN) carries the config
   * as `job.config.*` attributes, `metadata` and input. The root span is
   * exported when the job completes, with its real duration and status.
   *
   * @returns the job id, which is the trace id (32 hex characters)
   */
  async submitJob(config: TrainingConfig): Promise<string> {
    const connection = this.#connected();
    checkTrainingConfig(config);
    let project = connection.project;
    if (config.projectName !== undefined && config.projectName !== project.name) {
      project = await connection.backend.ensureProject(checkProjectName(config.projectName, "The config's projectName"));
    }
    const tracer = this.#tracer(project.name);
    const attributes = trainingConfigAttributes(config);
    attributes[SC.OPENINFERENCE_SPAN_KIND] = "CHAIN";
    const root = tracer.startSpan(config.jobName ?? "job", { root: true, attributes: attributes as Attributes }, ROOT_CONTEXT);
    const { traceId, spanId } = root.spanContext();
    this.#jobs.set(traceId, { traceId, root, rootSpanId: spanId, project, tracer, metricsCalls: 0, spansEnded: 0, open: true });
    return traceId;
  }

  /**
   * Logs one span of a job. `spanType` sets the Phoenix kind and stays
   * visible as the tag and `metadata.span_type`; `inputData`/`outputData`
   * become `input.value`/`output.value` plus recognisable OpenInference
   * detail (see io-attributes.ts). The span travels in the next batch.
   *
   * @returns the span id (16 hex characters)
   */
  async logSpan(options: LogSpanOptions): Promise<string> {
    const job = this.#job(options.jobId);
    const spanType = parseSpanType(options.spanType);
    const name = spanName(options.name);
    const { parentSpanId, startTime, endTime, status, statusMessage } = options;
    return this.#emit(job, {
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
    const job = this.#job(options.jobId);
    const metrics = checkNumericRecord(options.metrics, "metrics", "{ loss: 0.23, accuracy: 0.89 }");
    const step = options.step ?? job.metricsCalls;
    if (!Number.isSafeInteger(step) || step < 0) throw new PhoenixInputError(`step must be a non-negative integer, not ${String(step)}.`);
    job.metricsCalls++;
    const attributes = ioAttributes("metrics", "metrics", undefined, metrics);
    for (const [name, value] of Object.entries(metrics)) attributes[`metrics.${name}`] = value;
    attributes["metrics.step"] = step;
    const spanId = this.#emit(job, {
      name: "metrics",
      spanType: "metrics",
      attributes,
      metadata: { step },
      ...definedOnly({ parentSpanId: options.parentSpanId }),
    });
    const { annotations } = this.#connected();
    for (const [name, value] of Object.entries(metrics)) {
      void annotations.add("trace", {
        trace_id: job.traceId,
        name,
        annotator_kind: "CODE",
        result: { score: value },
        identifier: `step-${step}`,
        metadata: { step, span_id: spanId },
      });
    }
    return spanId;
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
    const job = this.#job(options.jobId);
    const evalName = spanName(options.evalName, "evalName");
    const scores = evaluationScores(options);
    const attributes = ioAttributes("evaluation", evalName, { predictions: options.predictions, references: options.references }, scores);
    const spanId = this.#emit(job, {
      name: evalName,
      spanType: "evaluation",
      attributes,
      metadata: { ...jsonObject(options.metadata, evalName), eval_name: evalName, items: options.predictions.length },
      ...definedOnly({ parentSpanId: options.parentSpanId }),
    });
    const { annotations } = this.#connected();
    for (const [metric, value] of Object.entries(scores)) {
      void annotations.add("trace", {
        trace_id: job.traceId,
        name: `${evalName}.${metric}`,
        annotator_kind: "CODE",
        result: { score: value },
        // Unique per evaluation span: a retried request updates instead of adding a copy.
        identifier: `eval-${spanId}`,
        metadata: { span_id: spanId, items: options.predictions.length },
      });
    }
    return { spanId, scores };
  }

  /**
   * Annotates a span or a trace; it is sent once its target is stored (see
   * `flush`). An annotation of a job's trace waits until the job has a span
   * that ended (its root span ends at completeJob).
   */
  async logAnnotation(options: LogAnnotationOptions): Promise<void> {
    const { annotations } = this.#connected();
    const checked = checkAnnotation(options);
    if (checked.target === "span") {
      void annotations.add("span", checked.data);
      return;
    }
    const job = this.#jobs.get(checked.data.trace_id);
    void annotations.add("trace", checked.data, job ? () => job.spansEnded > 0 || !job.open : undefined);
  }

  /**
   * Judges whether `response` is grounded in `context` (see
   * `detectHallucination` in src/hallucination for the exact meaning of
   * score, confidence and label).
   *
   * With a `jobId`, the verdict is logged as a `hallucination` span
   * (EVALUATOR) under the job — under `spanId` when given — and as a span
   * annotation named `hallucination` (label, score, explanation; annotator
   * kind LLM for a judge, CODE otherwise) on `spanId`, else on the new span.
   * A detector that fails is logged as an ERROR span, then its error thrown.
   * Without a `jobId` nothing is logged and no connection is needed.
   *
   * @throws HallucinationInputError for an empty context or response, or a threshold outside [0, 1]
   * @throws PhoenixInputError for an unknown job or a malformed span id
   */
  async detectHallucination(options: DetectHallucinationOptions): Promise<HallucinationResult> {
    const { jobId, spanId, parentSpanId, detector: chosen, signal, ...input } = options;
    const detector = toHallucinationDetector(chosen ?? this.#options.hallucinationDetector ?? grounding);
    const job = jobId === undefined ? undefined : this.#job(jobId);
    for (const [name, id] of [["spanId", spanId], ["parentSpanId", parentSpanId]] as const) {
      if (id !== undefined && !isValidSpanId(id)) {
        throw new PhoenixInputError(`${name} ${JSON.stringify(id)} is not a span id (16 hex characters, as logSpan returns).`);
      }
    }
    const startTime = Date.now();
    let result: HallucinationResult;
    try {
      result = await detectHallucination(input, detector, signal ? { signal } : {});
    } catch (error) {
      // Input errors are the caller's and log nothing; a detector that failed leaves a trace of it.
      if (job && !(error instanceof HallucinationInputError)) {
        this.#emit(job, {
          name: "hallucination",
          spanType: "hallucination",
          attributes: ioAttributes("hallucination", "hallucination", hallucinationInput(input), undefined),
          metadata: { detector: detector.name },
          parentSpanId: parentSpanId ?? spanId ?? job.rootSpanId,
          startTime,
          status: "error",
          statusMessage: (error as Error).message,
        });
      }
      throw error;
    }
    if (!job) return result;
    const attributes = ioAttributes("hallucination", "hallucination", hallucinationInput(input), result);
    attributes["hallucination.label"] = result.label;
    attributes["hallucination.score"] = result.score;
    attributes["hallucination.confidence"] = result.confidence;
    const logged = this.#emit(job, {
      name: "hallucination",
      spanType: "hallucination",
      attributes,
      metadata: { detector: result.detector, threshold: input.threshold ?? 0.5 },
      parentSpanId: parentSpanId ?? spanId ?? job.rootSpanId,
      startTime,
      status: "ok",
    });
    const target = spanId ?? logged;
    void this.#connected().annotations.add("span", {
      span_id: target,
      name: "hallucination",
      annotator_kind: detector.annotatorKind,
      result: { label: result.label, score: result.score, explanation: result.explanation },
      // One verdict per hallucination span: a retried request updates instead of adding a copy.
      identifier: `hallucination-${logged}`,
      metadata: {
        detector: result.detector,
        confidence: result.confidence,
        threshold: input.threshold ?? 0.5,
        unsupported: result.unsupported,
        hallucination_span_id: logged,
      },
    });
    return result;
  }

  /**
   * `{endpoint}/projects/{projectGlobalId}/traces/{traceId}` on Phoenix; for
   * the local store, the `file://` URL of the project's spans file with
   * `#trace_id=<id>`. A trace id that is not a job of this connector is
   * placed in the connected project.
   */
  getTraceUrl(jobId: string): string {
    const connection = this.#connected();
    const job = this.#jobs.get(jobId);
    if (job) return connection.backend.traceUrl(job.project, job.traceId);
    if (!isValidTraceId(jobId)) throw new PhoenixInputError(`${JSON.stringify(jobId)} is not a job id (32 hex characters, as submitJob returns).`);
    return connection.backend.traceUrl(connection.project, jobId);
  }

  /**
   * A context whose active span is the job's root span (or `spanId` of the
   * job), for running your own instrumented code inside the job's trace:
   * `context.with(connector.jobContext(jobId), () => agent.run())`.
   */
  jobContext(jobId: string, spanId?: string): Context {
    const job = this.#job(jobId);
    if (spanId === undefined) return trace.setSpan(ROOT_CONTEXT, job.root);
    return this.#parentContext(job, spanId);
  }

  /**
   * Ends the job's root span (succeeded → OK, failed → ERROR with the
   * message, cancelled → UNSET), then delivers everything logged so far.
   */
  async completeJob(jobId: string, options: CompleteJobOptions = {}): Promise<void> {
    const job = this.#job(jobId);
    if (!job.open) throw new PhoenixInputError(`Job ${jobId} is already completed.`);
    const status = options.status ?? "succeeded";
    const code = JOB_STATUS.get(status);
    if (code === undefined) {
      throw new PhoenixInputError(`status must be one of ${[...JOB_STATUS.keys()].join(", ")}, not ${JSON.stringify(status)}.`);
    }
    if (options.outputData !== undefined) job.root.setAttributes(ioAttributes("chain", "job", undefined, options.outputData) as Attributes);
    endJob(job, status, code, options.message);
    await this.flush();
  }

  /**
   * Delivers every span ended so far (Phoenix acknowledged them), then every
   * pending annotation (stored, or given up after the bounded wait).
   */
  async flush(): Promise<FlushReport> {
    const connection = this.#connected();
    // Awaited on purpose: the bounded waits for Phoenix must not let a script end mid-way.
    return keepingProcessAlive(async () => {
      await connection.processor.forceFlush();
      const result = await connection.annotations.flush();
      return { annotationsStored: result.stored, annotationsFailed: result.failed };
    });
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
    const connection = this.#connected();
    checkTraceIds(jobIds);
    const fallback = options.projectId ?? connection.project.name;
    return compareStoredTraces(
      connection.backend,
      jobIds.map((traceId) => ({ traceId, project: this.#jobs.get(traceId)?.project.name ?? fallback })),
      {
        clock: this.#options.clock ?? REAL_CLOCK,
        ...definedOnly({ wait: options.wait, metricDirections: options.metricDirections }),
      },
    );
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
    const connection = this.#connected();
    const clock = this.#options.clock ?? REAL_CLOCK;
    const progress = definedOnly({ onProgress: options.onProgress });
    if (typeof selection === "string" || Array.isArray(selection)) {
      const ids: string[] = typeof selection === "string" ? [selection] : [...(selection as readonly string[])];
      checkTraceIds(ids);
      const projects = new Set(ids.map((id) => this.#jobs.get(id)?.project.name ?? options.projectId ?? connection.project.name));
      if (projects.size > 1) {
        throw new PhoenixInputError(`These traces are in different projects (${[...projects].join(", ")}): export one project at a time.`);
      }
      return exportTraces(connection.backend, { project: [...projects][0]!, traceIds: ids }, output, {
        clock,
        ...progress,
        ...definedOnly({ wait: options.wait }),
      });
    }
    if (typeof selection !== "object" || selection === null) {
      throw new PhoenixInputError("exportTrace takes a job (trace) id, an array of them, or { projectId, start, end }.");
    }
    const window = selection as ExportTraceWindow;
    const start = window.start === undefined ? undefined : windowTime(window.start, "start");
    const end = window.end === undefined ? undefined : windowTime(window.end, "end");
    if (start && end && end.getTime() <= start.getTime()) {
      throw new PhoenixInputError(`The window's end (${end.toISOString()}) is not after its start (${start.toISOString()}).`);
    }
    const project = window.projectId ?? options.projectId ?? connection.project.name;
    return exportTraces(connection.backend, { project, ...definedOnly({ start, end }) }, output, { clock, ...progress });
  }

  /**
   * Imports a trace file (as exportTrace writes it) into a project: spans
   * through the exporter's delivery (`PhoenixSpanExporter.sendPhoenixSpans`:
   * bounds, retries, partial-batch recovery, duplicates counted), then their
   * annotations through the connector's annotation sending (after their
   * spans are stored, sync, bounded retries). A span already stored anywhere
   * on the server counts as a duplicate, stored once; `newIds` makes a copy.
   * Progress is kept beside the file, so an interrupted import continues
   * with `resume`.
   *
   * @throws PhoenixTraceFileError when the file is not a trace export (nothing is sent)
   * @throws PhoenixInputError when an interrupted import is in the way (pass resume or restart)
   * @throws PhoenixImportInterruptedError when spans could not be delivered; resume continues
   */
  async importTraces(file: string, options: ImportTracesOptions = {}): Promise<ImportSummary> {
    const connection = this.#connected();
    const project = await this.#importProject(connection, options.projectId);
    const exporter = options.exporter ?? new PhoenixSpanExporter(connection.connectionOptions, { clock: this.#options.clock ?? REAL_CLOCK });
    try {
      return await importTraceFile(
        file,
        {
          display: connection.backend.display,
          sendSpans: (name, spans) => exporter.sendPhoenixSpans(name, spans),
          sendAnnotations: (target, list) => this.#sendAnnotations(connection, target, list),
          trouble: () => exporter.stats().degradedReason,
        },
        {
          project: project.name,
          ...definedOnly({
            newIds: options.newIds,
            resume: options.resume,
            restart: options.restart,
            progressFile: options.progressFile,
            spansPerChunk: options.spansPerChunk,
            onProgress: options.onProgress,
          }),
        },
      );
    } finally {
      if (!options.exporter) await exporter.shutdown();
    }
  }

  async #importProject(connection: Connection, projectId: string | undefined): Promise<PhoenixProjectRef> {
    if (projectId === undefined) return connection.project;
    if (typeof projectId !== "string" || projectId.trim() === "") throw new PhoenixInputError("projectId must be a project name or global id.");
    const found = await connection.backend.findProject(projectId);
    if (found) return found;
    if (isProjectGlobalId(projectId)) {
      throw new PhoenixInputError(`${connection.backend.display} has no project with the global id ${projectId}. Pass a project name to have it created.`);
    }
    return connection.backend.ensureProject(checkProjectName(projectId, "The projectId option"));
  }

  /** The connector's own annotation sending: queued, sent after their spans, sync, bounded retries. */
  async #sendAnnotations<T extends PhoenixAnnotationTarget>(
    connection: Connection,
    target: T,
    list: ReadonlyArray<PhoenixAnnotationDataOf[T]>,
  ): Promise<{ stored: number; failed: number }> {
    const outcomes = list.map((data) => connection.annotations.add(target, data));
    await connection.annotations.flush();
    const stored = (await Promise.all(outcomes)).filter(Boolean).length;
    return { stored, failed: list.length - stored };
  }

  /**
   * Completes the open jobs (status UNSET, `job.status` = `incomplete`),
   * delivers everything, and shuts down the processor the connector built
   * (a processor you passed in is only flushed). Idempotent.
   */
  disconnect(): Promise<void> {
    this.#disconnected ??= (async () => {
      const connection = this.#connection;
      if (!connection) return;
      for (const job of this.#jobs.values()) if (job.open) endJob(job, "incomplete", SpanStatusCode.UNSET);
      await keepingProcessAlive(async () => {
        try {
          await connection.processor.forceFlush();
          await connection.annotations.flush();
        } finally {
          this.#connection = undefined;
          if (connection.ownsProcessor) await connection.processor.shutdown();
          await connection.backend.close();
        }
      });
    })();
    return this.#disconnected;
  }

  #emit(job: Job, spec: SpanSpec): string {
    const { start, end } = spanTimes(spec.startTime, spec.endTime);
    const status = spec.status === undefined ? SpanStatusCode.UNSET : SPAN_STATUS.get(spec.status);
    if (status === undefined) {
      throw new PhoenixInputError(`status must be one of ${[...SPAN_STATUS.keys()].join(", ")}, not ${JSON.stringify(spec.status)}.`);
    }
    const context = this.#parentContext(job, spec.parentSpanId ?? job.rootSpanId);
    const attributes = spec.attributes;
    attributes[SC.OPENINFERENCE_SPAN_KIND] = PHOENIX_KIND_OF_SPAN_TYPE.get(spec.spanType)!;
    attributes[SC.TAG_TAGS] = [spec.spanType];
    attributes[SC.METADATA] = safeJson({ ...spec.metadata, span_type: spec.spanType });
    const span = job.tracer.startSpan(spec.name, { attributes: attributes as Attributes, startTime: start }, context);
    if (status !== SpanStatusCode.UNSET) {
      span.setStatus(status === SpanStatusCode.ERROR && spec.statusMessage !== undefined ? { code: status, message: String(spec.statusMessage) } : { code: status });
    }
    span.end(end);
    job.spansEnded++;
    return span.spanContext().spanId;
  }

  #parentContext(job: Job, parentSpanId: string): Context {
    if (!isValidSpanId(parentSpanId)) {
      throw new PhoenixInputError(`parentSpanId ${JSON.stringify(parentSpanId)} is not a span id (16 hex characters, as logSpan returns).`);
    }
    if (parentSpanId === job.rootSpanId) return trace.setSpan(ROOT_CONTEXT, job.root);
    return trace.setSpanContext(ROOT_CONTEXT, { traceId: job.traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: false });
  }

  /** One tracer per project: the exporter routes spans by the resource's `openinference.project.name`. */
  #tracer(project: string): Tracer {
    const connection = this.#connected();
    let tracer = connection.tracers.get(project);
    if (!tracer) {
      tracer = new ConnectorTracer(connection.processor, project);
      connection.tracers.set(project, tracer);
    }
    return tracer;
  }

  #connected(): Connection {
    if (this.#connection) return this.#connection;
    throw new PhoenixInputError(
      this.#disconnected ? "This connector is disconnected; create a new PhoenixConnector." : "Call connect() first.",
    );
  }

  #job(jobId: string): Job {
    this.#connected();
    const job = typeof jobId === "string" ? this.#jobs.get(jobId) : undefined;
    if (!job) throw new PhoenixInputError(`Unknown job ${JSON.stringify(jobId)}: use the id submitJob returned.`);
    return job;
  }
}

async function pickProject(backend: PhoenixBackend, requested: string | undefined): Promise<PhoenixProjectRef> {
  // Listing first proves the endpoint and the credentials before anything else.
  const listed = await backend.listProjects();
  if (requested === undefined) return listed.data[0] ?? (await backend.ensureProject("default"));
  const found = await backend.findProject(requested);
  if (found) return found;
  if (isProjectGlobalId(requested)) {
    throw new PhoenixConfigurationError(`${backend.display} has no project with the global id ${requested}. Pass a project name to have it created.`);
  }
  return backend.ensureProject(checkProjectName(requested, "The projectId option"));
}

function endJob(job: Job, status: string, code: SpanStatusCode, message?: string): void {
  job.root.setAttribute("job.status", status);
  job.root.setStatus(code === SpanStatusCode.ERROR && message !== undefined ? { code, message: String(message) } : { code });
  job.root.end();
  job.open = false;
}

function spanName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || value.trim() === "") throw new PhoenixInputError(`${field} must be a non-empty string.`);
  return value;
}

/** Leaves out undefined fields, so optional properties stay absent rather than `undefined`. */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What the hallucination span shows as its input. */
function hallucinationInput(input: { context: string; response: string; query?: string }): Record<string, string> {
  return {
    ...(input.query !== undefined ? { query: input.query } : {}),
    context: input.context,
    response: input.response,
  };
}

