import { diag } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import type { SpanSink } from "./span-sink.js";

export interface DeliveryQueueOptions {
  sink: SpanSink;
  /** ReadableSpan → Phoenix span; runs off the application's call path. */
  map: (span: ReadableSpan) => PhoenixSpan;
  /** The project a span goes to. */
  projectOf: (span: ReadableSpan) => string;
  /** Spans per request. */
  maxSpansPerRequest: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Per-request timeout. */
  timeoutMillis: number;
}

interface Ticket {
  outstanding: number;
  ok: boolean;
  done: (ok: boolean) => void;
}

interface Chunk {
  project: string;
  spans: PhoenixSpan[];
  ticket: Ticket;
}

/**
 * Takes finished spans, maps them outside the caller's stack, groups them by
 * project, cuts them into requests and keeps up to `concurrency` requests in
 * flight. `submit` resolves once every span of the call has an outcome.
 */
export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  #incoming: Array<{ spans: readonly ReadableSpan[]; ticket: Ticket }> = [];
  #ready: Chunk[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
  }

  /** Queues spans; resolves true when all were delivered (or already stored), false otherwise. */
  submit(spans: readonly ReadableSpan[]): Promise<boolean> {
    return new Promise((resolve) => {
      if (spans.length === 0) return resolve(true);
      this.#incoming.push({ spans, ticket: { outstanding: 0, ok: true, done: resolve } });
      this.#schedule();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  drain(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  get pendingRequests(): number {
    return this.#ready.length + this.#inFlight + this.#incoming.length;
  }

  #idle(): boolean {
    return this.#incoming.length === 0 && this.#ready.length === 0 && this.#inFlight === 0 && !this.#scheduled;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // The application's thread only pushed; mapping happens on a later turn.
    setImmediate(() => {
      this.#scheduled = false;
      this.#prepare();
      this.#pump();
    });
  }

  #prepare(): void {
    const incoming = this.#incoming;
    this.#incoming = [];
    for (const { spans, ticket } of incoming) {
      const byProject = new Map<string, PhoenixSpan[]>();
      for (const span of spans) {
        let mapped: PhoenixSpan;
        let project: string;
        try {
          mapped = this.#options.map(span);
          project = this.#options.projectOf(span);
        } catch (error) {
          ticket.ok = false;
          diag.error(`phoenix-connector: could not map span "${safeName(span)}"; dropped: ${(error as Error).message}`);
          continue;
        }
        let list = byProject.get(project);
        if (!list) byProject.set(project, (list = []));
        list.push(mapped);
      }
      const size = this.#options.maxSpansPerRequest;
      for (const [project, list] of byProject) {
        for (let i = 0; i < list.length; i += size) {
          ticket.outstanding++;
          this.#ready.push({ project, spans: list.slice(i, i + size), ticket });
        }
      }
      if (ticket.outstanding === 0) ticket.done(ticket.ok);
    }
  }

  #pump(): void {
    while (this.#inFlight < this.#options.concurrency && this.#ready.length > 0) {
      const chunk = this.#ready.shift()!;
      this.#inFlight++;
      void this.#send(chunk);
    }
    if (this.#idle()) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async #send(chunk: Chunk): Promise<void> {
    let ok = false;
    try {
      const result = await this.#options.sink.write(chunk.project, chunk.spans, this.#options.timeoutMillis);
      ok = result.failed.length === 0 && result.rejected.length === 0;
    } catch (error) {
      diag.error(`phoenix-connector: delivery failed: ${(error as Error).message}`);
    } finally {
      this.#inFlight--;
      const { ticket } = chunk;
      if (!ok) ticket.ok = false;
      if (--ticket.outstanding === 0) ticket.done(ticket.ok);
      this.#pump();
    }
  }
}

function safeName(span: ReadableSpan): string {
  try {
    return String(span.name).slice(0, 100);
  } catch {
    return "?";
  }
}
