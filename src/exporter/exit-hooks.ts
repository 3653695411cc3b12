import { diag } from "@opentelemetry/api";
import type { DeadlineOptions } from "./options.js";
import { integerOption } from "./validate.js";

/** Anything with an OpenTelemetry-style `shutdown`: a `PhoenixSpanProcessor`, a `PhoenixSpanExporter`, a `NodeSDK`. */
export interface ShutdownTarget {
  shutdown(options?: DeadlineOptions): Promise<unknown>;
  forceFlush?(options?: DeadlineOptions): Promise<unknown>;
  /** `PhoenixSpanExporter`: spools what is in memory, synchronously. */
  spoolPendingSync?(): number;
  /** `PhoenixSpanProcessor`: its exporter. */
  exporter?: unknown;
}

export interface FlushOnExitOptions {
  /** How long a flush on a signal or `beforeExit` may take. Default: the target's own shutdown deadline. */
  timeoutMillis?: number;
  /** Signals to flush on before the process ends as it would have. Default `["SIGTERM", "SIGINT"]`. */
  signals?: NodeJS.Signals[];
  /** Also flush when the event loop runs dry (a script that simply ends). Default true. */
  beforeExit?: boolean;
}

/**
 * Opt-in: deliver what is pending when the process ends, for short-lived
 * processes and serverless handlers, where the batch timer (unref'd, so it
 * never keeps a process alive) would otherwise never fire.
 *
 * - `beforeExit` (the loop ran dry): shuts the target down, once.
 * - SIGTERM / SIGINT: shuts the target down within the deadline, then
 *   re-raises the signal, so the process ends exactly as it would have
 *   without this helper (killed by the signal, exit code 128 + n). If the
 *   application listens for the signal too, its handler decides instead. A
 *   second signal while flushing re-raises at once.
 * - `exit` (e.g. `process.exit()`, an uncaught exception): nothing
 *   asynchronous can run, so spans still in memory are written to the spool,
 *   synchronously, when a `spoolDir` is configured.
 *
 * Returns a function that removes the hooks.
 */
export function flushOnExit(target: ShutdownTarget, options: FlushOnExitOptions = {}): () => void {
  const timeoutMillis = integerOption("timeoutMillis", options.timeoutMillis, 0);
  const deadline: DeadlineOptions = timeoutMillis === undefined ? {} : { timeoutMillis };
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let shutdown: Promise<unknown> | undefined;
  const shutDown = () => {
    shutdown ??= target.shutdown(deadline).catch((error: unknown) => {
      diag.error(`phoenix-connector: shutdown on exit failed: ${(error as Error).message}`);
    });
    return shutdown;
  };

  const onBeforeExit = () => void shutDown();

  const signalHandlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of signals) {
    let received = false;
    const handler = () => {
      const reraise = () => {
        process.removeListener(signal, handler);
        // Only when nobody else handles it: the default action then ends the process.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      };
      if (received) return reraise();
      received = true;
      void shutDown().then(reraise);
    };
    signalHandlers.set(signal, handler);
  }

  const onExit = () => {
    try {
      spoolPendingSync(target);
    } catch (error) {
      diag.error(`phoenix-connector: could not spool pending spans on exit: ${(error as Error).message}`);
    }
  };

  if (options.beforeExit ?? true) process.on("beforeExit", onBeforeExit);
  for (const [signal, handler] of signalHandlers) process.on(signal, handler);
  process.on("exit", onExit);

  return () => {
    process.removeListener("beforeExit", onBeforeExit);
    for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
    process.removeListener("exit", onExit);
  };
}

/** Best effort at `exit`: hand a processor's buffered spans over (the OpenTelemetry batch processor does so synchronously), then spool them. */
function spoolPendingSync(target: ShutdownTarget): void {
  const exporter = target.spoolPendingSync ? target : (target.exporter as ShutdownTarget | undefined);
  if (!exporter?.spoolPendingSync) return;
  if (exporter !== target) void target.forceFlush?.({ timeoutMillis: 0 }).catch(() => undefined);
  const written = exporter.spoolPendingSync();
  if (written > 0) diag.warn(`phoenix-connector: the process is exiting; ${written} undelivered spans were written to the spool.`);
}
