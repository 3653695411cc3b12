import type { Writable } from "node:stream";
import type { PhoenixConnectionOptions } from "../config/phoenix-config.js";
import type { PhoenixAnnotatorKind } from "../store/backend.js";
import type { HallucinationDetectorLike, HallucinationInput, HallucinationResult } from "../hallucination/types.js";
import type { SpanType } from "./span-types.js";
import type { TraceWaitOptions } from "./comparison/read-traces.js";
import type { MetricDirection, TraceComparison } from "./comparison/types.js";
import type { ExportProgress, ExportSummary } from "./transfer/export-traces.js";
import type { ImportFileOptions } from "./transfer/import-options.js";
import type { ImportSummary } from "./transfer/import-traces.js";
import type { PhoenixSpanExporter } from "../exporter/exporter.js";
import type { ExperimentResult, LogExperimentOptions } from "./experiments/types.js";
import type { CompareExperimentsOptions, ExperimentComparison } from "./experiments/comparison-types.js";

/**
 * The connector API, independent of where the data goes: `PhoenixConnector`
 * implements it for Phoenix (and the local store); another back end could
 * implement the same interface.
 */
export interface Connector {
  /** Checks the endpoint and credentials and picks the project. */
  connect(options?: ConnectOptions): Promise<void>;
  /** Opens a job (a trace with a root span carrying the config); returns its id, the trace id. */
  submitJob(config: TrainingConfig): Promise<string>;
  /** Logs one span under a job; returns its span id. */
  logSpan(options: LogSpanOptions): Promise<string>;
  /** Logs a metrics span and one trace annotation per metric; returns the span id. */
  logMetrics(options: LogMetricsOptions): Promise<string>;
  /** Logs an evaluation span and one trace annotation per score; returns the span id and the scores. */
  logEvaluation(options: LogEvaluationOptions): Promise<EvaluationResult>;
  /** Logs an evaluation as a Phoenix experiment: the dataset (found or created), an experiment, a run per prediction, evaluations per run. */
  logExperiment(options: LogExperimentOptions): Promise<ExperimentResult>;
  /** Annotates a span or a trace (once it is stored). */
  logAnnotation(options: LogAnnotationOptions): Promise<void>;
  /** Judges whether a response is grounded in its context; with a job, logs the verdict as a span and an annotation. */
  detectHallucination(options: DetectHallucinationOptions): Promise<HallucinationResult>;
  /** Where to look at a job's trace. */
  getTraceUrl(jobId: string): string;
  /** Ends a job's root span with its status, then delivers everything of the job. */
  completeJob(jobId: string, options?: CompleteJobOptions): Promise<void>;
  /** Delivers every span and annotation logged so far. */
  flush(): Promise<FlushReport>;
  /** Completes open jobs, delivers everything, shuts the pipeline down. Idempotent. */
  disconnect(): Promise<void>;
  /** Reads traces back and compares them: per-trace totals, aligned steps, evaluations, best and deltas. */
  compareTraces(jobIds: readonly string[], options?: CompareTracesOptions): Promise<TraceComparison>;
  /** Reads experiments back and compares them per example: outputs, evaluations, deltas against the first, regressions and improvements. */
  compareExperiments(experimentIds: readonly string[], options?: CompareExperimentsOptions): Promise<ExperimentComparison>;
  /** Phoenix's compare page of experiments (the first the baseline). */
  getExperimentUrl(experimentIds: string | readonly string[]): Promise<string>;
  /** Streams traces (spans and annotations) to a JSON-lines trace file. */
  exportTrace(selection: ExportTraceSelection, output: string | Writable, options?: ExportTraceOptions): Promise<ExportSummary>;
  /** Sends a trace file's spans (through the exporter's delivery) and annotations to a project. */
  importTraces(file: string, options?: ImportTracesOptions): Promise<ImportSummary>;
}

export interface CompareTracesOptions {
  /**
   * Project of the trace ids that are not jobs of this connector (a job's
   * trace is read from the job's project). Default the connected project.
   */
  projectId?: string;
  /**
   * Phoenix stores spans after acknowledging them, so a trace compared
   * straight after completeJob can be incomplete on a real server: wait up to
   * `timeoutMillis` per trace until its root span is stored and its span
   * count holds still for `settleMillis` (default 1000). Default: no wait.
   */
  wait?: TraceWaitOptions;
  /** Rank a metric or annotation name lower- or higher-is-better yourself (see metric-direction.ts for the guess). */
  metricDirections?: Record<string, MetricDirection>;
}

/**
 * What to export: a job (trace) id, several, or a window of a project:
 * the traces with a span that started in [start, end), exported whole.
 */
export type ExportTraceSelection = string | readonly string[] | ExportTraceWindow;

export interface ExportTraceWindow {
  /** Project name or global id; default the connected project. */
  projectId?: string;
  /** Inclusive; a Date, epoch ms, a zoned ISO time, a date (UTC), or a duration back from now (`12h`). Default: open. */
  start?: TimeInput;
  /** Exclusive; same forms as `start`. Default: open. */
  end?: TimeInput;
}

export interface ExportTraceOptions {
  /** For trace ids that are not jobs of this connector: their project. Default the connected project. */
  projectId?: string;
  /** For trace ids: wait for each trace to be stored completely (as in compareTraces). */
  wait?: TraceWaitOptions;
  onProgress?: (progress: ExportProgress) => void;
  /** Experiment ids (logExperiment's `experimentId`) to carry in the file too: dataset versions, experiments, runs and evaluations. */
  experiments?: readonly string[];
}

export interface ImportTracesOptions extends ImportFileOptions {
  /** Project name or global id to import into; default the connected project. A new name is created. */
  projectId?: string;
  /**
   * Send through this exporter (e.g. one with a spool). Default the
   * connector's pipeline when it was given one (its `exporter`, or a shared
   * `PhoenixSpanProcessor`'s), else a new exporter on connect()'s endpoint
   * with the connector's `retry`, shut down at the end.
   */
  exporter?: PhoenixSpanExporter;
}

/**
 * A fine-tuning (or any) job's configuration. The named fields are checked
 * when present; any other field is kept as is, as an attribute and in the
 * root span's `metadata`.
 */
export interface TrainingConfig {
  baseModel?: string;
  /** Where the base model comes from, e.g. `huggingface`. */
  modelSource?: string;
  /** e.g. `lora`, `qlora`, `full`. */
  algorithm?: string;
  /** LoRA rank: a positive integer. */
  rank?: number;
  /** LoRA alpha: a finite number. */
  alpha?: number;
  /** Dropout probability in [0, 1]. */
  dropout?: number;
  targetModules?: string[];
  /** The Phoenix project of the job's spans; default the connected project. */
  projectName?: string;
  /** Name of the job's root span; default `job`. */
  jobName?: string;
  [extra: string]: unknown;
}

export interface ConnectOptions extends PhoenixConnectionOptions {
  /**
   * Project name or global id. Default `PHOENIX_PROJECT` / `PHOENIX_PROJECT_NAME`,
   * else the first project Phoenix lists (Phoenix lists newest first). A name
   * Phoenix does not know yet is created.
   */
  projectId?: string;
}

/** When a span started or ended: a `Date`, epoch milliseconds, or an ISO-8601 string with a zone. */
export type TimeInput = Date | number | string;

export type SpanStatus = "ok" | "error" | "unset";

export interface LogSpanOptions {
  jobId: string;
  name: string;
  spanType: SpanType | (string & {});
  /** Becomes `input.value` (text or JSON) and, where recognisable, OpenInference detail. */
  inputData?: unknown;
  /** Becomes `output.value` (text or JSON) and, where recognisable, OpenInference detail. */
  outputData?: unknown;
  /** Kept in the span's `metadata` (JSON) beside `span_type`. */
  metadata?: Record<string, unknown>;
  /** Parent span id (16 hex); default the job's root span. */
  parentSpanId?: string;
  /** Default now (or `endTime` when only that is given). */
  startTime?: TimeInput;
  /** Default now; not before `startTime`. */
  endTime?: TimeInput;
  /** Default `unset`. */
  status?: SpanStatus;
  statusMessage?: string;
}

export interface LogMetricsOptions {
  jobId: string;
  /** Metric name → finite number. */
  metrics: Record<string, number>;
  /** Training step (a non-negative integer); default the number of earlier `logMetrics` calls of the job. */
  step?: number;
  parentSpanId?: string;
}

export interface LogEvaluationOptions {
  jobId: string;
  /** Names the span and prefixes the annotations (`<evalName>.<metric>`). */
  evalName: string;
  predictions: readonly unknown[];
  references: readonly unknown[];
  /** Metric → finite number. When omitted: accuracy, and for categorical labels macro precision, recall and F1. */
  scores?: Record<string, number>;
  /**
   * Whether the labels are categories (so precision/recall/F1 mean something).
   * Default: yes when every label is a string, boolean or integer, with at most
   * 20 distinct labels, fewer than the number of items.
   */
  categorical?: boolean;
  parentSpanId?: string;
  metadata?: Record<string, unknown>;
}

export interface EvaluationResult {
  spanId: string;
  scores: Record<string, number>;
}

export interface LogAnnotationOptions {
  /** What is annotated: a span id (16 hex) or a trace id (32 hex, e.g. a job id). */
  target: "span" | "trace";
  id: string;
  name: string;
  label?: string;
  score?: number;
  explanation?: string;
  /** Default `CODE`. */
  annotatorKind?: PhoenixAnnotatorKind;
  metadata?: Record<string, unknown>;
  /** A non-empty identifier makes a later annotation with the same target, name and identifier replace this one. */
  identifier?: string;
}

export type JobStatus = "succeeded" | "failed" | "cancelled";

export interface CompleteJobOptions {
  /** Default `succeeded`. succeeded → span status OK; failed → ERROR; cancelled → UNSET. */
  status?: JobStatus;
  /** Status message (e.g. the error of a failed job). */
  message?: string;
  /** Becomes the root span's `output.value`. */
  outputData?: unknown;
}

export interface FlushReport {
  /** Annotations stored by this flush. */
  annotationsStored: number;
  /** Annotations given up (their span never appeared in time, or Phoenix refused them); see the diag log. */
  annotationsFailed: number;
}

export interface DetectHallucinationOptions extends HallucinationInput {
  /** The job to log the verdict under. Without it nothing is logged (for use in a request path). */
  jobId?: string;
  /** The span being judged (16 hex, e.g. the LLM span of the response); the annotation goes there. Default: the new hallucination span. */
  spanId?: string;
  /** Parent of the hallucination span; default `spanId` when given, else the job's root span. */
  parentSpanId?: string;
  /** This call's detector; default the connector's `hallucinationDetector`, else the offline `grounding` detector. */
  detector?: HallucinationDetectorLike;
  /** Aborts a slow detector (an LLM judge). */
  signal?: AbortSignal;
}

