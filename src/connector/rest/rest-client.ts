import { checkProjectName, type ResolvedConnection } from "../../config/phoenix-config.js";
import { EXPORTER_DEFAULTS } from "../../exporter/options.js";
import { HttpTransport } from "../../http/http-transport.js";
import { RetryingTransport, type RetryPolicy } from "../../http/retrying-transport.js";
import { REAL_CLOCK, type Clock } from "../../http/clock.js";
import type { Transport, TransportRequest } from "../../http/transport.js";
import { bodyText } from "../../http/transport.js";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import {
  annotationTargetId,
  readAllPages,
  type PhoenixAnnotationDataOf,
  type PhoenixAnnotationQuery,
  type PhoenixAnnotationTarget,
  type PhoenixAnnotationWrite,
  type PhoenixBackend,
  type PhoenixPage,
  type PhoenixProjectRef,
  type PhoenixSpanQuery,
  type PhoenixStoredAnnotationOf,
} from "../../store/backend.js";
import { RestExperiments } from "./experiment-rest.js";
import { responseError } from "./response-errors.js";
import {
  checkShape,
  insertedIdsShape,
  projectBodyShape,
  projectsPageShape,
  spanAnnotationsPageShape,
  spansPageShape,
  traceAnnotationsPageShape,
} from "./response-shapes.js";

export interface PhoenixRestClientOptions {
  /** Retries of connection errors, timeouts, 408/429/5xx. Default: 4 attempts within 10 s. */
  retry?: RetryPolicy;
  /** Clock of the retries (tests inject one so that no test waits for a real backoff). */
  clock?: Clock;
  /** Timeout of one request. Default 10 000 ms. */
  timeoutMillis?: number;
}

/** Bounded: `connect` must fail within seconds when Phoenix is not there, not after the exporter's minute. */
export const REST_CLIENT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  initialBackoffMillis: 250,
  maxBackoffMillis: 2_000,
  deadlineMillis: 10_000,
};

const ANNOTATION_IDS_PER_READ = 50;
const ANNOTATIONS_PER_PAGE = 1_000;

/**
 * Phoenix's REST API for what the connector reads and annotates: projects,
 * spans (cursor pages), span and trace annotations. Built on the exporter's
 * transports (undici pool, classified answers, full-jitter retries), so it
 * fails the same typed way: 401/403 → PhoenixAuthenticationError, no answer
 * after bounded retries → PhoenixConnectionError, an unexpected answer →
 * PhoenixResponseError.
 */
export class PhoenixRestClient implements PhoenixBackend {
  readonly kind = "phoenix" as const;
  readonly display: string;
  /** Datasets and experiments (experiment-rest.ts), on this client's transport. */
  readonly experiments: RestExperiments;
  readonly #baseUrl: string;
  readonly #connection: ResolvedConnection;
  readonly #transport: Transport;
  readonly #timeoutMillis: number;
  #closed: Promise<void> | undefined;

  constructor(connection: ResolvedConnection, options: PhoenixRestClientOptions = {}) {
    if (connection.endpoint.kind !== "http") throw new TypeError("PhoenixRestClient needs an http(s) endpoint");
    this.#connection = connection;
    this.#baseUrl = connection.endpoint.baseUrl;
    this.display = connection.endpoint.display;
    this.#timeoutMillis = options.timeoutMillis ?? EXPORTER_DEFAULTS.timeoutMillis;
    const http = new HttpTransport({
      baseUrl: this.#baseUrl,
      credentials: connection.credentials,
      connections: 2,
      ...(connection.ca !== undefined ? { ca: connection.ca } : {}),
    });
    this.#transport = new RetryingTransport(http, { ...REST_CLIENT_RETRY, ...options.retry }, options.clock ?? REAL_CLOCK);
    this.experiments = new RestExperiments({
      baseUrl: this.#baseUrl,
      send: (request, accepted) => this.#send(request, accepted),
      parse: (answer, route, shape) => this.#parse(answer, route, shape),
      redact: (text) => connection.credentials.redact(text),
    });
  }

  listProjects(cursor?: string): Promise<PhoenixPage<PhoenixProjectRef>> {
    const query = new URLSearchParams({ limit: "100" });
    if (cursor !== undefined) query.set("cursor", cursor);
    return this.#json({ method: "GET", path: `/v1/projects?${query}` }, projectsPageShape);
  }

  async findProject(identifier: string): Promise<PhoenixProjectRef | undefined> {
    const answer = await this.#send({ method: "GET", path: `/v1/projects/${encodeURIComponent(identifier)}` }, [404]);
    if (answer.statusCode === 404) return undefined;
    return this.#parse(answer, "GET /v1/projects/{project}", projectBodyShape);
  }

  async ensureProject(name: string): Promise<PhoenixProjectRef> {
    checkProjectName(name, "The project name");
    const found = await this.findProject(name);
    if (found) return found;
    const answer = await this.#send({ method: "POST", path: "/v1/projects", body: JSON.stringify({ name }) }, [409]);
    // 409: another client created it between our look-up and our create.
    if (answer.statusCode === 409) {
      const raced = await this.findProject(name);
      if (raced) return raced;
    }
    return this.#parse(answer, "POST /v1/projects", projectBodyShape);
  }

  async readSpans(project: string, query: PhoenixSpanQuery = {}): Promise<PhoenixPage<PhoenixSpan>> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 100) });
    for (const id of query.traceIds ?? []) params.append("trace_id", id);
    for (const id of query.spanIds ?? []) params.append("span_id", id);
    if (query.start) params.set("start_time", query.start.toISOString());
    if (query.end) params.set("end_time", query.end.toISOString());
    if (query.cursor !== undefined) params.set("cursor", query.cursor);
    const answer = await this.#send({ method: "GET", path: `${projectPath(project)}/spans?${params}` }, [404]);
    // Phoenix creates a project on its first span: before that it has none.
    if (answer.statusCode === 404) return { data: [], nextCursor: null };
    return this.#parse(answer, "GET /v1/projects/{project}/spans", spansPageShape);
  }

  async writeAnnotations<T extends PhoenixAnnotationTarget>(
    target: T,
    annotations: ReadonlyArray<PhoenixAnnotationDataOf[T]>,
  ): Promise<PhoenixAnnotationWrite> {
    if (annotations.length === 0) return { status: "stored", ids: [] };
    const route = `/v1/${target}_annotations`;
    const answer = await this.#send(
      { method: "POST", path: `${route}?sync=true`, body: JSON.stringify({ data: annotations }) },
      [404],
    );
    if (answer.statusCode === 404) {
      const requested = new Set(annotations.map((a) => annotationTargetId(target, a)));
      return { status: "missing", missingIds: missingIdsFrom(bodyText(answer.body), requested) };
    }
    return { status: "stored", ids: this.#parse(answer, `POST ${route}`, insertedIdsShape) };
  }

  async readAnnotations<T extends PhoenixAnnotationTarget>(
    target: T,
    project: string,
    query: PhoenixAnnotationQuery,
  ): Promise<Array<PhoenixStoredAnnotationOf[T]>> {
    const route = `${projectPath(project)}/${target}_annotations`;
    const shape = (target === "span" ? spanAnnotationsPageShape : traceAnnotationsPageShape) as (
      body: unknown,
    ) => PhoenixPage<PhoenixStoredAnnotationOf[T]>;
    const out: Array<PhoenixStoredAnnotationOf[T]> = [];
    // Ids travel in the query string: a few dozen per request keeps URLs short.
    for (let i = 0; i < query.ids.length; i += ANNOTATION_IDS_PER_READ) {
      const ids = query.ids.slice(i, i + ANNOTATION_IDS_PER_READ);
      const chunk = await readAllPages(async (cursor) => {
        const params = new URLSearchParams({ limit: String(ANNOTATIONS_PER_PAGE) });
        for (const id of ids) params.append(`${target}_ids`, id);
        for (const name of query.names ?? []) params.append("include_annotation_names", name);
        if (cursor !== undefined) params.set("cursor", cursor);
        const answer = await this.#send({ method: "GET", path: `${route}?${params}` }, [404]);
        if (answer.statusCode === 404) return { data: [], nextCursor: null };
        return this.#parse(answer, `GET /v1/projects/{project}/${target}_annotations`, shape);
      });
      out.push(...chunk);
    }
    return out;
  }

  traceUrl(project: PhoenixProjectRef, traceId: string): string {
    return `${this.#baseUrl}/projects/${encodeURIComponent(project.id)}/traces/${encodeURIComponent(traceId)}`;
  }

  close(): Promise<void> {
    this.#closed ??= this.#transport.shutdown();
    return this.#closed;
  }

  async #json<T>(request: TransportRequest, shape: (body: unknown) => T): Promise<T> {
    return this.#parse(await this.#send(request), `${request.method} ${request.path.split("?")[0]}`, shape);
  }

  /** Sends; success and the listed statuses come back, everything else throws its typed error. */
  async #send(request: TransportRequest, accepted: readonly number[] = []): Promise<{ statusCode: number; body: Uint8Array }> {
    const response = await this.#transport.send(request, this.#timeoutMillis);
    if (response.status === "success") return { statusCode: response.statusCode, body: response.body };
    if (response.statusCode !== undefined && accepted.includes(response.statusCode)) {
      return { statusCode: response.statusCode, body: response.body ?? new Uint8Array() };
    }
    throw responseError(response, `${request.method} ${request.path.split("?")[0]}`, this.display, this.#connection.credentials);
  }

  #parse<T>(answer: { statusCode: number; body: Uint8Array }, route: string, shape: (body: unknown) => T): T {
    return checkShape(route, answer.statusCode, () => {
      let body: unknown;
      try {
        body = JSON.parse(bodyText(answer.body, Number.MAX_SAFE_INTEGER));
      } catch {
        body = undefined;
      }
      return shape(body);
    });
  }
}

function projectPath(project: string): string {
  return `/v1/projects/${encodeURIComponent(project)}`;
}

/** Phoenix's sync 404 reads `Spans with IDs a, b do not exist.`; only ids we asked about are believed. */
function missingIdsFrom(text: string, requested: ReadonlySet<string>): string[] | undefined {
  const match = /IDs?\s+(.+?)\s+do(?:es)?\s+not\s+exist/i.exec(text);
  if (!match) return undefined;
  const ids = match[1]!.split(/[\s,]+/).map((id) => id.replace(/^['"[(]+|['"\])]+$/g, "")).filter((id) => requested.has(id));
  return ids.length > 0 ? ids : undefined;
}
