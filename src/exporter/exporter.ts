import { diag } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import { checkProjectName, resolveConnection, resolveDefaultProject } from "../config/phoenix-config.js";
import { readPhoenixEnvironment } from "../config/environment.js";
import { mapSpan, type MapSpanOptions } from "../mapping/map-span.js";
import { DeliveryQueue } from "./delivery/delivery-queue.js";
import { createSpanSink } from "./delivery/create-span-sink.js";
import type { SpanSink } from "./delivery/span-sink.js";
import { EXPORTER_DEFAULTS, type PhoenixSpanExporterOptions } from "./options.js";
import { integerOption } from "./validate.js";

/**
 * An OpenTelemetry `SpanExporter` that writes spans to Phoenix's REST span
 * route (or the local store for a `file://` endpoint), mapped to Phoenix
 * spans with their OpenInference kind and attributes.
 *
 * `export()` answers SUCCESS only once Phoenix has acknowledged every span of
 * the call. `PhoenixSpanProcessor` uses {@link enqueue} instead, so several
 * batches are in flight while the application carries on.
 */
export class PhoenixSpanExporter implements SpanExporter {
  /** The endpoint spans go to, for logs and diagnostics (no credentials). */
  readonly endpoint: string;
  readonly #queue: DeliveryQueue;
  readonly #sink: SpanSink;
  #shutdown: Promise<void> | undefined;

  constructor(options: PhoenixSpanExporterOptions = {}) {
    const env = readPhoenixEnvironment();
    const connection = resolveConnection(options, env);
    const project = resolveDefaultProject(options.projectName, env);
    const timeoutMillis = integerOption("timeoutMillis", options.timeoutMillis, 1) ?? EXPORTER_DEFAULTS.timeoutMillis;
    const maxSpansPerRequest =
      integerOption("maxSpansPerRequest", options.maxSpansPerRequest, 1, 10_000) ?? EXPORTER_DEFAULTS.maxSpansPerRequest;
    const concurrency = integerOption("concurrency", options.concurrency, 1, 64) ?? EXPORTER_DEFAULTS.concurrency;
    const mapping: MapSpanOptions = options.mapping ?? {};

    this.endpoint = connection.endpoint.display;
    this.#sink = createSpanSink(connection, { concurrency });
    this.#queue = new DeliveryQueue({
      sink: this.#sink,
      map: (span) => mapSpan(span, mapping),
      projectOf: project.explicit ? () => project.name : projectFromResource(project.name),
      maxSpansPerRequest,
      concurrency,
      timeoutMillis,
    });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#shutdown) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error("PhoenixSpanExporter is shut down") });
      return;
    }
    this.#queue.submit(spans).then(
      (ok) =>
        resultCallback(
          ok
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: new Error("some spans were not delivered to Phoenix; see the diag log") },
        ),
      (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error as Error }),
    );
  }

  /**
   * Hands spans to the delivery pipeline without waiting for Phoenix. Returns
   * false (and takes nothing) once the exporter is shut down.
   */
  enqueue(spans: ReadableSpan[]): boolean {
    if (this.#shutdown) return false;
    void this.#queue.submit(spans);
    return true;
  }

  /** Resolves once everything handed over so far has been delivered or given up. */
  forceFlush(): Promise<void> {
    return this.#queue.drain();
  }

  /** Delivers what is pending, then releases the connection. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      await this.#queue.drain();
      await this.#sink.shutdown();
    })();
    return this.#shutdown;
  }
}

/**
 * Project of a span from its resource's `openinference.project.name`, else
 * the fallback. Resources are shared by all spans of a provider, so the
 * answer is cached per resource object.
 */
function projectFromResource(fallback: string): (span: ReadableSpan) => string {
  const cache = new WeakMap<object, string>();
  return (span) => {
    const resource = span.resource as object | undefined;
    if (!resource) return fallback;
    let project = cache.get(resource);
    if (project === undefined) {
      project = fallback;
      const raw = span.resource.attributes?.[SEMRESATTRS_PROJECT_NAME];
      if (typeof raw === "string" && raw.trim() !== "") {
        try {
          project = checkProjectName(raw, `The resource attribute ${SEMRESATTRS_PROJECT_NAME}`);
        } catch (error) {
          diag.error(`phoenix-connector: ${(error as Error).message} Sending its spans to "${fallback}".`);
        }
      }
      cache.set(resource, project);
    }
    return project;
  };
}
