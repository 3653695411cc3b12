import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import {
  PhoenixConfigurationError,
  PhoenixConnector,
  PhoenixSpanExporter,
  PhoenixSpanProcessor,
  openBackend,
  type PhoenixSpanExporterOptions,
} from "../../src/index.js";
import { Credentials } from "../../src/config/credentials.js";
import { resolveConnection } from "../../src/config/phoenix-config.js";
import { HttpTransport } from "../../src/http/http-transport.js";
import { isolatePhoenixEnvironment } from "../connector/support.js";
import { captureDiag, instantClock, manySpans, type CapturedDiag } from "../exporter/delivery/support.js";
import { isSpanDelivery } from "../servers/faults.js";
import { tracerProvider } from "../helpers/tracing.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";

const KEY = "px-live-SECRET-4f9c2a7d1e8b6035";
const SERVER_KEY = "px-server-SECRET-0a1b2c3d4e5f6789";

let server: PhoenixTestServer;
let log: CapturedDiag;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
beforeEach(() => {
  isolatePhoenixEnvironment();
  log = captureDiag();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  log.restore();
  vi.unstubAllEnvs();
  await server?.close();
});

function exportOnce(exporter: PhoenixSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** Everything a user or a log collector could see of our objects and their failures. */
function everythingSeen(objects: unknown[], extra: string[] = []): string {
  return [
    ...log.lines.map((l) => l.message),
    ...objects.map((o) => inspect(o, { depth: Infinity, showHidden: true, getters: true })),
    ...objects.map((o) => {
      try {
        return JSON.stringify(o);
      } catch {
        return "";
      }
    }),
    ...extra,
  ].join("\n");
}

describe("the API key never appears in logs, errors, stats or inspection, whatever goes wrong", () => {
  type Start = () => Promise<{ url: string; trouble: RegExp; options?: PhoenixSpanExporterOptions }>;
  const failures: Array<[string, Start]> = [
    ["401 (a wrong key)", async () => {
      server = await startPhoenixServer({ apiKey: SERVER_KEY });
      return { url: server.url, trouble: /401 Unauthorized/ };
    }],
    ["5xx (with an answer that echoes the key)", async () => {
      server = await startPhoenixServer();
      server.faults.push(() => ({ kind: "respond", status: 500, body: `internal error; headers were authorization: Bearer ${KEY}` }));
      return { url: server.url, trouble: /did not answer after every retry/, options: { retry: { maxAttempts: 2 } } };
    }],
    ["a refusal (404) whose answer echoes the key", async () => {
      server = await startPhoenixServer();
      server.faults.push(() => ({ kind: "respond", status: 404, body: `Project not found for Authorization: Bearer ${KEY}` }));
      return { url: server.url, trouble: /Phoenix refused .*Project not found for Authorization: \[redacted\]/ };
    }],
    ["timeouts", async () => {
      server = await startPhoenixServer();
      server.faults.push((r) => (isSpanDelivery(r) ? { kind: "stall" } : undefined));
      return { url: server.url, trouble: /did not answer after every retry \(timed out/, options: { timeoutMillis: 100, retry: { maxAttempts: 2 } } };
    }],
    ["an unreachable server", async () => {
      server = await startPhoenixServer();
      const url = server.url;
      await server.close();
      return { url, trouble: /did not answer after every retry \(ECONNREFUSED/, options: { retry: { maxAttempts: 2 } } };
    }],
  ];

  it.each(failures)("%s", async (_what, start) => {
    const { url, trouble, options } = await start();
    const common = { endpoint: url, apiKey: KEY, projectName: "keys", summaryIntervalMillis: 0, ...options };
    const exporter = new PhoenixSpanExporter(common, { clock: instantClock() });
    const processor = new PhoenixSpanProcessor({ ...common, scheduledDelayMillis: 0, flushTimeoutMillis: 200 });
    const provider = tracerProvider([processor]);
    provider.getTracer("t").startSpan("via-processor").end();
    // Without a spool, undelivered spans wait in memory: export() answers at shutdown.
    const result = exportOnce(exporter, manySpans(5));
    await log.next(/did not answer/.test(trouble.source) ? "warn" : "error", trouble);
    await processor.forceFlush();
    const connector = new PhoenixConnector({ annotationDelayMillis: 0, retry: { maxAttempts: 1 } });
    const connectError = await connector.connect({ endpoint: url, apiKey: KEY }).then(() => undefined, (e: unknown) => e as Error);
    const backend = openBackend({ endpoint: url, apiKey: KEY, retry: { maxAttempts: 1 } });
    const backendError = await backend.listProjects().then(() => undefined, (e: unknown) => e as Error);
    const stats = [exporter.stats(), (processor.exporter as PhoenixSpanExporter).stats()];
    await exporter.shutdown({ timeoutMillis: 100 });
    await processor.shutdown({ timeoutMillis: 100 });
    await connector.disconnect();

    const errors = [(await result).error, connectError, backendError].filter((e): e is Error => e !== undefined);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const seen = everythingSeen(
      [exporter, processor, provider, connector, backend, ...stats, ...errors],
      [...errors.map((e) => `${e.message}\n${e.stack}\n${String((e as { cause?: unknown }).cause ?? "")}`), ...stats.map((s) => JSON.stringify(s))],
    );
    expect(seen).toMatch(trouble);
    expect(seen).not.toContain(KEY);
    expect(seen).not.toContain(SERVER_KEY);
  });

  it("the credentials, the resolved connection and the transport show header names only", () => {
    const connection = resolveConnection({ endpoint: "http://127.0.0.1:1", apiKey: KEY, headers: { "x-tenant": `tenant-${KEY}` } });
    const transport = new HttpTransport({ baseUrl: "http://127.0.0.1:1", credentials: connection.credentials });
    cleanups.push(() => transport.shutdown());
    const seen = everythingSeen([connection, connection.credentials, transport], [String(connection.credentials), `${connection.credentials}`]);
    expect(seen).not.toContain(KEY);
    expect(inspect(connection.credentials)).toBe("Credentials { headers: [x-tenant, authorization] }");
    expect(connection.credentials.redact(`echo: Bearer ${KEY}`)).toBe("echo: [redacted]");
  });
});

describe("header values are checked for CR/LF", () => {
  it.each([
    ["an API key with CRLF", { apiKey: `${KEY}\r\nX-Injected: 1` }],
    ["an API key with LF", { apiKey: `${KEY}\nX-Injected: 1` }],
    ["a header value with CR", { headers: { "x-tenant": `a\rb${KEY}` } }],
    ["a header name with a colon", { headers: { "x-a: b": "c" } }],
    ["a NUL in the key", { apiKey: `${KEY}\0` }],
  ])("%s is refused at construction, and the message does not repeat it", (_what, options) => {
    let error: unknown;
    try {
      new PhoenixSpanExporter({ endpoint: "http://127.0.0.1:1", ...options });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PhoenixConfigurationError);
    expect((error as Error).message).toMatch(/line break or NUL|must be/);
    expect((error as Error).message).not.toContain(KEY);
  });

  it("a clean key is sent as a bearer token", () => {
    expect(new Credentials(KEY, undefined, "option").toRequestHeaders()).toEqual({ authorization: `Bearer ${KEY}` });
  });
});

describe("a key over plain http:// to a host that is not loopback", () => {
  it("warns once per host, never for https, loopback or without a key, and never with the key", async () => {
    const build = (endpoint: string, apiKey?: string) => {
      const exporter = new PhoenixSpanExporter({ endpoint, ...(apiKey ? { apiKey } : {}) });
      cleanups.push(() => exporter.shutdown({ timeoutMillis: 0 }));
    };
    // Nothing is sent: building an exporter opens no connection.
    build("http://phoenix.internal.example:6006", KEY);
    build("http://phoenix.internal.example:6006", KEY);
    build("https://phoenix.secure.example", KEY);
    build("http://127.0.0.1:6006", KEY);
    build("http://localhost:6006", KEY);
    build("http://phoenix.nokey.example:6006");
    const warnings = log.at("warn").filter((l) => /plain http:\/\//.test(l));
    expect(warnings).toEqual([
      "phoenix-connector: an API key will be sent over plain http:// to phoenix.internal.example:6006; anyone on the network path can read it. Use https://.",
    ]);
    expect(log.lines.map((l) => l.message).join("\n")).not.toContain(KEY);
  });
});

describe("TLS is verified; a private CA is trusted only when given", () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
  let https: HttpsServer;
  let httpsUrl: string;

  /** An HTTPS front on 127.0.0.1 with a certificate of the test CA, passing requests to the Phoenix test server. */
  async function startTlsFront(): Promise<void> {
    server = await startPhoenixServer({ apiKey: KEY });
    https = createHttpsServer({ key: fixture("server.key"), cert: fixture("server.crt") }, (req, res) => {
      const upstream = httpRequest(`${server.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
    cleanups.push(() => {
      https.closeAllConnections();
      return new Promise((resolve) => https.close(resolve));
    });
  }

  it("without ca: refused, with one error that says to pass the CA; nothing reaches Phoenix", async () => {
    await startTlsFront();
    const exporter = new PhoenixSpanExporter({ endpoint: httpsUrl, apiKey: KEY, projectName: "tls" }, { clock: instantClock() });
    const result = exportOnce(exporter, manySpans(3));
    await log.next("warn", /TLS certificate not trusted/);
    await exporter.shutdown({ timeoutMillis: 100 });
    expect((await result).code).not.toBe(0);
    expect(server.spanRequests()).toHaveLength(0);
    expect(log.lines.map((l) => l.message).join("\n")).toMatch(/TLS certificate not trusted .*pass the CA with the ca option/);
    expect(everythingSeen([exporter])).not.toContain(KEY);
  });

  it("with the CA in the ca option: delivered over TLS", async () => {
    await startTlsFront();
    const exporter = new PhoenixSpanExporter({ endpoint: httpsUrl, apiKey: KEY, projectName: "tls", ca: fixture("ca.crt") }, { clock: instantClock() });
    const result = await exportOnce(exporter, manySpans(3));
    await exporter.shutdown();
    expect(result.code).toBe(0);
    expect(server.spans("tls")).toHaveLength(3);
    expect(server.spanRequests()[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("a CA that did not sign the certificate is refused too", async () => {
    await startTlsFront();
    const exporter = new PhoenixSpanExporter({ endpoint: httpsUrl, apiKey: KEY, projectName: "tls", ca: fixture("server.crt") }, { clock: instantClock() });
    const result = exportOnce(exporter, manySpans(1));
    await log.next("warn", /TLS certificate not trusted/);
    await exporter.shutdown({ timeoutMillis: 100 });
    expect((await result).code).not.toBe(0);
    expect(server.spanRequests()).toHaveLength(0);
  });
});
