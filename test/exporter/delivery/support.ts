import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Clock } from "../../../src/http/clock.js";
import { recordSpans } from "../../helpers/tracing.js";
import type { PhoenixTestServer } from "../../servers/phoenix-server.js";

/**
 * A retry clock whose sleeps take one event-loop turn, whatever they ask for,
 * and move its time on: backoffs, Retry-After and probe pauses cost no real
 * time, and are recorded.
 */
export function instantClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (millis) => {
      slept.push(millis);
      now += millis;
      return new Promise((resolve) => setImmediate(resolve));
    },
    random: () => 0.5,
  };
}

export interface CapturedDiag {
  readonly lines: Array<{ level: string; message: string }>;
  at(level: "error" | "warn" | "info" | "debug"): string[];
  /** Resolves at the first line of `level` matching `pattern` (event-driven). */
  next(level: "error" | "warn" | "info", pattern: RegExp): Promise<string>;
  restore(): void;
}

/** Routes the OpenTelemetry diag log into memory, for asserting what the library says. */
export function captureDiag(): CapturedDiag {
  const lines: Array<{ level: string; message: string }> = [];
  const waiters: Array<{ level: string; pattern: RegExp; resolve: (line: string) => void }> = [];
  const record = (level: string) => (message: string, ...args: unknown[]) => {
    const text = [message, ...args.map(String)].join(" ");
    lines.push({ level, message: text });
    for (const waiter of [...waiters]) {
      if (waiter.level === level && waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  };
  const logger: DiagLogger = {
    error: record("error"),
    warn: record("warn"),
    info: record("info"),
    debug: record("debug"),
    verbose: record("verbose"),
  };
  diag.disable();
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  return {
    lines,
    at: (level) => lines.filter((l) => l.level === level).map((l) => l.message),
    next: (level, pattern) => {
      const seen = lines.find((l) => l.level === level && pattern.test(l.message));
      if (seen) return Promise.resolve(seen.message);
      return new Promise((resolve) => waiters.push({ level, pattern, resolve }));
    },
    restore: () => diag.disable(),
  };
}

/** `n` real SDK spans named `s0…`, each with an attribute payload of about `padding` characters. */
export function manySpans(n: number, options: { project?: string; padding?: number; name?: (i: number) => string } = {}): ReadableSpan[] {
  const padding = "x".repeat(options.padding ?? 0);
  return recordSpans((provider) => {
    const tracer = provider.getTracer("delivery-test");
    for (let i = 0; i < n; i++) {
      const span = tracer.startSpan(options.name?.(i) ?? `s${i}`, { attributes: { "openinference.span.kind": "LLM", "input.value": `q${i}${padding}` } });
      span.end();
    }
  }, options.project);
}

export function spanIds(spans: readonly ReadableSpan[]): string[] {
  return spans.map((s) => s.spanContext().spanId);
}

/** Every stored span id, and whether any is stored twice. */
export function storedIds(server: PhoenixTestServer): { ids: Set<string>; count: number } {
  const all = server.spans().map((s) => s.context.span_id);
  return { ids: new Set(all), count: all.length };
}

/** Resolves when `predicate` holds, checked after every server answer (event-driven; rejects after `timeoutMillis`). */
export function waitForRequests(server: PhoenixTestServer, predicate: () => boolean, timeoutMillis = 10_000): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onRequest = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      server.events.off("request", onRequest);
      resolve();
    };
    const timer = setTimeout(() => {
      server.events.off("request", onRequest);
      reject(new Error("timed out waiting for the server to see the expected requests"));
    }, timeoutMillis);
    server.events.on("request", onRequest);
  });
}
