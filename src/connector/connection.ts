import { readPhoenixEnvironment } from "../config/environment.js";
import { checkProjectName, resolveConnection, resolveDefaultProject, type PhoenixConnectionOptions } from "../config/phoenix-config.js";
import { PhoenixConfigurationError, PhoenixInputError } from "../errors.js";
import type { SpanProcessor } from "../exporter/otel-contract.js";
import { PhoenixSpanProcessor, releaseSharedExporter } from "../exporter/processor.js";
import { TRACE_PROJECTS } from "../exporter/project-router.js";
import { REAL_CLOCK, type Clock } from "../http/clock.js";
import { isProjectGlobalId, type PhoenixBackend, type PhoenixProjectRef } from "../store/backend.js";
import { AnnotationQueue } from "./annotations/annotation-queue.js";
import { backendFor } from "./backend/open-backend.js";
import type { ConnectOptions, FlushReport } from "./base.js";
import { definedOnly } from "./defined-only.js";
import { JobRegistry } from "./jobs/job-registry.js";
import { keepingProcessAlive } from "./keep-alive.js";
import type { PhoenixConnectorOptions } from "./options.js";

type ProcessorOwnership = "own" | "shared-exporter" | "given";

/**
 * What connect() sets up and disconnect() takes down: the back end (REST or
 * the local store), the project, the span processor, the annotation queue
 * and the job registry.
 */
export class Connection {
  /** Endpoint and credentials as given to connect (the rest from PHOENIX_*), for the exporter an import builds. */
  readonly connectionOptions: PhoenixConnectionOptions;
  readonly backend: PhoenixBackend;
  readonly project: PhoenixProjectRef;
  readonly processor: SpanProcessor;
  readonly annotations: AnnotationQueue;
  readonly jobs: JobRegistry;
  readonly clock: Clock;
  /** `own`: built here, shut down at close; `shared-exporter`: built here around the application's exporter, released at close (the exporter keeps running); `given`: only flushed. */
  readonly #ownership: ProcessorOwnership;

  private constructor(fields: {
    connectionOptions: PhoenixConnectionOptions;
    backend: PhoenixBackend;
    project: PhoenixProjectRef;
    processor: SpanProcessor;
    ownership: ProcessorOwnership;
    annotations: AnnotationQueue;
    clock: Clock;
  }) {
    this.connectionOptions = fields.connectionOptions;
    this.backend = fields.backend;
    this.project = fields.project;
    this.processor = fields.processor;
    this.#ownership = fields.ownership;
    this.annotations = fields.annotations;
    this.clock = fields.clock;
    this.jobs = new JobRegistry({ processor: this.processor, backend: this.backend, project: this.project, router: TRACE_PROJECTS });
  }

  /**
   * Checks the endpoint and the credentials (GET /v1/projects), picks the
   * project and builds the pipeline (or takes the one given).
   */
  static async open(connector: PhoenixConnectorOptions, options: ConnectOptions): Promise<Connection> {
    const env = readPhoenixEnvironment();
    const resolved = resolveConnection(options, env);
    const clock = connector.clock ?? REAL_CLOCK;
    const backend = backendFor(resolved, { clock, ...(connector.retry ? { retry: connector.retry } : {}) });
    let project: PhoenixProjectRef;
    try {
      const requested = options.projectId ?? (env.projectName !== undefined ? resolveDefaultProject(undefined, env).name : undefined);
      project = await keepingProcessAlive(() => pickProject(backend, requested));
    } catch (error) {
      await backend.close();
      throw error;
    }
    const connectionOptions = definedOnly({ endpoint: options.endpoint, apiKey: options.apiKey, headers: options.headers, ca: options.ca });
    const processor =
      connector.spanProcessor ??
      new PhoenixSpanProcessor({
        ...connector.batch,
        // A shared exporter owns its connection; connect()'s endpoint and credentials then serve the REST calls only.
        ...(connector.exporter ? { exporter: connector.exporter } : connectionOptions),
      });
    const annotations = new AnnotationQueue({
      backend,
      flushSpans: () => processor.forceFlush(),
      clock,
      maxWaitMillis: connector.annotationTimeoutMillis ?? 60_000,
      autoFlushMillis: connector.annotationDelayMillis ?? 3_000,
    });
    const ownership: ProcessorOwnership = connector.spanProcessor ? "given" : connector.exporter ? "shared-exporter" : "own";
    return new Connection({ connectionOptions, backend, project, processor, ownership, annotations, clock });
  }

  /** Delivers every span ended so far, then every pending annotation. */
  flush(): Promise<FlushReport> {
    // Awaited on purpose: the bounded waits for Phoenix must not let a script end mid-way.
    return keepingProcessAlive(async () => {
      await this.processor.forceFlush();
      const result = await this.annotations.flush();
      return { annotationsStored: result.stored, annotationsFailed: result.failed };
    });
  }

  /** The project of an import (or any explicit `projectId`): found, else created by name. */
  async projectFor(projectId: string | undefined): Promise<PhoenixProjectRef> {
    if (projectId === undefined) return this.project;
    if (typeof projectId !== "string" || projectId.trim() === "") throw new PhoenixInputError("projectId must be a project name or global id.");
    const found = await this.backend.findProject(projectId);
    if (found) return found;
    if (isProjectGlobalId(projectId)) {
      throw new PhoenixInputError(`${this.backend.display} has no project with the global id ${projectId}. Pass a project name to have it created.`);
    }
    return this.backend.ensureProject(checkProjectName(projectId, "The projectId option"));
  }

  /**
   * Completes the open jobs, delivers everything, then shuts down the
   * processor the connector built and the back end. A processor given is
   * only flushed; a shared exporter keeps running for its owner.
   */
  async close(): Promise<void> {
    this.jobs.endOpenJobs();
    await keepingProcessAlive(async () => {
      try {
        await this.processor.forceFlush();
        await this.annotations.flush();
      } finally {
        this.jobs.release();
        if (this.#ownership === "own") await this.processor.shutdown();
        else if (this.#ownership === "shared-exporter") await releaseSharedExporter(this.processor as PhoenixSpanProcessor);
        await this.backend.close();
      }
    });
  }
}

/**
 * The states of a connector's connection: none yet, connecting, connected,
 * disconnected (for good).
 */
export class ConnectionLifecycle {
  #connection: Connection | undefined;
  #connecting = false;
  #disconnected: Promise<void> | undefined;

  async connect(open: () => Promise<Connection>): Promise<void> {
    if (this.#disconnected) throw new PhoenixInputError("This connector is disconnected; create a new PhoenixConnector.");
    if (this.#connection || this.#connecting) throw new PhoenixInputError("This connector is already connected.");
    this.#connecting = true;
    try {
      this.#connection = await open();
    } finally {
      this.#connecting = false;
    }
  }

  /** The connection, or a PhoenixInputError saying what to do. */
  get(): Connection {
    if (this.#connection) return this.#connection;
    throw new PhoenixInputError(this.#disconnected ? "This connector is disconnected; create a new PhoenixConnector." : "Call connect() first.");
  }

  /** Idempotent: later calls wait for the first. */
  disconnect(): Promise<void> {
    this.#disconnected ??= (async () => {
      const connection = this.#connection;
      if (!connection) return;
      try {
        await connection.close();
      } finally {
        this.#connection = undefined;
      }
    })();
    return this.#disconnected;
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
