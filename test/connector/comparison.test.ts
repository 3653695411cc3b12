import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  PhoenixConnector,
  PhoenixInputError,
  PhoenixTraceNotFoundError,
  compareTraceData,
  formatComparison,
  type MetricSummary,
  type PhoenixSpan,
  type TraceComparison,
} from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { ABSENT_TRACE, SPAN_IDS, TRACE_A, TRACE_B, TRACE_C, seedThreeTraces } from "../cli/fixtures/three-traces.js";
import { isolatePhoenixEnvironment, temporaryDirectory } from "./support.js";

let server: PhoenixTestServer;
const open: PhoenixConnector[] = [];

beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

async function connect(endpoint: string, projectId = "elsewhere"): Promise<PhoenixConnector> {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  open.push(connector);
  await connector.connect({ endpoint, projectId });
  return connector;
}

const metric = (comparison: TraceComparison, name: string, source: MetricSummary["source"] = "trace") =>
  comparison.summary.find((m) => m.metric === name && m.source === source);

/** The numbers test/cli/fixtures/three-traces.ts was built with. */
function expectTheKnownNumbers(comparison: TraceComparison, project: string): void {
  expect(comparison.missing).toEqual([ABSENT_TRACE]);
  expect(comparison.warnings).toEqual([]);
  const [a, b, c] = comparison.traces;
  expect(a).toEqual({
    traceId: TRACE_A,
    project,
    rootName: "job",
    rootSpanId: SPAN_IDS.A.root,
    status: "OK",
    startTime: expect.stringMatching(/^2026-01-01T12:00:00(\.0+)?(Z|\+00:00)$/),
    latencyMs: 1000,
    spanCount: 4,
    spanKinds: { CHAIN: 1, RETRIEVER: 2, LLM: 1 },
    tokens: { prompt: 100, completion: 20, total: 120 },
    cost: { prompt: 0.008, completion: 0.002, total: 0.01 },
    errorCount: 0,
    models: ["gpt-4o"],
  });
  expect(b).toMatchObject({ rootName: "job v2", latencyMs: 800, spanCount: 4, spanKinds: { CHAIN: 1, RETRIEVER: 1, LLM: 1, TOOL: 1 } });
  expect(b!.tokens).toEqual({ prompt: 80, completion: 30, total: 110 });
  expect(b!.cost).toEqual({ prompt: null, completion: null, total: 0.004 });
  expect(b!.models).toEqual(["gpt-4o-mini"]);
  // C gives no total: prompt + completion. No cost anywhere: null.
  expect(c).toMatchObject({ status: "ERROR", latencyMs: 1500, spanCount: 5, errorCount: 2, tokens: { prompt: 150, completion: 50, total: 200 }, cost: null });

  // Steps aligned by path: the roots line up despite their names; repeated siblings are numbered; one-trace steps stay.
  expect(comparison.spans.map((s) => [s.path.join(" / "), s.traces.map((m) => m?.latencyMs ?? null)])).toEqual([
    ["job", [1000, 800, 1500]],
    ["job / retrieve", [200, 100, 300]],
    ["job / llm", [500, 500, 1000]],
    ["job / llm / guard", [null, null, 100]],
    ["job / retrieve[2]", [100, null, 50]],
    ["job / tool", [null, 50, null]],
  ]);
  const llm = comparison.spans[2]!;
  expect(llm.traces.map((m) => m?.tokens?.total)).toEqual([120, 110, 200]);
  expect(llm.traces.map((m) => m?.status)).toEqual(["OK", "OK", "ERROR"]);
  expect(comparison.spans.map((s) => s.presentIn)).toEqual([3, 3, 3, 1, 2, 1]);

  // Evaluations: trace annotations (the last step of a metric logged per step), then span annotations.
  expect(comparison.evaluations.map((e) => [e.target, e.name, e.traces.map((cell) => cell?.score ?? null)])).toEqual([
    ["trace", "accuracy", [0.8, 0.9, 0.6]],
    ["trace", "loss", [0.3, 0.2, 0.6]],
    ["span", "hallucination", [0, 1, null]],
  ]);
  const loss = comparison.evaluations[1]!.traces[0]!;
  expect(loss.count).toBe(2);
  expect(loss.mean).toBeCloseTo(0.4);
  expect(comparison.evaluations[2]!.traces.map((cell) => cell?.label ?? null)).toEqual(["factual", "hallucinated", null]);

  // Summary: the best per metric (lower-is-better where it should be) and deltas against A.
  expect(metric(comparison, "latency_ms")).toMatchObject({ direction: "lower", values: [1000, 800, 1500], best: TRACE_B, deltas: [0, -200, 500] });
  expect(metric(comparison, "latency_ms")!.relativeDeltas).toEqual([0, -0.2, 0.5]);
  expect(metric(comparison, "tokens.total")).toMatchObject({ best: TRACE_B, deltas: [0, -10, 80] });
  expect(metric(comparison, "cost.total")).toMatchObject({ best: TRACE_B, values: [0.01, 0.004, null] });
  expect(metric(comparison, "cost.total")!.deltas[1]).toBeCloseTo(-0.006);
  expect(metric(comparison, "cost.total")!.deltas[2]).toBeNull();
  expect(metric(comparison, "errors")).toMatchObject({ best: TRACE_A, values: [0, 0, 2] });
  expect(metric(comparison, "spans")).toMatchObject({ direction: "none", best: null, deltas: [0, 0, 1] });
  expect(metric(comparison, "accuracy", "trace_annotation")).toMatchObject({ direction: "higher", best: TRACE_B });
  expect(metric(comparison, "loss", "trace_annotation")).toMatchObject({ direction: "lower", best: TRACE_B });
  expect(metric(comparison, "loss", "trace_annotation")!.deltas[1]).toBeCloseTo(-0.1);
  expect(metric(comparison, "hallucination", "span_annotation")).toMatchObject({ direction: "lower", best: TRACE_A, values: [0, 1, null] });
}

describe("compareTraces", () => {
  it("compares three traces read from Phoenix: totals, aligned steps, evaluations, best and deltas", async () => {
    await seedThreeTraces(server.url, "runs");
    const connector = await connect(server.url);
    const comparison = await connector.compareTraces([TRACE_A, TRACE_B, TRACE_C, ABSENT_TRACE], { projectId: "runs" });
    expectTheKnownNumbers(comparison, "runs");
    // Read with cursor pages of up to 1000 spans, one trace id per query.
    const reads = server.requests.filter((r) => r.method === "GET" && r.path === "/v1/projects/runs/spans");
    expect(reads.map((r) => new URL(r.url, server.url).searchParams.get("limit"))).toEqual(["1000", "1000", "1000", "1000"]);
  });

  it("gives the same numbers from the local store", async () => {
    const dir = temporaryDirectory();
    try {
      const endpoint = `file://${dir.path}`;
      await seedThreeTraces(endpoint, "runs");
      const connector = await connect(endpoint);
      expectTheKnownNumbers(await connector.compareTraces([TRACE_A, TRACE_B, TRACE_C, ABSENT_TRACE], { projectId: "runs" }), "runs");
    } finally {
      dir.remove();
    }
  });

  it("reads a job of this connector from the job's project, right after completeJob", async () => {
    const connector = await connect(server.url, "connected");
    const jobs: string[] = [];
    for (const [i, tokens] of [[0, 10], [1, 30]] as const) {
      const jobId = await connector.submitJob({ jobName: `run ${i}`, projectName: "jobs" });
      await connector.logSpan({ jobId, name: "generate", spanType: "llm", outputData: { response: "ok", usage: { prompt_tokens: tokens, completion_tokens: 2 } } });
      await connector.logEvaluation({ jobId, evalName: "exact", predictions: ["a", "b"], references: ["a", i === 0 ? "x" : "b"] });
      await connector.completeJob(jobId);
      jobs.push(jobId);
    }
    const comparison = await connector.compareTraces(jobs);
    expect(comparison.traces.map((t) => [t.project, t.rootName, t.tokens.total])).toEqual([
      ["jobs", "run 0", 12],
      ["jobs", "run 1", 32],
    ]);
    expect(comparison.spans.map((s) => s.path.join(" / "))).toEqual(["run 0", "run 0 / generate", "run 0 / exact"]);
    expect(comparison.evaluations.find((e) => e.name === "exact.accuracy")!.traces.map((c) => c?.score)).toEqual([0.5, 1]);
    expect(metric(comparison, "exact.accuracy", "trace_annotation")!.best).toBe(jobs[1]);
  });

  it("waits, when asked, for a trace Phoenix is still storing; without the wait it is not found", async () => {
    await server.close();
    server = await startPhoenixServer({ ingestDelayMillis: 150 });
    const connector = await connect(server.url);
    const seeding = seedThreeTraces(server.url, "runs");
    await server.waitForSpans(0);
    // The spans are acknowledged (202) but not readable for 150 ms.
    await vi.waitFor(() => expect(server.spanRequests().length).toBeGreaterThan(0));
    await expect(connector.compareTraces([TRACE_A], { projectId: "runs" })).rejects.toBeInstanceOf(PhoenixTraceNotFoundError);
    const comparison = await connector.compareTraces([TRACE_A, TRACE_B], { projectId: "runs", wait: { timeoutMillis: 5_000, settleMillis: 20 } });
    expect(comparison.traces.map((t) => t.spanCount)).toEqual([4, 4]);
    await seeding;
  });

  it("reports missing ids, throws a typed error when none is found, and refuses malformed ids", async () => {
    const connector = await connect(server.url);
    const error = await connector.compareTraces([ABSENT_TRACE], { projectId: "runs" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoenixTraceNotFoundError);
    expect((error as PhoenixTraceNotFoundError).code).toBe("PHOENIX_TRACE_NOT_FOUND");
    expect((error as Error).message).toMatch(/project "runs".*projectId option, --project or PHOENIX_PROJECT/);
    await expect(connector.compareTraces([])).rejects.toBeInstanceOf(PhoenixInputError);
    await expect(connector.compareTraces(["not-a-trace-id"])).rejects.toThrow(/32 lowercase hex/);
  });
});

describe("compareTraceData (pure)", () => {
  const span = (id: string, name: string, parent: string | null, startMs: number, endMs: number): PhoenixSpan => ({
    name,
    context: { trace_id: "e".repeat(32), span_id: id },
    span_kind: "CHAIN",
    parent_id: parent,
    start_time: new Date(Date.UTC(2026, 0, 1) + startMs).toISOString(),
    end_time: new Date(Date.UTC(2026, 0, 1) + endMs).toISOString(),
    status_code: "UNSET",
    status_message: "",
    attributes: {},
    events: [],
  });

  it("warns about a trace without its root span, and treats a span whose parent is missing as a root", () => {
    const comparison = compareTraceData([
      { traceId: "e".repeat(32), project: "p", spans: [span("e000000000000002", "orphan", "e000000000000001", 10, 20)], traceAnnotations: [], spanAnnotations: [] },
    ]);
    expect(comparison.traces[0]).toMatchObject({ rootName: null, status: null, latencyMs: 10 });
    expect(comparison.spans.map((s) => s.path)).toEqual([["orphan"]]);
    expect(comparison.warnings[0]).toMatch(/has no root span.*wait option/);
  });

  it("survives a parent cycle and a deep chain without recursion", () => {
    const deep: PhoenixSpan[] = [span("f000000000000000", "root", null, 0, 100_000)];
    for (let i = 1; i <= 5_000; i++) deep.push(span(`f${i.toString(16).padStart(15, "0")}`, "step", deep[i - 1]!.context.span_id, i, i + 1));
    const cycle = [span("1000000000000001", "x", "1000000000000002", 0, 1), span("1000000000000002", "y", "1000000000000001", 1, 2)];
    const comparison = compareTraceData([
      { traceId: "f".repeat(32), project: "p", spans: deep, traceAnnotations: [], spanAnnotations: [] },
      { traceId: "1".repeat(32), project: "p", spans: cycle, traceAnnotations: [], spanAnnotations: [] },
    ]);
    const first = comparison.spans.filter((s) => s.traces[0] !== null);
    expect(first).toHaveLength(5_001);
    expect(Math.max(...first.map((s) => s.depth))).toBe(5_000);
    expect(comparison.traces[1]!.spanCount).toBe(2);
    expect(comparison.spans.filter((s) => s.traces[1] !== null).map((s) => s.path.join("/"))).toEqual(["x", "x/y"]);
  });

  it("ranks with the caller's metric directions", () => {
    const trace = (id: string, score: number) => ({
      traceId: id,
      project: "p",
      spans: [{ ...span("1000000000000001", "root", null, 0, 1), context: { trace_id: id, span_id: `${id.slice(0, 15)}1` } }],
      traceAnnotations: [{ id: "x", created_at: "", updated_at: "", source: "API" as const, user_id: null, name: "distance_to_goal", annotator_kind: "CODE" as const, result: { score }, metadata: {}, identifier: "", trace_id: id }],
      spanAnnotations: [],
    });
    const data = [trace("1".repeat(32), 3), trace("2".repeat(32), 5)];
    expect(compareTraceData(data).summary.find((m) => m.metric === "distance_to_goal")!.best).toBe("1".repeat(32));
    expect(compareTraceData(data, { metricDirections: { distance_to_goal: "higher" } }).summary.find((m) => m.metric === "distance_to_goal")!.best).toBe("2".repeat(32));
  });
});

describe("formatComparison", () => {
  it("renders the three traces as a table and as Markdown", async () => {
    await seedThreeTraces(server.url, "runs");
    const connector = await connect(server.url);
    const comparison = await connector.compareTraces([TRACE_A, TRACE_B, TRACE_C], { projectId: "runs" });
    const text = formatComparison(comparison);
    expect(text).toMatch(/^ {2}A {2}a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1 {2}job {5}OK/m);
    expect(text).toMatch(/latency_ms ↓ +1000 +800 \* \(-200, -20%\) +1500 \(\+500, \+50%\)/);
    expect(text).toMatch(/hallucination \(spans\) ↓ +factual 0 \* +hallucinated 1 \(\+1\) +—/);
    expect(text).toMatch(/^ {6}guard +— +— +100$/m);
    const markdown = formatComparison(comparison, { style: "markdown" });
    expect(markdown).toContain("| metric | A | B | C |");
    expect(markdown).toContain("| latency_ms ↓ | 1000 | 800 * (-200, -20%) | 1500 (+500, +50%) |");
    expect(markdown).toContain("| &emsp;&emsp;guard | — | — | 100 |");
  });
});
