/**
 * Projects of whole traces, for spans whose resource does not know it: the
 * connector registers each job's trace id with the job's project, so that
 * the application's own spans made inside a job's context (by any
 * instrumentation, through a shared `PhoenixSpanProcessor` or
 * `PhoenixSpanExporter`) land in the job's project, beside the job, whatever
 * their resource says. Every exporter of the process consults it first (see
 * `projectOf` in exporter.ts); a trace nobody registered is routed as before.
 *
 * The extension point is deliberately this small: a trace id → project map,
 * filled and emptied by whoever opens the traces.
 */
export class ProjectRouter {
  readonly #projects = new Map<string, string>();
  readonly #maxTraces: number;

  constructor(maxTraces = 100_000) {
    this.#maxTraces = maxTraces;
  }

  /** Spans of this trace go to `project` (a checked project name). */
  register(traceId: string, project: string): void {
    this.#projects.delete(traceId);
    this.#projects.set(traceId, project);
    // A bound, not a policy: a process that opens traces forever forgets the oldest first.
    if (this.#projects.size > this.#maxTraces) this.#projects.delete(this.#projects.keys().next().value!);
  }

  /** Forgets the trace: its spans are routed by their resource again. */
  release(traceId: string): void {
    this.#projects.delete(traceId);
  }

  /** The project registered for the trace, if any. */
  projectOf(traceId: string): string | undefined {
    return this.#projects.size === 0 ? undefined : this.#projects.get(traceId);
  }
}

/** The process's router: the connector registers job traces here, the exporters read it. */
export const TRACE_PROJECTS = new ProjectRouter();
