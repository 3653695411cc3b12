import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { anyValueToJs, base64ToHex, decodeOtlpTraceRequest, type OtlpKeyValue } from "./otlp-proto.js";
import { schemaValidator, validationDetail } from "./phoenix-schema.js";
import {
  KNOWN_SPAN_KINDS,
  PhoenixStore,
  formatPhoenixTime,
  globalId,
  parseIsoMicros,
  type StoredAnnotation,
  type StoredSpan,
} from "./phoenix-store.js";
import {
  IngestQueue,
  OtlpIngestWorker,
  RestIngestWorker,
  realClock,
  resolveSpeed,
  wallRates,
  type ModelAnswer,
  type PhoenixSpeedConfig,
  type PhoenixSpeedOption,
} from "./phoenix-speed.js";

export type { PhoenixSpeedOption, PhoenixSpeedOptions, PhoenixSpeedConfig } from "./phoenix-speed.js";

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

const CAPACITY_BODY = readFileSync(new URL("../fixtures/phoenix/otlp-traces-503-at-capacity.txt", import.meta.url));

const NAIVE_TIME_MESSAGE = (field: string) =>
  `Value error, ${field}: timezone-naive timestamp is not allowed; all timestamps must be timezone-aware (e.g., use UTC).`;

export async function startPhoenixServer(options: PhoenixTestServerOptions = {}): Promise<PhoenixTestServer> {
  const store = new PhoenixStore();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const faults: FaultRule[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(1000);
  const attempts = new Map<string, number>();
  const strict = options.strict ?? true;
  const ingestDelay = options.ingestDelayMillis ?? 0;
  const queueCapacity = options.ingestQueueCapacity ?? 20_000;
  let queued = 0;
  let sequence = 0;
  let closing = false;
  const stalled = new Set<ServerResponse>();
  const tally = { acceptedRest: 0, acceptedOtlp: 0, stored: 0, peak: 0, rejected: 0, disconnects: 0 };
  const waiters = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();

  // Speed mode: Phoenix's clock, its two request workers and its ingest queue (phoenix-speed.ts).
  const speedConfig = options.speed === undefined ? undefined : resolveSpeed(options.speed, options.ingestQueueCapacity);
  const clock = speedConfig ? realClock(speedConfig.timeScale) : undefined;
  const restWorker = speedConfig && clock ? new RestIngestWorker(clock, speedConfig) : undefined;
  const otlpWorker = speedConfig && clock ? new OtlpIngestWorker(clock, speedConfig) : undefined;
  const ingestQueue =
    speedConfig && clock
      ? new IngestQueue<Omit<StoredSpan, "rowId">>(clock, speedConfig.storageSpansPerSecond, speedConfig.writerBatchSpans, (spans) => storeNow(spans))
      : undefined;
  const speedAnswers: SpeedAnswer[] = [];
  const queueDepth = () => (ingestQueue ? ingestQueue.depth : queued);

  const server: Server = createServer((req, res) => {
    // Writing to a socket the client closed must not crash the server.
    res.on("error", () => undefined);
    req.on("error", () => undefined);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      void handle(req, res, raw).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { detail: String(error) });
      });
    });
  });
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      path,
      headers: req.headers,
      status: 0,
      bodyBytes: raw.byteLength,
      receivedAt: Date.now(),
    };
    const attemptKey = `${req.method} ${path}`;
    const attempt = (attempts.get(attemptKey) ?? 0) + 1;
    attempts.set(attemptKey, attempt);
    const context: FaultContext = { method: record.method, path, attempt, sequence: ++sequence, body: raw };
    let action: FaultAction | undefined;
    for (const rule of faults) {
      action = rule(context);
      if (action) break;
    }
    let answered = false;
    let clientGone = false;
    const finish = (status: number) => {
      answered = true;
      record.status = status;
      requests.push(record);
      events.emit("request", record);
    };
    res.on("close", () => {
      if (!answered && !closing && !res.writableFinished) {
        clientGone = true;
        tally.disconnects++;
      }
    });
    if (action?.kind === "reset") {
      finish(-1);
      req.socket.destroy();
      return;
    }
    if (action?.kind === "respond") {
      send(res, action.status, action.body ?? "", action.headers);
      finish(action.status);
      return;
    }
    if (action?.kind === "stall") {
      if (action.millis === undefined) {
        stalled.add(res);
        finish(-2);
        return;
      }
      await new Promise((r) => setTimeout(r, action.millis));
    }
    const answer = await route(req, url, raw, record);
    const complete = () => {
      if (answer.ingest) {
        if (answer.worker === "otlp") tally.acceptedOtlp += answer.ingest.length;
        else tally.acceptedRest += answer.ingest.length;
        insertLater(answer.ingest);
      }
      if (action?.kind === "lose-response") {
        finish(-1);
        req.socket.destroy();
        return;
      }
      send(res, answer.status, answer.body, answer.headers);
      finish(answer.status);
    };
    const worker = answer.worker === "rest" ? restWorker : answer.worker === "otlp" ? otlpWorker : undefined;
    if (!worker) return complete();
    worker.arrive(answer.ingest?.length ?? 0, (model: ModelAnswer) => {
      speedAnswers.push({
        route: answer.worker!,
        status: answer.status,
        spans: answer.ingest?.length ?? 0,
        arrivedAt: model.arrivedAt,
        answeredAt: model.answeredAt,
        millis: model.answeredAt - model.arrivedAt,
        stalled: model.stalled,
        concurrency: model.concurrency,
        clientGone,
      });
      // A request whose client gave up is completed and stored all the same (BEHAVIOUR.md).
      complete();
    });
  }

  interface Answer {
    status: number;
    body: string | object | Buffer;
    headers?: Record<string, string>;
    /** Spans to queue for storage once the request is answered (their ids are already reserved). */
    ingest?: Array<Omit<StoredSpan, "rowId">>;
    /** In speed mode, the worker whose timing this answer follows. */
    worker?: "rest" | "otlp";
  }

  async function route(req: IncomingMessage, url: URL, raw: Buffer, record: RecordedRequest): Promise<Answer> {
    const method = req.method ?? "GET";
    const path = url.pathname;
    const denied = authenticate(req, method);
    if (denied) return denied;

    if (method === "GET" && path === "/arize_phoenix_version") return { status: 200, body: options.version ?? "20.3.0", headers: { "content-type": "text/plain" } };
    if (method === "GET" && (path === "/healthz" || path === "/readyz")) return { status: 200, body: "OK", headers: { "content-type": "text/plain" } };
    if (method === "POST" && options.maxBodyBytes !== undefined && raw.byteLength > options.maxBodyBytes && (path === "/v1/traces" || /^\/v1\/projects\/[^/]+\/spans$/.test(path))) {
      return { status: 413, body: "Request Entity Too Large", headers: { "content-type": "text/plain" } };
    }
    if (method === "POST" && path === "/v1/traces") return otlpTraces(req, raw);
    if (method === "GET" && path === "/v1/projects") return listProjects(url);
    if (method === "POST" && path === "/v1/projects") return createProject(raw, record);
    if (method === "POST" && path === "/v1/span_annotations") return annotate("span", url, raw, record);
    if (method === "POST" && path === "/v1/trace_annotations") return annotate("trace", url, raw, record);

    const projectRoute = /^\/v1\/projects\/([^/]+)(\/spans|\/traces|\/span_annotations|\/trace_annotations)?$/.exec(path);
    if (projectRoute) {
      const identifier = decodeURIComponent(projectRoute[1]!);
      const sub = projectRoute[2];
      if (sub === "/spans" && method === "POST") {
        if (options.spanRoute === false) return { status: 404, body: { detail: "Not Found" } };
        return { ...createSpans(identifier, req, raw, record), worker: "rest" };
      }
      const project = store.findProject(identifier);
      if (!project) return projectNotFound(identifier);
      if (sub === undefined && method === "GET") return { status: 200, body: { data: projectBody(project) } };
      if (sub === "/spans" && method === "GET") return getSpans(project.rowId, url);
      if (sub === "/traces" && method === "GET") return getTraces(project.rowId, url);
      if (sub === "/span_annotations" && method === "GET") return getAnnotations("span", project.rowId, url);
      if (sub === "/trace_annotations" && method === "GET") return getAnnotations("trace", project.rowId, url);
    }
    return { status: 404, body: { detail: "Not Found" } };
  }

  function authenticate(req: IncomingMessage, method: string): Answer | undefined {
    if (options.apiKey === undefined) return undefined;
    const header = req.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : undefined;
    if (token !== undefined && (options.viewerKeys ?? []).includes(token)) {
      return method === "GET" ? undefined : { status: 403, body: "Forbidden", headers: { "content-type": "text/plain" } };
    }
    if (token !== options.apiKey) return { status: 401, body: "Invalid token", headers: { "content-type": "text/plain" } };
    return undefined;
  }

  function projectNotFound(identifier: string): Answer {
    return { status: 404, body: `Project with name ${identifier} not found`, headers: { "content-type": "text/plain" } };
  }

  function projectBody(p: { rowId: number; name: string; description: string | null }) {
    return { name: p.name, description: p.description, id: globalId("Project", p.rowId) };
  }

  function listProjects(url: URL): Answer {
    const limit = clampLimit(url.searchParams.get("limit"), 100);
    const newestFirst = [...store.projects].sort((a, b) => b.rowId - a.rowId);
    return paginate(newestFirst, url.searchParams.get("cursor"), limit, (p) => globalId("Project", p.rowId), projectBody);
  }

  function createProject(raw: Buffer, record: RecordedRequest): Answer {
    const body = parseJson(raw);
    record.json = body;
    if (!body.ok) return { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error" }] } };
    const validate = schemaValidator("CreateProjectRequestBody");
    if (!validate(body.value)) return { status: 422, body: validationDetail(validate.errors, body.value) };
    const { name, description } = body.value as { name: string; description?: string };
    if (store.findProject(name)) return { status: 409, body: `Project with name ${name} already exists`, headers: { "content-type": "text/plain" } };
    return { status: 200, body: { data: projectBody(store.createProject(name, description ?? null)) } };
  }

  function createSpans(identifier: string, req: IncomingMessage, raw: Buffer, record: RecordedRequest): Answer {
    if (req.headers["content-encoding"]) {
      return { status: 400, body: { detail: "There was an error parsing the body" } };
    }
    const body = parseJson(raw);
    if (!body.ok) return { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {} }] } };
    record.json = body.value;
    const validate = schemaValidator("CreateSpansRequestBody");
    if (!validate(body.value)) return { status: 422, body: validationDetail(validate.errors, body.value) };
    const spans = (body.value as { data: Array<Record<string, unknown>> }).data;

    // Pydantic's validators run before the route: a naive time fails the whole request.
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      for (const field of ["start_time", "end_time"] as const) {
        const parsed = parseIsoMicros(String(span[field]));
        if (!parsed || parsed.naive) {
          return {
            status: 422,
            body: {
              detail: [
                {
                  type: "value_error",
                  loc: ["body", "data", i],
                  msg: parsed ? NAIVE_TIME_MESSAGE(field) : `Input should be a valid datetime`,
                  input: span,
                  ctx: { error: {} },
                },
              ],
            },
          };
        }
      }
      for (const event of (span.events as Array<Record<string, unknown>> | undefined) ?? []) {
        const parsed = parseIsoMicros(String(event.timestamp));
        if (!parsed || parsed.naive) {
          return {
            status: 422,
            body: { detail: [{ type: "value_error", loc: ["body", "data", i], msg: NAIVE_TIME_MESSAGE("timestamp"), input: span, ctx: { error: {} } }] },
          };
        }
      }
    }

    if (strict) {
      const problems = spans.flatMap((span, i) => contractProblems(span).map((p) => `data[${i}] ${p}`));
      if (problems.length > 0) {
        violations.push(...problems);
        return { status: 422, body: { detail: problems.map((msg) => ({ type: "phoenix_connector_contract", loc: ["body"], msg })) } };
      }
    }

    const project = store.findProject(identifier);
    if (!project && /^[A-Za-z0-9+/]+={0,2}$/.test(identifier) && Buffer.from(identifier, "base64").toString().startsWith("Project:")) {
      return { status: 404, body: `Project ${identifier} not found`, headers: { "content-type": "text/plain" } };
    }

    const seen = new Set<string>();
    const duplicates: Array<{ span_id: string; trace_id: string }> = [];
    const invalid: Array<{ span_id: string; trace_id: string; error: string }> = [];
    for (const span of spans) {
      const context = span.context as { span_id: string; trace_id: string };
      if (store.hasSpan(context.span_id) || seen.has(context.span_id)) {
        duplicates.push({ span_id: context.span_id, trace_id: context.trace_id });
      } else if (!["OK", "ERROR", "UNSET"].includes(String(span.status_code))) {
        invalid.push({ span_id: context.span_id, trace_id: context.trace_id, error: `Invalid status_code: ${String(span.status_code)}` });
      } else {
        const reason = options.invalidSpan?.(span);
        if (reason !== undefined) invalid.push({ span_id: context.span_id, trace_id: context.trace_id, error: reason });
      }
      seen.add(context.span_id);
    }
    if (duplicates.length > 0 || invalid.length > 0) {
      const rejection = {
        error: "Request contains invalid or duplicate spans",
        total_received: spans.length,
        total_queued: 0,
        total_duplicates: duplicates.length,
        total_invalid: invalid.length,
        duplicate_spans: duplicates,
        invalid_spans: invalid,
      };
      return { status: 400, body: options.rejectionFormat === "detail-string" ? { detail: JSON.stringify(rejection) } : rejection };
    }
    const target = store.findProject(identifier, true)!;
    const toStore = spans.map((span) => toStoredSpan(span, target.rowId));
    // A span id is taken as soon as it is accepted, so a quick retry is already a duplicate.
    for (const span of toStore) store.reserve(span.context.span_id);
    return { status: 202, body: { total_received: spans.length, total_queued: spans.length }, ingest: toStore };
  }

  function storeNow(spans: Array<Omit<StoredSpan, "rowId">>): void {
    for (const span of spans) if (store.insertSpan(span)) tally.stored++;
    events.emit("spans", store.spans.length);
  }

  const insertTimers = new Set<NodeJS.Timeout | NodeJS.Immediate>();
  function insertLater(spans: Array<Omit<StoredSpan, "rowId">>): void {
    if (spans.length === 0) return;
    if (ingestQueue) {
      ingestQueue.push(spans);
      tally.peak = Math.max(tally.peak, ingestQueue.peakDepth);
      return;
    }
    queued += spans.length;
    tally.peak = Math.max(tally.peak, queued);
    const insert = () => {
      insertTimers.delete(handle);
      queued -= spans.length;
      storeNow(spans);
    };
    const handle = ingestDelay > 0 ? setTimeout(insert, ingestDelay) : setImmediate(insert);
    insertTimers.add(handle);
  }

  function toStoredSpan(span: Record<string, unknown>, projectRowId: number): Omit<StoredSpan, "rowId"> {
    const context = span.context as { trace_id: string; span_id: string };
    const kind = String(span.span_kind);
    return {
      projectRowId,
      name: String(span.name),
      context: { trace_id: context.trace_id, span_id: context.span_id },
      span_kind: KNOWN_SPAN_KINDS.has(kind) ? kind : "UNKNOWN",
      parent_id: (span.parent_id as string | null | undefined) ?? null,
      startMicros: parseIsoMicros(String(span.start_time))!.micros,
      endMicros: parseIsoMicros(String(span.end_time))!.micros,
      status_code: String(span.status_code),
      status_message: (span.status_message as string | undefined) ?? "",
      attributes: storedAttributes((span.attributes as Record<string, unknown> | undefined) ?? {}),
      events: ((span.events as Array<Record<string, unknown>> | undefined) ?? []).map((e) => ({
        name: String(e.name),
        timestamp: formatPhoenixTime(parseIsoMicros(String(e.timestamp))!.micros),
        attributes: storedAttributes((e.attributes as Record<string, unknown> | undefined) ?? {}),
      })),
    };
  }

  function otlpTraces(req: IncomingMessage, raw: Buffer): Answer {
    const type = String(req.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (type !== "application/x-protobuf") return { status: 415, body: { detail: "Unsupported content type" } };
    let bytes = raw;
    const encoding = String(req.headers["content-encoding"] ?? "").toLowerCase();
    try {
      if (encoding === "gzip") bytes = gunzipSync(raw);
      else if (encoding === "deflate") bytes = inflateSync(raw);
    } catch {
      return { status: 400, body: { detail: "Could not decompress the body" } };
    }
    let request;
    try {
      request = decodeOtlpTraceRequest(bytes);
    } catch {
      return { status: 400, body: { detail: "Request body is invalid ExportTraceServiceRequest" } };
    }
    const headerProject = req.headers["x-project-name"];
    const batches: Array<{ project: string; spans: Array<Omit<StoredSpan, "rowId">> }> = [];
    let spanCount = 0;
    for (const rs of request.resource_spans ?? []) {
      const resource = flattenKeyValues(rs.resource?.attributes ?? []);
      const project =
        (typeof headerProject === "string" && headerProject) ||
        (typeof resource["openinference.project.name"] === "string" ? (resource["openinference.project.name"] as string) : "default");
      const spans: Array<Omit<StoredSpan, "rowId">> = [];
      for (const ss of rs.scope_spans ?? []) {
        for (const s of ss.spans ?? []) {
          const attributes = flattenKeyValues(s.attributes ?? []);
          const kind = String(attributes["openinference.span.kind"] ?? "UNKNOWN").toUpperCase();
          delete attributes["openinference.span.kind"];
          const parent = base64ToHex(s.parent_span_id);
          spans.push({
            projectRowId: 0,
            name: s.name,
            context: { trace_id: base64ToHex(s.trace_id), span_id: base64ToHex(s.span_id) },
            span_kind: KNOWN_SPAN_KINDS.has(kind) ? kind : "UNKNOWN",
            parent_id: parent === "" ? null : parent,
            startMicros: Number(BigInt(s.start_time_unix_nano) / 1000n),
            endMicros: Number(BigInt(s.end_time_unix_nano) / 1000n),
            status_code: ["UNSET", "OK", "ERROR"][s.status?.code ?? 0] ?? "UNSET",
            status_message: s.status?.message ?? "",
            attributes,
            events: (s.events ?? []).map((e) => ({
              name: e.name,
              timestamp: formatPhoenixTime(Number(BigInt(e.time_unix_nano) / 1000n)),
              attributes: flattenKeyValues(e.attributes ?? []),
            })),
          });
          spanCount++;
        }
      }
      batches.push({ project, spans });
    }
    // Phoenix checks whether its queue is full when a request arrives, whatever the request's size.
    const full = ingestQueue ? ingestQueue.waiting >= (speedConfig?.maxSpansQueueSize ?? queueCapacity) : queued + spanCount > queueCapacity;
    if (full) {
      tally.rejected++;
      return { status: 503, body: gzipSync(CAPACITY_BODY), headers: { "content-type": "text/plain; charset=utf-8", "content-encoding": "gzip" } };
    }
    const ingest: Array<Omit<StoredSpan, "rowId">> = [];
    for (const batch of batches) {
      const project = store.findProject(batch.project, true)!;
      // OTLP re-sends of stored spans are accepted silently (BEHAVIOUR.md).
      for (const s of batch.spans) {
        if (store.hasSpan(s.context.span_id)) continue;
        store.reserve(s.context.span_id);
        ingest.push({ ...s, projectRowId: project.rowId });
      }
    }
    return { status: 200, body: "", headers: { "content-type": "application/x-protobuf" }, ingest, worker: "otlp" };
  }

  function getSpans(projectRowId: number, url: URL): Answer {
    const q = url.searchParams;
    const traceIds = q.getAll("trace_id");
    const spanIds = q.getAll("span_id");
    const names = q.getAll("name");
    const parent = q.get("parent_id");
    const start = q.get("start_time") ? parseIsoMicros(q.get("start_time")!)?.micros : undefined;
    const end = q.get("end_time") ? parseIsoMicros(q.get("end_time")!)?.micros : undefined;
    const limit = clampLimit(q.get("limit"), 100, 1000);
    if (limit === undefined) return { status: 422, body: { detail: [{ type: "less_than_equal", loc: ["query", "limit"], msg: "Input should be less than or equal to 1000" }] } };
    const matches = store.spans
      .filter((s) => s.projectRowId === projectRowId)
      .filter((s) => traceIds.length === 0 || traceIds.includes(s.context.trace_id))
      .filter((s) => spanIds.length === 0 || spanIds.includes(s.context.span_id))
      .filter((s) => names.length === 0 || names.includes(s.name))
      .filter((s) => parent === null || (parent === "null" ? s.parent_id === null : s.parent_id === parent))
      .filter((s) => start === undefined || s.startMicros >= start)
      .filter((s) => end === undefined || s.startMicros < end)
      .sort((a, b) => b.rowId - a.rowId);
    return paginate(matches, q.get("cursor"), limit, (s) => globalId("Span", s.rowId), PhoenixStore.toApiSpan);
  }

  function getTraces(projectRowId: number, url: URL): Answer {
    const q = url.searchParams;
    const limit = clampLimit(q.get("limit"), 100, 1000) ?? 100;
    const includeSpans = q.get("include_spans") === "true";
    const byTrace = new Map<string, StoredSpan[]>();
    for (const span of store.spans) {
      if (span.projectRowId !== projectRowId) continue;
      let list = byTrace.get(span.context.trace_id);
      if (!list) byTrace.set(span.context.trace_id, (list = []));
      list.push(span);
    }
    const traces = [...byTrace.entries()].map(([traceId, spans], index) => {
      const tokens = (key: string) => spans.reduce((sum, s) => sum + (typeof s.attributes[key] === "number" ? (s.attributes[key] as number) : 0), 0);
      const startMicros = Math.min(...spans.map((s) => s.startMicros));
      const endMicros = Math.max(...spans.map((s) => s.endMicros));
      const trace: Record<string, unknown> = {
        id: globalId("Trace", index + 1),
        trace_id: traceId,
        project_id: globalId("Project", projectRowId),
        start_time: formatPhoenixTime(startMicros),
        end_time: formatPhoenixTime(endMicros),
        token_count_prompt: tokens("llm.token_count.prompt"),
        token_count_completion: tokens("llm.token_count.completion"),
        token_count_total: tokens("llm.token_count.total"),
      };
      if (includeSpans) {
        trace.spans = spans.map((s) => ({
          id: globalId("Span", s.rowId),
          span_id: s.context.span_id,
          parent_id: s.parent_id,
          name: s.name,
          span_kind: s.span_kind,
          status_code: s.status_code,
          start_time: formatPhoenixTime(s.startMicros),
          end_time: formatPhoenixTime(s.endMicros),
        }));
      }
      return { trace, startMicros, rowId: Math.max(...spans.map((s) => s.rowId)) };
    });
    traces.sort((a, b) => b.startMicros - a.startMicros);
    return paginate(traces, q.get("cursor"), limit, (t) => t.trace.id as string, (t) => t.trace);
  }

  function annotate(target: "span" | "trace", url: URL, raw: Buffer, record: RecordedRequest): Answer {
    const body = parseJson(raw);
    if (!body.ok) return { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error" }] } };
    record.json = body.value;
    const validate = schemaValidator(target === "span" ? "AnnotateSpansRequestBody" : "AnnotateTracesRequestBody");
    if (!validate(body.value)) return { status: 422, body: validationDetail(validate.errors, body.value) };
    const sync = url.searchParams.get("sync") === "true";
    const items = (body.value as { data: Array<Record<string, unknown>> }).data;
    const key = target === "span" ? "span_id" : "trace_id";
    const exists = (id: string) => (target === "span" ? store.getSpan(id) !== undefined : store.hasTrace(id));
    const missing = [...new Set(items.map((a) => String(a[key])).filter((id) => !exists(id)))];
    if (sync && missing.length > 0) {
      const noun = target === "span" ? "Spans" : "Traces";
      return { status: 404, body: `${noun} with IDs ${missing.join(", ")} do not exist.`, headers: { "content-type": "text/plain" } };
    }
    const inserted: StoredAnnotation[] = [];
    for (const a of items) {
      const id = String(a[key]);
      if (!exists(id)) continue; // dropped silently without sync (BEHAVIOUR.md)
      const result = (a.result as { label?: string | null; score?: number | null; explanation?: string | null } | null) ?? {};
      inserted.push(
        store.upsertAnnotation({
          target,
          targetId: id,
          name: String(a.name),
          annotator_kind: String(a.annotator_kind),
          result: { label: result.label ?? null, score: result.score ?? null, explanation: result.explanation ?? null },
          metadata: (a.metadata as Record<string, unknown> | null) ?? {},
          identifier: (a.identifier as string | undefined) ?? "",
        }),
      );
    }
    const typeName = target === "span" ? "SpanAnnotation" : "TraceAnnotation";
    return { status: 200, body: { data: sync ? inserted.map((a) => ({ id: globalId(typeName, a.rowId) })) : [] } };
  }

  function getAnnotations(target: "span" | "trace", projectRowId: number, url: URL): Answer {
    const q = url.searchParams;
    const ids = q.getAll(target === "span" ? "span_ids" : "trace_ids");
    if (ids.length === 0) return { status: 422, body: { detail: [{ type: "missing", loc: ["query", target === "span" ? "span_ids" : "trace_ids"], msg: "Field required" }] } };
    const include = q.getAll("include_annotation_names");
    const exclude = q.getAll("exclude_annotation_names");
    const limit = clampLimit(q.get("limit"), 10, 10_000) ?? 10;
    const inProject = (id: string) =>
      target === "span"
        ? store.getSpan(id)?.projectRowId === projectRowId
        : store.spans.some((s) => s.context.trace_id === id && s.projectRowId === projectRowId);
    const typeName = target === "span" ? "SpanAnnotation" : "TraceAnnotation";
    const matches = store.annotations
      .filter((a) => a.target === target && ids.includes(a.targetId) && inProject(a.targetId))
      .filter((a) => include.length === 0 || include.includes(a.name))
      .filter((a) => !exclude.includes(a.name))
      .sort((a, b) => b.rowId - a.rowId);
    return paginate(matches, q.get("cursor"), limit, (a) => globalId(typeName, a.rowId), (a) => ({
      id: globalId(typeName, a.rowId),
      created_at: a.created_at,
      updated_at: a.updated_at,
      source: "API",
      user_id: null,
      name: a.name,
      annotator_kind: a.annotator_kind,
      result: a.result,
      metadata: a.metadata,
      identifier: a.identifier,
      [target === "span" ? "span_id" : "trace_id"]: a.targetId,
    }));
  }

  const counters: PhoenixServerCounters = {
    get spansAccepted() {
      return tally.acceptedRest + tally.acceptedOtlp;
    },
    get spansAcceptedRest() {
      return tally.acceptedRest;
    },
    get spansAcceptedOtlp() {
      return tally.acceptedOtlp;
    },
    get spansStored() {
      return tally.stored;
    },
    get queueDepth() {
      return queueDepth();
    },
    get peakQueueDepth() {
      return Math.max(tally.peak, ingestQueue?.peakDepth ?? 0);
    },
    get rejectedAtCapacity() {
      return tally.rejected;
    },
    get clientDisconnects() {
      return tally.disconnects;
    },
  };
  const speedState: PhoenixSpeedState | undefined =
    speedConfig && clock && restWorker && ingestQueue
      ? {
          config: speedConfig,
          wall: wallRates(speedConfig),
          now: () => clock.now(),
          answers: speedAnswers,
          get restStalls() {
            return restWorker.stalls;
          },
          get restStalledMillis() {
            return restWorker.stalledMillis;
          },
          get waitingSpans() {
            return ingestQueue.waiting;
          },
        }
      : undefined;

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    requests,
    violations,
    faults,
    events,
    spans(project?: string) {
      if (project === undefined) return [...store.spans];
      const p = store.findProject(project);
      return p ? store.spans.filter((s) => s.projectRowId === p.rowId) : [];
    },
    waitForSpans(count: number, timeoutMillis = 5_000) {
      if (store.spans.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          timer: setTimeout(() => {
            events.off("spans", onSpans);
            waiters.delete(waiter);
            reject(new Error(`timed out waiting for ${count} spans; ${store.spans.length} stored`));
          }, timeoutMillis),
          reject: (error: Error) => {
            clearTimeout(waiter.timer);
            events.off("spans", onSpans);
            reject(error);
          },
        };
        const onSpans = (n: number) => {
          if (n >= count) {
            clearTimeout(waiter.timer);
            events.off("spans", onSpans);
            waiters.delete(waiter);
            resolve();
          }
        };
        waiters.add(waiter);
        events.on("spans", onSpans);
      });
    },
    spanRequests() {
      return requests.filter((r) => r.method === "POST" && /^\/v1\/projects\/[^/]+\/spans$/.test(r.path));
    },
    counters,
    speed: speedState,
    async close() {
      closing = true;
      clock?.close();
      restWorker?.close();
      otlpWorker?.close();
      ingestQueue?.close();
      for (const handle of insertTimers) {
        clearTimeout(handle as NodeJS.Timeout);
        clearImmediate(handle as NodeJS.Immediate);
      }
      insertTimers.clear();
      for (const waiter of waiters) waiter.reject(new Error(`server closed while waiting for spans; ${store.spans.length} stored`));
      waiters.clear();
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What strict mode refuses: stored silently by Phoenix, but wrong for a span that should join its trace. */
function contractProblems(span: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const context = span.context as { trace_id: string; span_id: string };
  if (!/^[0-9a-f]{32}$/.test(context.trace_id)) problems.push(`trace_id ${JSON.stringify(context.trace_id)} is not 32 lowercase hex`);
  if (!/^[0-9a-f]{16}$/.test(context.span_id)) problems.push(`span_id ${JSON.stringify(context.span_id)} is not 16 lowercase hex`);
  if (span.parent_id !== null && span.parent_id !== undefined && !/^[0-9a-f]{16}$/.test(String(span.parent_id))) {
    problems.push(`parent_id ${JSON.stringify(span.parent_id)} is not 16 lowercase hex`);
  }
  if (!KNOWN_SPAN_KINDS.has(String(span.span_kind))) problems.push(`span_kind ${JSON.stringify(span.span_kind)} is not a Phoenix kind`);
  const start = parseIsoMicros(String(span.start_time))?.micros ?? 0;
  const end = parseIsoMicros(String(span.end_time))?.micros ?? 0;
  if (end < start) problems.push("end_time is before start_time");
  for (const [key, value] of Object.entries((span.attributes as Record<string, unknown> | undefined) ?? {})) {
    if (!isStorableValue(value)) problems.push(`attribute ${JSON.stringify(key)} is ${describe(value)}, which Phoenix drops`);
  }
  if (typeof span.status_message !== "string" && span.status_message !== undefined) problems.push("status_message is not a string");
  return problems;
}

function isStorableValue(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return true;
    const type = typeof value[0];
    return (type === "string" || type === "number" || type === "boolean") && value.every((v) => typeof v === type && (type !== "number" || Number.isFinite(v)));
  }
  return false;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a mixed or nested array";
  return typeof value === "object" ? "a JSON object" : typeof value;
}

/** Phoenix drops attributes whose value is a JSON object (BEHAVIOUR.md); it stores the rest as sent. */
function storedAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "openinference.span.kind") continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) continue;
    out[key] = value;
  }
  return out;
}

function flattenKeyValues(values: OtlpKeyValue[], prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const kv of values) {
    const value = anyValueToJs(kv.value);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[`${prefix}${kv.key}.${k}`] = v;
    } else if (value !== undefined) {
      out[`${prefix}${kv.key}`] = value;
    }
  }
  return out;
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

function clampLimit(raw: string | null, fallback: number, max = 1000): number | undefined {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > max) return undefined;
  return n;
}

function paginate<T>(
  items: T[],
  cursor: string | null,
  limit: number | undefined,
  idOf: (item: T) => string,
  render: (item: T) => unknown,
): { status: number; body: object } {
  const size = limit ?? 100;
  let start = 0;
  if (cursor) {
    const index = items.findIndex((item) => idOf(item) === cursor);
    start = index < 0 ? items.length : index;
  }
  const page = items.slice(start, start + size);
  const next = items[start + size];
  return { status: 200, body: { data: page.map(render), next_cursor: next ? idOf(next) : null } };
}

function send(res: ServerResponse, status: number, body: string | object | Buffer, headers: Record<string, string> = {}): void {
  // The client may have gone (timed out, cut off): Phoenix completes the request, there is just no one to tell.
  if (res.destroyed || res.writableEnded || res.socket?.destroyed) return;
  const text = Buffer.isBuffer(body) ? body : typeof body === "string" ? body : JSON.stringify(body);
  const type = headers["content-type"] ?? (typeof body === "string" || Buffer.isBuffer(body) ? "text/plain" : "application/json");
  res.writeHead(status, { ...headers, "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
