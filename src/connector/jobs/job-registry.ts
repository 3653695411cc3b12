import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { checkProjectName } from "../../config/phoenix-config.js";
import { PhoenixInputError } from "../../errors.js";
import type { SpanProcessor } from "../../exporter/otel-contract.js";
import type { ProjectRouter } from "../../exporter/project-router.js";
import { safeJson } from "../../mapping/attributes.js";
import { isValidSpanId } from "../../mapping/ids.js";
import type { PhoenixBackend, PhoenixProjectRef } from "../../store/backend.js";
import type { CompleteJobOptions, TrainingConfig } from "../base.js";
import { ioAttributes } from "../io-attributes.js";
import { PHOENIX_KIND_OF_SPAN_TYPE } from "../span-types.js";
import { spanTimes } from "../span-timing.js";
import { checkTrainingConfig, trainingConfigAttributes } from "../training-config.js";
import { ConnectorTracer } from "./connector-tracer.js";
import { JOB_STATUS, SPAN_STATUS, type SpanSpec } from "./span-spec.js";

/** One job: a trace whose root span stays open until the job completes. */
export interface Job {
  readonly traceId: string;
  readonly root: Span;
  readonly rootSpanId: string;
  readonly project: PhoenixProjectRef;
  readonly tracer: ConnectorTracer;
  metricsCalls: number;
  /** Spans of the job ended through the connector: once one is, the trace can exist in Phoenix. */
  spansEnded: number;
  open: boolean;
  /** The spans the job produced (the root included), while it is open: the only valid parents. */
  readonly spanIds: Set<string>;
}

export interface JobRegistryOptions {
  processor: SpanProcessor;
  backend: PhoenixBackend;
  /** The connected project: where a job without `projectName` goes. */
  project: PhoenixProjectRef;
  /** Where each job's trace is registered with its project, so the application's spans in it follow the job. */
  router: ProjectRouter;
}

/**
 * The jobs of one connection: opening them (a trace with its root span),
 * emitting their spans through the span processor, the contexts under which
 * the application's own spans join them, and completing them. Each job's
 * trace is registered with the project router for as long as the connection
 * lives, so spans made in the job's context land in the job's project.
 */
export class JobRegistry {
  readonly #options: JobRegistryOptions;
  readonly #jobs = new Map<string, Job>();
  /** One tracer per project: its resource names the project. */
  readonly #tracers = new Map<string, ConnectorTracer>();

  constructor(options: JobRegistryOptions) {
    this.#options = options;
  }

  /** Opens a job: its root span (kind CHAIN) carries the config; returns the job id, its trace id. */
  async submit(config: TrainingConfig): Promise<string> {
    checkTrainingConfig(config);
    let project = this.#options.project;
    if (config.projectName !== undefined && config.projectName !== project.name) {
      project = await this.#options.backend.ensureProject(checkProjectName(config.projectName, "The config's projectName"));
    }
    const tracer = this.#tracer(project.name);
    const attributes = trainingConfigAttributes(config);
    attributes[SC.OPENINFERENCE_SPAN_KIND] = "CHAIN";
    const root = tracer.startSpan(config.jobName ?? "job", { root: true, attributes: attributes as Attributes }, ROOT_CONTEXT);
    const { traceId, spanId } = root.spanContext();
    this.#options.router.register(traceId, project.name);
    this.#jobs.set(traceId, { traceId, root, rootSpanId: spanId, project, tracer, metricsCalls: 0, spansEnded: 0, open: true, spanIds: new Set([spanId]) });
    return traceId;
  }

  /** Any job of this connection, open or completed (for URLs and reads). */
  find(jobId: string): Job | undefined {
    return typeof jobId === "string" ? this.#jobs.get(jobId) : undefined;
  }

  /**
   * A job that still takes spans.
   *
   * @throws PhoenixInputError for an id that is not a job of this connector, or a completed job
   */
  open(jobId: string): Job {
    const job = this.find(jobId);
    if (!job) throw new PhoenixInputError(`Unknown job ${JSON.stringify(jobId)}: use the id submitJob returned.`);
    if (!job.open) {
      throw new PhoenixInputError(
        `Job ${jobId} is already completed: it takes no more spans. Log into a job that is still open (submitJob opens a new one); ` +
          `to judge the finished trace, use logAnnotation({ target: "trace", id: "${jobId}", … }).`,
      );
    }
    return job;
  }

  /** Emits one span of the job, ended at once; returns its span id. */
  emit(job: Job, spec: SpanSpec, options: { parentKnown?: boolean } = {}): string {
    const { start, end } = spanTimes(spec.startTime, spec.endTime);
    const status = spec.status === undefined ? SpanStatusCode.UNSET : SPAN_STATUS.get(spec.status);
    if (status === undefined) {
      throw new PhoenixInputError(`status must be one of ${[...SPAN_STATUS.keys()].join(", ")}, not ${JSON.stringify(spec.status)}.`);
    }
    const context = this.parentContext(job, spec.parentSpanId ?? job.rootSpanId, options.parentKnown !== false);
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
    const { spanId } = span.spanContext();
    job.spanIds.add(spanId);
    return spanId;
  }

  /**
   * The context of a span of the job: the root span itself, or another span
   * of the job by id. With `mustBeKnown` (the default) the id must be one the
   * job produced: a parent that never arrives would leave an orphan in Phoenix.
   */
  parentContext(job: Job, parentSpanId: string, mustBeKnown = true, field = "parentSpanId"): Context {
    if (!isValidSpanId(parentSpanId)) {
      throw new PhoenixInputError(`${field} ${JSON.stringify(parentSpanId)} is not a span id (16 hex characters, as logSpan returns).`);
    }
    if (parentSpanId === job.rootSpanId) return trace.setSpan(ROOT_CONTEXT, job.root);
    if (mustBeKnown && !job.spanIds.has(parentSpanId)) {
      throw new PhoenixInputError(
        `${field} ${parentSpanId} is not a span of job ${job.traceId}: pass an id that logSpan, logMetrics, logEvaluation or ` +
          `detectHallucination returned for this job, or leave ${field} out to use the job's root span.`,
      );
    }
    return trace.setSpanContext(ROOT_CONTEXT, { traceId: job.traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: false });
  }

  /** Ends the job's root span with its status, output and message. */
  complete(job: Job, options: CompleteJobOptions): void {
    if (!job.open) throw new PhoenixInputError(`Job ${job.traceId} is already completed.`);
    const status = options.status ?? "succeeded";
    const code = JOB_STATUS.get(status);
    if (code === undefined) {
      throw new PhoenixInputError(`status must be one of ${[...JOB_STATUS.keys()].join(", ")}, not ${JSON.stringify(status)}.`);
    }
    if (options.outputData !== undefined) job.root.setAttributes(ioAttributes("chain", "job", undefined, options.outputData) as Attributes);
    endJob(job, status, code, options.message);
  }

  /** Ends the jobs still open (UNSET, `job.status` = `incomplete`). */
  endOpenJobs(): void {
    for (const job of this.#jobs.values()) if (job.open) endJob(job, "incomplete", SpanStatusCode.UNSET);
  }

  /** Forgets the jobs' traces in the router, once their spans are delivered. */
  release(): void {
    for (const traceId of this.#jobs.keys()) this.#options.router.release(traceId);
  }

  #tracer(project: string): ConnectorTracer {
    let tracer = this.#tracers.get(project);
    if (!tracer) this.#tracers.set(project, (tracer = new ConnectorTracer(this.#options.processor, project)));
    return tracer;
  }
}

function endJob(job: Job, status: string, code: SpanStatusCode, message?: string): void {
  job.root.setAttribute("job.status", status);
  job.root.setStatus(code === SpanStatusCode.ERROR && message !== undefined ? { code, message: String(message) } : { code });
  job.root.end();
  job.open = false;
  job.spanIds.clear();
}
