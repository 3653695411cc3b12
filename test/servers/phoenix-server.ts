import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { base64ToHex, decodeOtlpTraceRequest } from "./otlp-proto.js";
import { chatRoute } from "./phoenix-chat.js";
import { datasetRoutes } from "./phoenix-dataset-routes.js";
import { DatasetStore } from "./phoenix-datasets.js";
import { experimentRoutes } from "./phoenix-experiment-routes.js";
import { clampLimit, paginate, parseJson, send, type Answer } from "./phoenix-http.js";
import { schemaValidator, validationDetail } from "./phoenix-schema.js";
import { contractProblems, flattenKeyValues, storedAttributes } from "./phoenix-span-rules.js";
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
} from "./phoenix-speed.js";

import type {
  FaultAction,
  FaultRule,
  FaultContext,
  PhoenixServerCounters,
  PhoenixSpeedState,
  PhoenixTestServer,
  PhoenixTestServerOptions,
  RecordedRequest,
  SpeedAnswer,
} from "./phoenix-types.js";

export type { PhoenixSpeedOption, PhoenixSpeedOptions, PhoenixSpeedConfig } from "./phoenix-speed.js";
export type * from "./phoenix-types.js";

const CAPACITY_BODY = readFileSync(new URL("../fixtures/phoenix/otlp-traces-503-at-capacity.txt", import.meta.url));

const NAIVE_TIME_MESSAGE = (field: string) =>
  `Value error, ${field}: timezone-naive timestamp is not allowed; all timestamps must be timezone-aware (e.g., use UTC).`;

export async function startPhoenixServer(options: PhoenixTestServerOptions = {}): Promise<PhoenixTestServer> {
  const store = new PhoenixStore();
  const datasets = new DatasetStore();
  const datasetRoute = datasetRoutes(datasets, (spanId) => {
    const span = store.getSpan(spanId);
    return span ? globalId("Span", span.rowId) : undefined;
  });
  const experimentRoute = experimentRoutes(datasets, store);
  const chat = chatRoute(options.chatCompletion);
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
    if (method === "POST" && path === "/v1/chat/completions") return chat(raw);
    if (path.startsWith("/v1/datasets") || path.startsWith("/v1/experiment")) {
      const answer = datasetRoute(method, url, raw, req.headers) ?? experimentRoute(method, url, raw);
      if (answer) return answer;
    }
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
    datasets,
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
