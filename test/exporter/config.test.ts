import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiagLogLevel, diag, type DiagLogger } from "@opentelemetry/api";
import { PhoenixConfigurationError, PhoenixSpanExporter, PhoenixSpanProcessor } from "../../src/index.js";
import { parseEndpoint } from "../../src/config/endpoint.js";
import { readBatchEnvironment } from "../../src/config/environment.js";
import { resetConfigWarnings, setConfigProcessWarnings } from "../../src/config/config-warnings.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { tracerProvider } from "../helpers/tracing.js";

const VARIABLES = ["PHOENIX_COLLECTOR_ENDPOINT", "PHOENIX_API_KEY", "PHOENIX_CLIENT_HEADERS", "PHOENIX_PROJECT", "PHOENIX_PROJECT_NAME"];
let saved: Record<string, string | undefined>;
let server: PhoenixTestServer;
let warnings: string[];

beforeEach(async () => {
  saved = Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]]));
  for (const v of VARIABLES) delete process.env[v];
  server = await startPhoenixServer();
  // Each test sees its own warnings through diag; the process warnings are tested in test/config.
  resetConfigWarnings();
  setConfigProcessWarnings(false);
  warnings = [];
  const logger: DiagLogger = {
    error: (m) => warnings.push(m),
    warn: (m) => warnings.push(m),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
});
afterEach(async () => {
  for (const v of VARIABLES) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
  diag.disable();
  resetConfigWarnings();
  await server.close();
});

async function sendOne(processor: PhoenixSpanProcessor, project?: string) {
  tracerProvider([processor], project).getTracer("t").startSpan("one").end();
  await processor.forceFlush();
  await server.waitForSpans(1);
  await processor.shutdown();
}

describe("endpoint", () => {
  it("tolerates a trailing slash and a /v1/traces suffix, keeps a path prefix", () => {
    expect(parseEndpoint("http://localhost:6006/", "option")).toMatchObject({ kind: "http", baseUrl: "http://localhost:6006" });
    expect(parseEndpoint("http://localhost:6006/v1/traces", "option")).toMatchObject({ baseUrl: "http://localhost:6006" });
    expect(parseEndpoint("https://example.com/phoenix/v1/traces/", "option")).toMatchObject({ baseUrl: "https://example.com/phoenix" });
  });

  it("reads file:// endpoints as directories", () => {
    expect(parseEndpoint("file:///tmp/x", "option")).toMatchObject({ kind: "file", directory: "/tmp/x" });
    expect(parseEndpoint("file://./phoenix-data", "option")).toMatchObject({ kind: "file", directory: `${process.cwd()}/phoenix-data` });
  });

  it("refuses other schemes, garbage and credentials in the URL", () => {
    expect(() => parseEndpoint("ftp://x", "option")).toThrow(PhoenixConfigurationError);
    expect(() => parseEndpoint("not a url", "option")).toThrow(/not a URL/);
    expect(() => parseEndpoint("https://user:secret@example.com", "option")).toThrow(/user name or password/);
  });

  it("uses PHOENIX_COLLECTOR_ENDPOINT when no option is given", async () => {
    process.env.PHOENIX_COLLECTOR_ENDPOINT = `${server.url}/v1/traces`;
    await sendOne(new PhoenixSpanProcessor());
    expect(server.spans()).toHaveLength(1);
  });

  it("warns about a bad PHOENIX_COLLECTOR_ENDPOINT, saying the default is used instead and what to do", () => {
    process.env.PHOENIX_COLLECTOR_ENDPOINT = "ftp://nowhere";
    const exporter = new PhoenixSpanExporter();
    expect(exporter.endpoint).toBe("http://localhost:6006");
    expect(warnings).toEqual([
      "phoenix-connector: PHOENIX_COLLECTOR_ENDPOINT must be http://, https:// or file://, not ftp://. Using the default http://localhost:6006 instead. " +
        "Set PHOENIX_COLLECTOR_ENDPOINT to Phoenix's base URL (e.g. http://localhost:6006) or to file://DIR, or unset it.",
    ]);
  });

  it("warns about a PHOENIX_PROJECT Phoenix would refuse, and uses default", async () => {
    process.env.PHOENIX_PROJECT = "a/b";
    await sendOne(new PhoenixSpanProcessor({ endpoint: server.url }));
    expect(server.spans("default")).toHaveLength(1);
    expect(warnings.join("\n")).toMatch(/PHOENIX_PROJECT "a\/b" contains .* Using the project "default" instead\./);
  });
});

describe("project", () => {
  it("refuses names with / ? # at construction", () => {
    for (const name of ["a/b", "a?b", "a#b", ""]) {
      expect(() => new PhoenixSpanExporter({ endpoint: server.url, projectName: name })).toThrow(PhoenixConfigurationError);
    }
  });

  it("falls back to PHOENIX_PROJECT, then PHOENIX_PROJECT_NAME, then default", async () => {
    process.env.PHOENIX_PROJECT_NAME = "alias";
    await sendOne(new PhoenixSpanProcessor({ endpoint: server.url }));
    expect(server.spans("alias")).toHaveLength(1);
    process.env.PHOENIX_PROJECT = "canonical";
    const second = new PhoenixSpanProcessor({ endpoint: server.url });
    tracerProvider([second]).getTracer("t").startSpan("two").end();
    await second.shutdown();
    await server.waitForSpans(2);
    expect(server.spans("canonical")).toHaveLength(1);
    expect(warnings.join("\n")).toMatch(/PHOENIX_PROJECT and PHOENIX_PROJECT_NAME differ/);
  });

  it("the resource attribute wins over PHOENIX_PROJECT", async () => {
    process.env.PHOENIX_PROJECT = "env-project";
    await sendOne(new PhoenixSpanProcessor({ endpoint: server.url }), "resource-project");
    expect(server.spans("resource-project")).toHaveLength(1);
  });
});

describe("credentials", () => {
  it("sends PHOENIX_API_KEY as a bearer token and PHOENIX_CLIENT_HEADERS as headers", async () => {
    await server.close();
    server = await startPhoenixServer({ apiKey: "k-123456" });
    process.env.PHOENIX_API_KEY = "k-123456";
    process.env.PHOENIX_CLIENT_HEADERS = JSON.stringify({ "x-team": "search" });
    await sendOne(new PhoenixSpanProcessor({ endpoint: server.url }));
    expect(server.spanRequests()[0]!.headers.authorization).toBe("Bearer k-123456");
    expect(server.spanRequests()[0]!.headers["x-team"]).toBe("search");
  });

  it("the apiKey option wins over PHOENIX_API_KEY", async () => {
    await server.close();
    server = await startPhoenixServer({ apiKey: "right" });
    process.env.PHOENIX_API_KEY = "wrong";
    await sendOne(new PhoenixSpanProcessor({ endpoint: server.url, apiKey: "right" }));
    expect(server.spanRequests()[0]!.status).toBe(202);
  });

  it("warns about and ignores PHOENIX_CLIENT_HEADERS that is not a JSON object", () => {
    process.env.PHOENIX_CLIENT_HEADERS = "api_key=abc";
    new PhoenixSpanExporter({ endpoint: server.url });
    expect(warnings.join("\n")).toMatch(/PHOENIX_CLIENT_HEADERS is not a JSON object/);
  });

  it("refuses header values with line breaks", () => {
    expect(() => new PhoenixSpanExporter({ endpoint: server.url, headers: { "x-a": "b\r\nx-evil: 1" } })).toThrow(/line break/);
    expect(() => new PhoenixSpanExporter({ endpoint: server.url, apiKey: "abc\ndef" })).toThrow(/line break/);
  });
});

describe("batching options", () => {
  it("OTEL_BSP_* variables are read, bad values warned about and ignored", () => {
    expect(readBatchEnvironment({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "10", OTEL_BSP_SCHEDULE_DELAY: "250" })).toEqual({
      maxExportBatchSize: 10,
      scheduledDelayMillis: 250,
    });
    expect(readBatchEnvironment({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "ten", OTEL_BSP_MAX_QUEUE_SIZE: "1e3", OTEL_BSP_EXPORT_TIMEOUT: "-5" })).toEqual({});
    expect(warnings.filter((w) => w.includes("OTEL_BSP_"))).toHaveLength(3);
  });

  it("OTEL_BSP_MAX_EXPORT_BATCH_SIZE overrides the 50-span preset", async () => {
    process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = "10";
    try {
      const processor = new PhoenixSpanProcessor({ endpoint: server.url });
      const tracer = tracerProvider([processor]).getTracer("t");
      for (let i = 0; i < 25; i++) tracer.startSpan(`s${i}`).end();
      await processor.shutdown();
      await server.waitForSpans(25);
      expect(server.spanRequests().map((r) => (r.json as { data: unknown[] }).data.length)).toEqual([10, 10, 5]);
    } finally {
      delete process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE;
    }
  });

  it("bad numeric options throw with the option's name", () => {
    expect(() => new PhoenixSpanProcessor({ endpoint: server.url, maxExportBatchSize: 0 })).toThrow(/maxExportBatchSize/);
    expect(() => new PhoenixSpanExporter({ endpoint: server.url, concurrency: 1.5 })).toThrow(/concurrency/);
    expect(() => new PhoenixSpanExporter({ endpoint: server.url, timeoutMillis: Number.NaN })).toThrow(/timeoutMillis/);
  });
});
