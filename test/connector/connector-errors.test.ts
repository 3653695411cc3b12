import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  PhoenixAuthenticationError,
  PhoenixConfigurationError,
  PhoenixConnectionError,
  PhoenixConnector,
  PhoenixInputError,
  PhoenixResponseError,
  PhoenixSpanExporter,
  PhoenixSpanProcessor,
  SPAN_TYPES,
} from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { fakeClock, isolatePhoenixEnvironment } from "./support.js";

const API_KEY = "sk-test-0123456789abcdef";
const VIEWER_KEY = "sk-viewer-fedcba9876543210";

let server: PhoenixTestServer;
const open: PhoenixConnector[] = [];
beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer({ apiKey: API_KEY, viewerKeys: [VIEWER_KEY] });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

function connector(options: ConstructorParameters<typeof PhoenixConnector>[0] = {}): PhoenixConnector {
  const c = new PhoenixConnector({ annotationDelayMillis: 0, ...options });
  open.push(c);
  return c;
}

async function connected(): Promise<{ c: PhoenixConnector; jobId: string }> {
  const c = connector();
  await c.connect({ endpoint: server.url, apiKey: API_KEY });
  return { c, jobId: await c.submitJob({}) };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("connect errors", () => {
  it("a wrong API key is a PhoenixAuthenticationError (401) that says what to check and never contains the key", async () => {
    const wrong = "sk-wrong-key-that-must-not-leak";
    const error = await rejection(connector().connect({ endpoint: server.url, apiKey: wrong }));
    expect(error).toBeInstanceOf(PhoenixAuthenticationError);
    expect(error).toMatchObject({ code: "PHOENIX_AUTHENTICATION", statusCode: 401 });
    expect(error.message).toMatch(/PHOENIX_API_KEY/);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(wrong);
    // 401 is not retried: one request.
    expect(server.requests.filter((r) => r.path === "/v1/projects")).toHaveLength(1);
  });

  it("a missing key (from PHOENIX_API_KEY too) is 401; the variable is used when the option is absent", async () => {
    expect(await rejection(connector().connect({ endpoint: server.url }))).toBeInstanceOf(PhoenixAuthenticationError);
    vi.stubEnv("PHOENIX_API_KEY", API_KEY);
    await connector().connect({ endpoint: server.url });
  });

  it("a key that may read but not write is a 403 PhoenixAuthenticationError when the project must be created", async () => {
    const error = await rejection(connector().connect({ endpoint: server.url, apiKey: VIEWER_KEY, projectId: "new-project" }));
    expect(error).toBeInstanceOf(PhoenixAuthenticationError);
    expect(error).toMatchObject({ statusCode: 403 });
    expect(error.message).toMatch(/write access/);
    expect(error.message).not.toContain(VIEWER_KEY);
  });

  it("an unreachable server is a PhoenixConnectionError after a bounded number of retries (injected clock)", async () => {
    const gone = await startPhoenixServer();
    const url = gone.url;
    await gone.close();
    const clock = fakeClock();
    const error = await rejection(connector({ clock }).connect({ endpoint: url, apiKey: API_KEY }));
    expect(error).toBeInstanceOf(PhoenixConnectionError);
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/PHOENIX_COLLECTOR_ENDPOINT/);
    expect(error.message).not.toContain(API_KEY);
    // 4 attempts: 3 backoffs, each within the full-jitter ceiling, all within the 10 s budget.
    expect(clock.sleeps).toHaveLength(3);
    expect(clock.elapsed()).toBeLessThan(10_000);
  });

  it("a server that keeps answering 503 is a PhoenixResponseError after the bounded retries", async () => {
    server.faults.push(() => ({ kind: "respond", status: 503, body: "Server is busy" }));
    const clock = fakeClock();
    const error = await rejection(connector({ clock }).connect({ endpoint: server.url, apiKey: API_KEY }));
    expect(error).toBeInstanceOf(PhoenixResponseError);
    expect(error.message).toMatch(/503.*Server is busy/);
    expect(server.requests).toHaveLength(4);
  });

  it("an answer that is not Phoenix's shape is a PhoenixResponseError naming the field", async () => {
    server.faults.push((r) => (r.path === "/v1/projects" ? { kind: "respond", status: 200, body: { projects: [] } } : undefined));
    const error = await rejection(connector().connect({ endpoint: server.url, apiKey: API_KEY }));
    expect(error).toBeInstanceOf(PhoenixResponseError);
    expect(error.message).toMatch(/GET \/v1\/projects.*data is not an array/);
  });

  it("bad options throw PhoenixConfigurationError: an unknown global id, a bad name, a bad endpoint", async () => {
    const unknownId = Buffer.from("Project:999").toString("base64");
    expect(await rejection(connector().connect({ endpoint: server.url, apiKey: API_KEY, projectId: unknownId }))).toBeInstanceOf(
      PhoenixConfigurationError,
    );
    expect(await rejection(connector().connect({ endpoint: server.url, apiKey: API_KEY, projectId: "a/b" }))).toBeInstanceOf(
      PhoenixConfigurationError,
    );
    expect(await rejection(connector().connect({ endpoint: "ftp://phoenix" }))).toBeInstanceOf(PhoenixConfigurationError);
    expect(() => new PhoenixConnector({ annotationTimeoutMillis: -1 })).toThrow(PhoenixConfigurationError);
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    expect(() => new PhoenixConnector({ exporter, spanProcessor: new PhoenixSpanProcessor({ exporter }) })).toThrow(/not both/);
    await exporter.shutdown();
  });

  it("calls before connect and a second connect are clear errors", async () => {
    const c = connector();
    await expect(c.submitJob({})).rejects.toThrow(/connect\(\) first/);
    await c.connect({ endpoint: server.url, apiKey: API_KEY });
    await expect(c.connect({ endpoint: server.url, apiKey: API_KEY })).rejects.toThrow(/already connected/);
  });
});

describe("bad input gets a clear error and loses nothing else", () => {
  it("an unknown spanType lists the valid ones", async () => {
    const { c, jobId } = await connected();
    const error = await rejection(c.logSpan({ jobId, name: "x", spanType: "llama" }));
    expect(error).toBeInstanceOf(PhoenixInputError);
    for (const type of SPAN_TYPES) expect(error.message).toContain(type);
    expect(await c.logSpan({ jobId, name: "x", spanType: " LLM " })).toMatch(/^[0-9a-f]{16}$/);
  });

  it("evaluation input: mismatched lengths, empty lists, non-finite scores", async () => {
    const { c, jobId } = await connected();
    await expect(c.logEvaluation({ jobId, evalName: "e", predictions: ["a", "b"], references: ["a"] })).rejects.toThrow(
      /2 predictions but 1 references/,
    );
    await expect(c.logEvaluation({ jobId, evalName: "e", predictions: [], references: [] })).rejects.toThrow(/empty/);
    await expect(c.logEvaluation({ jobId, evalName: "e", predictions: ["a"], references: ["a"], scores: { f1: Number.NaN } })).rejects.toThrow(
      /finite number.*"f1" = NaN/,
    );
    await expect(
      c.logEvaluation({ jobId, evalName: "e", predictions: ["a"], references: ["a"], scores: { bleu: Number.POSITIVE_INFINITY } }),
    ).rejects.toBeInstanceOf(PhoenixInputError);
    await expect(c.logEvaluation({ jobId, evalName: "", predictions: ["a"], references: ["a"] })).rejects.toThrow(/evalName/);
    const good = await c.logEvaluation({ jobId, evalName: "ok", predictions: ["a"], references: ["a"] });
    await c.completeJob(jobId);
    // The failed calls logged nothing; the good one and the job arrived.
    expect(server.spans().map((s) => s.name).sort()).toEqual(["job", "ok"]);
    expect(good.scores.accuracy).toBe(1);
  });

  it("metrics, names, parents, times, status and config are checked", async () => {
    const { c, jobId } = await connected();
    await expect(c.logMetrics({ jobId, metrics: { loss: Number.NaN } })).rejects.toThrow(/"loss" = NaN/);
    await expect(c.logMetrics({ jobId, metrics: {} })).rejects.toThrow(/empty/);
    await expect(c.logMetrics({ jobId, metrics: { loss: 1 }, step: -1 })).rejects.toThrow(/step/);
    await expect(c.logSpan({ jobId, name: "", spanType: "llm" })).rejects.toThrow(/name/);
    await expect(c.logSpan({ jobId, name: "x", spanType: "llm", parentSpanId: "nope" })).rejects.toThrow(/parentSpanId/);
    await expect(c.logSpan({ jobId, name: "x", spanType: "llm", startTime: "2026-01-01T00:00:00" })).rejects.toThrow(/zone/);
    await expect(
      c.logSpan({ jobId, name: "x", spanType: "llm", startTime: new Date(2000), endTime: new Date(1000) }),
    ).rejects.toThrow(/before startTime/);
    await expect(c.logSpan({ jobId, name: "x", spanType: "llm", status: "fine" as never })).rejects.toThrow(/status must be/);
    await expect(c.logSpan({ jobId: "f".repeat(32), name: "x", spanType: "llm" })).rejects.toThrow(/Unknown job/);
    await expect(c.submitJob({ rank: 1.5, dropout: 2 })).rejects.toThrow(/rank must be a positive integer.*dropout must be a number from 0 to 1/);
    await expect(c.submitJob(null as never)).rejects.toThrow(/config object/);
    await expect(c.completeJob(jobId, { status: "done" as never })).rejects.toThrow(/succeeded, failed, cancelled/);
    await expect(c.logAnnotation({ target: "span", id: "xyz", name: "n", score: 1 })).rejects.toThrow(/16 lowercase hex/);
    await expect(c.logAnnotation({ target: "trace", id: jobId, name: "n" })).rejects.toThrow(/score, a label or an explanation/);
    expect(() => c.getTraceUrl("not-a-trace")).toThrow(PhoenixInputError);
    await c.completeJob(jobId);
    expect(server.spans().map((s) => s.name)).toEqual(["job"]);
  });

  it("hostile input values never throw: throwing getters, cycles, BigInt", async () => {
    const { c, jobId } = await connected();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const throwing = {
      get prompt(): string {
        throw new Error("boom");
      },
    };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    await c.logSpan({ jobId, name: "cyclic", spanType: "llm", inputData: cyclic, outputData: { n: 10n } });
    await c.logSpan({ jobId, name: "throwing", spanType: "llm", inputData: throwing, metadata: { big: 1n } });
    await c.logSpan({ jobId, name: "revoked", spanType: "retriever", outputData: revoked.proxy });
    await c.submitJob({ extra: cyclic, get broken(): string {
      throw new Error("getter");
    } });
    await c.completeJob(jobId);
    expect(JSON.parse(server.spans().find((s) => s.name === "cyclic")!.attributes["input.value"] as string)).toEqual({ a: 1, self: "[circular]" });
    expect(server.spans().find((s) => s.name === "cyclic")!.attributes["output.value"]).toBe('{"n":"10"}');
    expect(server.spans().map((s) => s.name).sort()).toEqual(["cyclic", "job", "revoked", "throwing"]);
  });
});
