import type { PhoenixConnectionOptions } from "../config/phoenix-config.js";
import type { MapSpanOptions } from "../mapping/map-span.js";
import type { PhoenixLimitOptions, PhoenixPrivacyOptions } from "../privacy/privacy-options.js";
import type { RetryPolicy } from "../http/retrying-transport.js";

/** How spans travel: Phoenix's REST span route, OTLP/HTTP protobuf, or REST with a switch to OTLP where the route is missing. */
export type PhoenixTransport = "auto" | "rest" | "otlp";

/** Options of {@link PhoenixSpanExporter}. Every one is optional; see the README's table for variables and defaults. */
export interface PhoenixSpanExporterOptions extends PhoenixConnectionOptions {
  /**
   * Project of every span. Else the resource attribute `openinference.project.name`,
   * else `PHOENIX_PROJECT` / `PHOENIX_PROJECT_NAME`, else `default`.
   */
  projectName?: string;
  /**
   * Shortest timeout of one request to Phoenix; it grows with the answer
   * times Phoenix gives (up to 120 s). Default 20 000 ms: Phoenix's REST
   * route stalls for up to ~15 s under load and completes requests a sender
   * cut off, so a shorter timeout only turns its stalls into duplicates.
   */
  timeoutMillis?: number;
  /** Spans per request. Default 50. */
  maxSpansPerRequest?: number;
  /** Most requests in flight at once; fewer while Phoenix's answers slow down (docs/delivery.md). Default 4. */
  concurrency?: number;
  /** How spans become Phoenix spans. */
  mapping?: MapSpanOptions;
  /**
   * `"auto"` (default): the REST span route, switching for good to OTLP/HTTP at
   * `{endpoint}/v1/traces` when Phoenix answers 404/405 there (Phoenix before 10.12).
   * `"rest"` / `"otlp"` force one.
   */
  transport?: PhoenixTransport;
  /** Retries of one request: attempts, backoff and overall deadline. See {@link RetryPolicy} for the defaults. */
  retry?: RetryPolicy;
  /** Mapped spans held in memory, waiting or in flight. Past it they go to the spool, or are dropped. `OTEL_BSP_MAX_QUEUE_SIZE`; default 10 000. */
  maxQueuedSpans?: number;
  /** The same bound in bytes of span JSON (the memory they take is about this). Default 32 MiB. */
  maxQueuedBytes?: number;
  /**
   * A directory for spans that cannot be delivered now (memory bounds reached,
   * Phoenix down, 401/403, shutdown deadline). They are replayed, oldest first,
   * when Phoenix answers, and by the next process that uses the same directory.
   * Default: none (such spans wait in memory within the bounds, or are dropped).
   */
  spoolDir?: string;
  /** Most bytes the spool keeps on disk; past it spans are dropped (`spool-full`). Default 256 MiB. */
  spoolMaxBytes?: number;
  /** How long a spooled span may sit in the page cache before an fsync; 0 fsyncs every write. Default 1000 ms. */
  spoolFsyncMillis?: number;
  /**
   * How long `forceFlush()` and `shutdown()` keep waiting when Phoenix
   * acknowledges nothing: they deliver everything while Phoenix makes
   * progress, however long a backlog takes at its pace, and give up (spool,
   * or drop and announce) only once Phoenix has been silent this long.
   * Default 60 000 ms: a REST stall lasts as long as Phoenix takes to write
   * what it queued (about 120 spans/s); measured up to 14.4 s on a 2,000-span
   * run, and past 30 s on 100,000-span bursts at the test server's model, where
   * a 30 s limit gave up on a Phoenix still working (bench/results/phoenix-speed.md).
   * Set `shutdownTimeoutMillis` too where the platform kills after a grace
   * period (Kubernetes: 30 s), with a `spoolDir` for what is left.
   */
  progressTimeoutMillis?: number;
  /** An absolute cap on `forceFlush()`, progress or not. Default: none. */
  flushTimeoutMillis?: number;
  /** An absolute cap on `shutdown()`, progress or not (e.g. below a platform's kill timeout). Default: none. */
  shutdownTimeoutMillis?: number;
  /** Interval of the `diag` summary line logged while delivery has trouble; 0 turns it off. Default 60 000 ms. */
  summaryIntervalMillis?: number;
  /**
   * What is hidden before spans leave the process: the OpenInference settings
   * (each falling back to its `OPENINFERENCE_*` variable), your own `mask`,
   * and an optional redactor of secrets and personal data. See docs/privacy.md.
   */
  privacy?: PhoenixPrivacyOptions;
  /** Size caps per attribute value, per span and per request. See docs/privacy.md for the defaults. */
  limits?: PhoenixLimitOptions;
}

export const EXPORTER_DEFAULTS = {
  timeoutMillis: 20_000,
  maxSpansPerRequest: 50,
  concurrency: 4,
  transport: "auto",
  maxQueuedSpans: 10_000,
  maxQueuedBytes: 32 * 1024 * 1024,
  spoolMaxBytes: 256 * 1024 * 1024,
  spoolFsyncMillis: 1_000,
  progressTimeoutMillis: 60_000,
  summaryIntervalMillis: 60_000,
} as const;

/** A cap for one `forceFlush` / `shutdown` call, overriding the option's. */
export interface DeadlineOptions {
  /** Longest this call may take, progress or not. */
  timeoutMillis?: number;
}

/**
 * Every option name of {@link PhoenixSpanExporterOptions}: a misspelt one is a
 * PhoenixConfigurationError naming the closest (JavaScript callers get no
 * type check). A `Record` over the keys, so a new option cannot be forgotten here.
 */
const EXPORTER_OPTION_NAMES: Record<keyof PhoenixSpanExporterOptions, true> = {
  endpoint: true,
  apiKey: true,
  headers: true,
  ca: true,
  projectName: true,
  timeoutMillis: true,
  maxSpansPerRequest: true,
  concurrency: true,
  mapping: true,
  transport: true,
  retry: true,
  maxQueuedSpans: true,
  maxQueuedBytes: true,
  spoolDir: true,
  spoolMaxBytes: true,
  spoolFsyncMillis: true,
  progressTimeoutMillis: true,
  flushTimeoutMillis: true,
  shutdownTimeoutMillis: true,
  summaryIntervalMillis: true,
  privacy: true,
  limits: true,
};

export const EXPORTER_OPTIONS: readonly string[] = Object.keys(EXPORTER_OPTION_NAMES);
