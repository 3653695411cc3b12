import type { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { PhoenixSpeedConfig, PhoenixSpeedOption, wallRates } from "./phoenix-speed.js";
import type { ChatCompletionScript } from "./phoenix-chat.js";
import type { DatasetStore } from "./phoenix-datasets.js";
import type { PhoenixStore, StoredSpan } from "./phoenix-store.js";

/**
 * A Phoenix-compatible server on 127.0.0.1 for tests: the REST routes this
 * package uses, behaving as ../shared/phoenix/BEHAVIOUR.md measured Phoenix
 * 20.3 behaving, and validating every body against Phoenix's openapi.json.
 *
 * `strict` (default on) also records, and refuses with a 422, what real
 * Phoenix would store silently but that is a bug of ours: ids that are not
 * lowercase hex of the right length, unknown span kinds, object attribute
 * values, end before start. Tests assert `violations` stays empty.
 */
export interface PhoenixTestServerOptions {
  /** Turns authentication on: every route needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Keys that authenticate but may not write (403 on POST). */
  viewerKeys?: string[];
  /** Delay between a 202 and the spans being readable (Phoenix inserts asynchronously). Default 0. */
  ingestDelayMillis?: number;
  /** OTLP ingest queue capacity; past it OTLP requests get 503 without Retry-After. Default 20 000. */
  ingestQueueCapacity?: number;
  /** False: the REST span route does not exist (Phoenix before 10.12 answers 404). Default true. */
  spanRoute?: boolean;
  /** Refuse and record contract violations. Default true. */
  strict?: boolean;
  /** Answer of GET /arize_phoenix_version. Default 20.3.0. */
  version?: string;
  /**
   * Marks chosen spans of a create-spans request invalid, with the reason
   * Phoenix would give (its `invalid_spans[].error`); the request is then
   * refused as a whole with the 400 Phoenix sends. Default: none.
   */
  invalidSpan?: (span: Record<string, unknown>) => string | undefined;
  /** Create-spans and OTLP bodies above this many bytes get 413, as a proxy in front of Phoenix answers. Default: no limit. */
  maxBodyBytes?: number;
  /**
   * Shape of the create-spans 400: `"object"` (what Phoenix 20.3 answers,
   * the fixture) or `"detail-string"` (`{"detail": "<that object as JSON>"}`,
   * FastAPI's HTTPException form, which Phoenix's own JS client parses too). Default `"object"`.
   */
  rejectionFormat?: "object" | "detail-string";
  /**
   * Answer and store at Phoenix's measured speed under load (see
   * phoenix-speed.ts and SPEED.md): `"phoenix"` for real time, or options
   * such as `{ timeScale: 0.01, seed: 42, maxSpansQueueSize: 100 }`.
   * Default: answer at once.
   */
  speed?: PhoenixSpeedOption;
  /**
   * Answers POST /v1/chat/completions (phoenix-chat.ts): the assistant's
   * text, a partial ChatCompletion, or `{ status, error }`. Without it the
   * route answers as a Phoenix without provider credentials (400).
   */
  chatCompletion?: ChatCompletionScript;
}

/** Counters kept in every mode; live values. */
export interface PhoenixServerCounters {
  /** Spans of answered 202 (REST) and 200 (OTLP) requests, new ones only. */
  readonly spansAccepted: number;
  readonly spansAcceptedRest: number;
  readonly spansAcceptedOtlp: number;
  /** Spans stored (readable). */
  readonly spansStored: number;
  /** Spans accepted and not stored yet. */
  readonly queueDepth: number;
  readonly peakQueueDepth: number;
  /** OTLP requests answered 503 because the ingest queue was full. */
  readonly rejectedAtCapacity: number;
  /** Requests whose client closed the connection before the answer (they are completed anyway). */
  readonly clientDisconnects: number;
}

/** One answer of the speed model, in Phoenix ("model") milliseconds. */
export interface SpeedAnswer {
  route: "rest" | "otlp";
  status: number;
  /** Spans the request queued. */
  spans: number;
  arrivedAt: number;
  answeredAt: number;
  /** answeredAt - arrivedAt. */
  millis: number;
  /** Held by a REST stall. */
  stalled: boolean;
  /** Concurrency the REST worker assumed. */
  concurrency: number;
  /** The client had gone before the answer. */
  clientGone: boolean;
}

export interface PhoenixSpeedState {
  /** The figures used, in Phoenix time. */
  readonly config: PhoenixSpeedConfig;
  /** The same rates in wall-clock time. */
  readonly wall: ReturnType<typeof wallRates>;
  /** Phoenix time now, in milliseconds since the server started. */
  now(): number;
  /** Every answer of the REST and OTLP span routes, in order of answer. */
  readonly answers: SpeedAnswer[];
  /** REST stalls so far and their total length (Phoenix ms). */
  readonly restStalls: number;
  readonly restStalledMillis: number;
  /** Spans waiting for the writer (what the OTLP capacity check counts). */
  readonly waitingSpans: number;
}

/** What a fault rule may do instead of (or around) the normal handling of a request. */
export type FaultAction =
  | { kind: "respond"; status: number; body?: string | object; headers?: Record<string, string> }
  /** Destroy the socket without an answer. */
  | { kind: "reset" }
  /** Never answer (until the server closes), or answer normally after `millis`. */
  | { kind: "stall"; millis?: number }
  /** Handle the request normally (spans are stored), then destroy the socket instead of answering. */
  | { kind: "lose-response" };

export interface FaultContext {
  method: string;
  /** Path without the query string. */
  path: string;
  /** 1 for the first request to this path, 2 for the next… */
  attempt: number;
  /** Number of the request across the server's life, from 1. */
  sequence: number;
  body: Buffer;
}

export type FaultRule = (request: FaultContext) => FaultAction | undefined;

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  headers: IncomingMessage["headers"];
  status: number;
  /** Parsed JSON body when there was one. */
  json?: unknown;
  bodyBytes: number;
  receivedAt: number;
}

export interface PhoenixTestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly store: PhoenixStore;
  /** Datasets, versions, examples, experiments, runs and evaluations (phoenix-datasets.ts). */
  readonly datasets: DatasetStore;
  readonly requests: RecordedRequest[];
  /** Contract violations seen (strict mode), as readable strings. */
  readonly violations: string[];
  /** Fault rules, tried in order for every request; the first that answers wins. */
  readonly faults: FaultRule[];
  /** Emits `spans` (count) after every insertion and `request` (RecordedRequest) after every answer. */
  readonly events: EventEmitter;
  /** Spans stored in a project (by name), in insertion order; all spans when omitted. */
  spans(project?: string): StoredSpan[];
  /** Resolves once at least `count` spans are stored (event-driven; rejects after `timeoutMillis`). */
  waitForSpans(count: number, timeoutMillis?: number): Promise<void>;
  /** Requests to the create-spans route. */
  spanRequests(): RecordedRequest[];
  /** Live counters: accepted, stored, queue depth, 503s, client disconnects. */
  readonly counters: PhoenixServerCounters;
  /** Present in speed mode: the figures used, Phoenix's clock and the answers' times. */
  readonly speed: PhoenixSpeedState | undefined;
  /** Stops listening, drops every connection (stalled ones included) and stops every timer. */
  close(): Promise<void>;
}
