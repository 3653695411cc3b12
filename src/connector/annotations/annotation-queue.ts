import { diag } from "@opentelemetry/api";
import { retryUntil, type BackoffPolicy } from "../../http/backoff.js";
import type { Clock } from "../../http/clock.js";
import {
  annotationTargetId,
  type PhoenixAnnotationDataOf,
  type PhoenixAnnotationTarget,
  type PhoenixBackend,
} from "../../store/backend.js";

export interface AnnotationQueueOptions {
  backend: PhoenixBackend;
  /** Resolves once every span ended so far has been delivered (the span processor's forceFlush). */
  flushSpans: () => Promise<void>;
  clock: Clock;
  /** Longest time an annotation waits for its target to be stored, from its first attempt. */
  maxWaitMillis: number;
  /** Pending annotations are sent on their own this long after the first one was queued; 0 waits for flush(). */
  autoFlushMillis: number;
  /** First wait after a "not stored yet" answer; doubles up to 2 s. */
  initialBackoffMillis?: number;
}

export interface AnnotationFlushResult {
  stored: number;
  failed: number;
}

interface Pending<T extends PhoenixAnnotationTarget> {
  data: PhoenixAnnotationDataOf[T];
  settle: (stored: boolean) => void;
  /** False while the target cannot exist yet (a trace with no span ended): held for a later flush. */
  ready: () => boolean;
}

const ALWAYS = () => true;

/** "Not stored yet" is Phoenix still inserting, not an overload: a plain doubling, no jitter. */
const RETRY_BACKOFF = (initialBackoffMillis: number): BackoffPolicy => ({ initialBackoffMillis, maxBackoffMillis: 2_000, jitter: "none" });
const ANNOTATIONS_PER_REQUEST = 100;

/**
 * Sends annotations after the spans they annotate.
 *
 * Phoenix inserts spans asynchronously after its 202 and silently drops an
 * annotation whose span it does not hold yet, unless asked with `sync=true`,
 * which answers 404 instead (BEHAVIOUR.md). So a flush first waits for the
 * span pipeline to deliver everything ended so far, then writes all pending
 * annotations of a target kind in one request with `sync=true`; targets not
 * stored yet are retried with a doubling backoff for a bounded time, while
 * the others are written at once.
 */
export class AnnotationQueue {
  readonly #options: AnnotationQueueOptions;
  #pending: { span: Array<Pending<"span">>; trace: Array<Pending<"trace">> } = { span: [], trace: [] };
  #chain: Promise<AnnotationFlushResult> = Promise.resolve({ stored: 0, failed: 0 });
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AnnotationQueueOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#pending.span.length + this.#pending.trace.length;
  }

  /**
   * Queues an annotation; the promise tells whether it was stored in the end
   * (it never rejects). `ready` may hold it back from flushes until its target
   * can exist, so that its bounded wait does not start too early.
   */
  add<T extends PhoenixAnnotationTarget>(target: T, data: PhoenixAnnotationDataOf[T], ready: () => boolean = ALWAYS): Promise<boolean> {
    return new Promise((settle) => {
      (this.#pending[target] as Array<Pending<T>>).push({ data, settle, ready });
      if (this.#timer === undefined && this.#options.autoFlushMillis > 0) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          void this.flush();
        }, this.#options.autoFlushMillis);
        // Pending annotations must not keep the process alive; disconnect() delivers them.
        this.#timer.unref();
      }
    });
  }

  /** Delivers the spans, then every ready annotation queued before this call. Flushes run one after another. */
  flush(): Promise<AnnotationFlushResult> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const taken = {
      span: this.#pending.span.filter((p) => p.ready()),
      trace: this.#pending.trace.filter((p) => p.ready()),
    };
    this.#pending = {
      span: this.#pending.span.filter((p) => !taken.span.includes(p)),
      trace: this.#pending.trace.filter((p) => !taken.trace.includes(p)),
    };
    const run = this.#chain.then(() => this.#deliver(taken));
    this.#chain = run.catch(() => ({ stored: 0, failed: 0 }));
    return run;
  }

  async #deliver(taken: { span: Array<Pending<"span">>; trace: Array<Pending<"trace">> }): Promise<AnnotationFlushResult> {
    if (taken.span.length === 0 && taken.trace.length === 0) return { stored: 0, failed: 0 };
    try {
      await this.#options.flushSpans();
    } catch (error) {
      // The annotations may still find their spans; the retries below decide.
      diag.warn(`phoenix-connector: delivering spans before their annotations failed: ${(error as Error).message}`);
    }
    const [spans, traces] = await Promise.all([this.#send("span", taken.span), this.#send("trace", taken.trace)]);
    return { stored: spans.stored + traces.stored, failed: spans.failed + traces.failed };
  }

  async #send<T extends PhoenixAnnotationTarget>(target: T, all: Array<Pending<T>>): Promise<AnnotationFlushResult> {
    const result = { stored: 0, failed: 0 };
    for (let i = 0; i < all.length; i += ANNOTATIONS_PER_REQUEST) {
      const part = await this.#sendBatch(target, all.slice(i, i + ANNOTATIONS_PER_REQUEST));
      result.stored += part.stored;
      result.failed += part.failed;
    }
    return result;
  }

  async #sendBatch<T extends PhoenixAnnotationTarget>(target: T, batch: Array<Pending<T>>): Promise<AnnotationFlushResult> {
    const { backend, clock, maxWaitMillis } = this.#options;
    const idOf = (p: Pending<T>) => annotationTargetId(target, p.data);
    let stored = 0;
    const fail = (items: Array<Pending<T>>, reason: string) => {
      if (items.length === 0) return;
      const names = [...new Set(items.map((p) => p.data.name))].slice(0, 5).join(", ");
      diag.error(`phoenix-connector: ${items.length} ${target} annotation(s) (${names}) not stored: ${reason}`);
      for (const p of items) p.settle(false);
    };
    /** One attempt: writes what can be stored now; the ones whose target is not stored yet are left for the next. */
    const attempt = async (pending: Array<Pending<T>>): Promise<Array<Pending<T>>> => {
      let waiting = pending;
      const later: Array<Pending<T>> = [];
      while (waiting.length > 0) {
        const answer = await backend.writeAnnotations(target, waiting.map((p) => p.data));
        if (answer.status === "stored") {
          for (const p of waiting) p.settle(true);
          stored += waiting.length;
          break;
        }
        let missing = new Set(answer.missingIds ?? []);
        // When the answer names none of ours, all of them wait (never loop on the same request).
        if (!waiting.some((p) => missing.has(idOf(p)))) missing = new Set(waiting.map(idOf));
        later.push(...waiting.filter((p) => missing.has(idOf(p))));
        // Nothing was written: the ones whose target exists go again at once.
        waiting = waiting.filter((p) => !missing.has(idOf(p)));
      }
      return later;
    };
    let left = batch;
    try {
      const outcome = await retryUntil(
        clock.now() + maxWaitMillis,
        async () => {
          left = await attempt(left);
          return { done: left.length === 0, value: left };
        },
        clock,
        RETRY_BACKOFF(this.#options.initialBackoffMillis ?? 100),
      );
      if (outcome.done) return { stored, failed: 0 };
    } catch (error) {
      fail(left, (error as Error).message);
      return { stored, failed: left.length };
    }
    const ids = [...new Set(left.map(idOf))].slice(0, 3).join(", ");
    fail(left, `the ${target}(s) ${ids} were not stored in ${backend.display} within ${Math.round(maxWaitMillis / 1000)} s`);
    return { stored, failed: left.length };
  }
}
