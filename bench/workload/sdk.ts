/**
 * The OpenTelemetry SDK generation the bench records spans with and the OTLP
 * exporters it compares against, chosen by the Node version:
 *
 * - Node >= 22.15: OpenTelemetry JS 3 (`@opentelemetry/sdk-trace` 3.x
 *   `TracerProvider` / `BatchSpanProcessor`, `@opentelemetry/resources` 3,
 *   `@opentelemetry/exporter-trace-otlp-proto` / `-http` 0.301);
 * - older Node (20): OpenTelemetry JS 2 (`@opentelemetry/sdk-trace-base` 2.12
 *   `BasicTracerProvider` / `BatchSpanProcessor` and the `resources` 2 it
 *   depends on; `otel2-exporter-trace-otlp-proto` = exporter-trace-otlp-proto
 *   0.223; exporter-trace-otlp-http 0.223 as installed under `otel2-sdk-node`).
 *
 * OTel 3 packages declare `engines: node >= 22.15`; they are not loaded on 20.
 * `BENCH_OTEL=2|3` forces a generation (3 on Node 20 is unsupported).
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Attributes, Tracer } from "@opentelemetry/api";
import type { ReadableSpan } from "../../src/index.js";

const require = createRequire(import.meta.url);

export interface SdkSpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface SdkSpanProcessor {
  onStart(span: unknown, context: unknown): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface Sdk {
  generation: 2 | 3;
  /** Package names and versions, for the report. */
  versions: Record<string, string>;
  /** A provider with these processors, resource and id generator; returns a tracer factory. */
  provider(options: {
    resource: Attributes;
    processors: SdkSpanProcessor[];
    idGenerator: { generateTraceId(): string; generateSpanId(): string };
  }): { getTracer(name: string, version?: string): Tracer };
  batchSpanProcessor(exporter: SdkSpanExporter): SdkSpanProcessor;
  otlpExporter(kind: "proto" | "json", options: { url: string; headers?: Record<string, string> }): SdkSpanExporter;
}

function nodeAtLeast(major: number, minor: number): boolean {
  const [a, b] = process.versions.node.split(".").map(Number) as [number, number];
  return a > major || (a === major && b >= minor);
}

export function sdkGeneration(): 2 | 3 {
  const forced = process.env.BENCH_OTEL;
  if (forced === "2" || forced === "3") return Number(forced) as 2 | 3;
  return nodeAtLeast(22, 15) ? 3 : 2;
}

/** The installed version of a package (read from node_modules: some packages do not export ./package.json). */
function versionOf(name: string): string {
  const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

let cached: Sdk | undefined;

export async function loadSdk(): Promise<Sdk> {
  if (cached) return cached;
  cached = sdkGeneration() === 3 ? await loadOtel3() : await loadOtel2();
  return cached;
}

async function loadOtel3(): Promise<Sdk> {
  const trace = await import("@opentelemetry/sdk-trace");
  const { resourceFromAttributes } = await import("@opentelemetry/resources");
  const proto = await import("@opentelemetry/exporter-trace-otlp-proto");
  const json = await import("@opentelemetry/exporter-trace-otlp-http");
  return {
    generation: 3,
    versions: {
      "@opentelemetry/sdk-trace": versionOf("@opentelemetry/sdk-trace"),
      "@opentelemetry/exporter-trace-otlp-proto": versionOf("@opentelemetry/exporter-trace-otlp-proto"),
      "@opentelemetry/exporter-trace-otlp-http": versionOf("@opentelemetry/exporter-trace-otlp-http"),
    },
    provider: ({ resource, processors, idGenerator }) =>
      new trace.TracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: processors as never, idGenerator }),
    // OTel 3's BatchSpanProcessor takes its exporter in the options object (`{ exporter, ...defaults }`).
    batchSpanProcessor: (exporter) => new trace.BatchSpanProcessor({ exporter } as never) as unknown as SdkSpanProcessor,
    otlpExporter: (kind, options) =>
      (kind === "proto" ? new proto.OTLPTraceExporter(options) : new json.OTLPTraceExporter(options)) as unknown as SdkSpanExporter,
  };
}

async function loadOtel2(): Promise<Sdk> {
  // The OTel 2 packages, resolved where npm put them (the top level has the OTel 3 core/resources).
  const baseDir = new URL("../../node_modules/@opentelemetry/sdk-trace-base/", import.meta.url).pathname;
  const base = require("@opentelemetry/sdk-trace-base") as typeof import("@opentelemetry/sdk-trace-base");
  const resources = require(require.resolve("@opentelemetry/resources", { paths: [baseDir] })) as typeof import("@opentelemetry/resources");
  const proto = require("otel2-exporter-trace-otlp-proto") as typeof import("otel2-exporter-trace-otlp-proto");
  const sdkNodeDir = new URL("../../node_modules/otel2-sdk-node/", import.meta.url).pathname;
  const jsonPath = require.resolve("@opentelemetry/exporter-trace-otlp-http", { paths: [sdkNodeDir] });
  const json = require(jsonPath) as typeof import("@opentelemetry/exporter-trace-otlp-http");
  const jsonVersion = (JSON.parse(readFileSync(jsonPath.replace(/build\/.*$/, "package.json"), "utf8")) as { version: string }).version;
  return {
    generation: 2,
    versions: {
      "@opentelemetry/sdk-trace-base": versionOf("@opentelemetry/sdk-trace-base"),
      "@opentelemetry/exporter-trace-otlp-proto": versionOf("otel2-exporter-trace-otlp-proto"),
      "@opentelemetry/exporter-trace-otlp-http": jsonVersion,
    },
    provider: ({ resource, processors, idGenerator }) =>
      new base.BasicTracerProvider({ resource: resources.resourceFromAttributes(resource), spanProcessors: processors as never, idGenerator }),
    batchSpanProcessor: (exporter) => new base.BatchSpanProcessor(exporter as never) as unknown as SdkSpanProcessor,
    otlpExporter: (kind, options) =>
      (kind === "proto" ? new proto.OTLPTraceExporter(options) : new json.OTLPTraceExporter(options)) as unknown as SdkSpanExporter,
  };
}
