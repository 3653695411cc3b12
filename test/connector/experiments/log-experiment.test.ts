import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PhoenixConnector, PhoenixInputError, type LogExperimentOptions } from "../../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { DatasetStore } from "../../servers/phoenix-datasets.js";
import { fakeClock, isolatePhoenixEnvironment } from "../support.js";

/**
 * logExperiment against the Phoenix test server (real sockets on
 * 127.0.0.1, every body validated against Phoenix 20.3's openapi.json).
 */
let server: PhoenixTestServer;
let connector: PhoenixConnector;

beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
  connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url, projectId: "experiments" });
});
afterEach(async () => {
  await connector.disconnect();
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

const EXAMPLES = [
  { input: { question: "Capital of France?" }, reference: "Paris" },
  { input: { question: "2 + 2?" }, reference: "4", metadata: { topic: "math" } },
  { input: { question: "Capital of Italy?" }, reference: "Rome" },
];

const base = (overrides: Partial<LogExperimentOptions> = {}): LogExperimentOptions => ({
  dataset: "qa",
  examples: EXAMPLES,
  predictions: ["Paris", "5", "Rome"],
  ...overrides,
});

const runsOf = (experimentId: string) => {
  const experiment = server.datasets.experiment(experimentId)!;
  return server.datasets.runs.filter((r) => r.experimentRowId === experiment.rowId);
};
const evaluationsOf = (runRowId: number) => server.datasets.evaluations.filter((e) => e.runRowId === runRowId);

describe("logExperiment", () => {
  it("creates the dataset once, an experiment, a run per prediction linked to the job's trace, and per-run accuracy", async () => {
    const jobId = await connector.submitJob({ jobName: "eval v1" });
    const result = await connector.logExperiment(base({ jobId, experimentName: "prompt v1" }));

    expect(server.datasets.datasets.map((d) => d.name)).toEqual(["qa"]);
    expect(result).toMatchObject({ datasetName: "qa", examplesAdded: 3, experimentName: "prompt v1", failures: [] });
    const examples = server.datasets.examplesAt(server.datasets.datasets[0]!.rowId, server.datasets.versions[0]!.rowId);
    expect(examples.map((e) => e.revision.input)).toEqual(EXAMPLES.map((e) => e.input));
    expect(examples.map((e) => e.revision.output)).toEqual([{ output: "Paris" }, { output: "4" }, { output: "Rome" }]);
    expect(examples[1]!.revision.metadata).toEqual({ topic: "math" });
    // Stable public ids from the content.
    expect(examples.map((e) => DatasetStore.exampleId(e.example))).toEqual(result.runs.map((r) => r.exampleId));
    for (const id of result.runs.map((r) => r.exampleId)) expect(id).toMatch(/^ex-[0-9a-f]{16}$/);

    const runs = runsOf(result.experimentId);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.output)).toEqual(["Paris", "5", "Rome"]);
    for (const run of runs) expect(run.trace_id).toBe(jobId);
    expect(runs.map((r) => evaluationsOf(r.rowId).map((e) => [e.name, e.result?.score]))).toEqual([[["accuracy", 1]], [["accuracy", 0]], [["accuracy", 1]]]);
    expect(result.scores.accuracy).toBeCloseTo(2 / 3);
    expect(server.datasets.experiment(result.experimentId)!.metadata).toEqual({ job_id: jobId });
    expect(result.url).toBe(`${server.url}/datasets/${encodeURIComponent(result.datasetId)}/compare?experimentId=${encodeURIComponent(result.experimentId)}`);
  });

  it("finds the same examples again on the next run: no new version, no duplicate examples, a second experiment", async () => {
    const first = await connector.logExperiment(base({ experimentName: "v1" }));
    // Key order and a different object identity do not make a new example.
    const reordered = EXAMPLES.map((e) => ({ reference: e.reference, ...(e.metadata ? { metadata: e.metadata } : {}), input: { ...e.input } }));
    const second = await connector.logExperiment(base({ examples: reordered, predictions: ["Paris", "4", "Rome"], experimentName: "v2" }));

    expect(second.datasetId).toBe(first.datasetId);
    expect(second.datasetVersionId).toBe(first.datasetVersionId);
    expect(second.examplesAdded).toBe(0);
    expect(server.datasets.examples).toHaveLength(3);
    expect(server.datasets.versions).toHaveLength(1);
    expect(second.experimentId).not.toBe(first.experimentId);
    expect(second.scores.accuracy).toBe(1);
    expect(server.requests.filter((r) => r.path === "/v1/datasets/upload")).toHaveLength(1);
  });

  it("refuses a dataset name that holds other examples, unless onNewExamples is append (a new version)", async () => {
    await connector.logExperiment(base());
    const more = [...EXAMPLES, { input: { question: "Capital of Spain?" }, reference: "Madrid" }];
    const refused = connector.logExperiment(base({ examples: more, predictions: ["Paris", "4", "Rome", "Madrid"] }));
    await expect(refused).rejects.toThrow(PhoenixInputError);
    await expect(refused).rejects.toThrow(/exists with other examples: 1 of these 4 are not in it.*onNewExamples: "append"/);
    expect(server.datasets.experiments).toHaveLength(1);

    const appended = await connector.logExperiment(base({ examples: more, predictions: ["Paris", "4", "Rome", "Madrid"], onNewExamples: "append" }));
    expect(appended.examplesAdded).toBe(1);
    expect(server.datasets.versions).toHaveLength(2);
    expect(server.datasets.examples).toHaveLength(4);
    expect(runsOf(appended.experimentId)).toHaveLength(4);

    // The same id with other content is refused either way.
    const changed = connector.logExperiment(base({ examples: [{ id: "q1", input: { q: 1 } }], predictions: ["x"], dataset: "ids" }));
    await expect(changed).resolves.toMatchObject({ examplesAdded: 1 });
    await expect(connector.logExperiment(base({ examples: [{ id: "q1", input: { q: 2 } }], predictions: ["x"], dataset: "ids", onNewExamples: "append" }))).rejects.toThrow(
      /already holds the example id "q1" with other content/,
    );
  });

  it("records repetitions, failed predictions as run errors, caller scores, label-list F1, evaluators and hallucination verdicts", async () => {
    const examples = [
      { input: { question: "Where is the Eiffel Tower?", context: "The Eiffel Tower is in Paris." }, reference: ["retrieve", "answer"] },
      { input: { question: "Where is Big Ben?", context: "Big Ben is in London." }, reference: ["retrieve", "answer"] },
    ];
    const result = await connector.logExperiment({
      dataset: "rag",
      examples,
      repetitions: 2,
      predictions: [
        [["retrieve", "answer"], ["retrieve", "calculate"]],
        [new Error("model timed out"), ["retrieve", "answer"]],
      ],
      scores: { relevance: [[1, 0.5], [null, 0.25]] },
      evaluators: {
        steps: ({ output }) => (Array.isArray(output) ? output.length : 0),
        boom: () => {
          throw new Error("evaluator bug");
        },
        nonsense: () => Number.NaN,
        judged: { annotatorKind: "LLM", evaluate: async () => ({ label: "good", score: 0.9, explanation: "fine" }) },
      },
      hallucination: { context: "context", query: "question" },
    });
    expect(result.failures).toEqual([]);
    const runs = runsOf(result.experimentId);
    expect(runs.map((r) => [DatasetStore.exampleId(server.datasets.examples.find((e) => e.rowId === r.exampleRowId)!), r.repetition_number, r.error])).toEqual([
      [result.runs[0]!.exampleId, 1, null],
      [result.runs[0]!.exampleId, 2, null],
      [result.runs[2]!.exampleId, 1, "Error: model timed out"],
      [result.runs[2]!.exampleId, 2, null],
    ]);
    expect(server.datasets.experiment(result.experimentId)!.repetitions).toBe(2);
    // A failed run is not evaluated.
    expect(evaluationsOf(runs[2]!.rowId)).toEqual([]);
    const byName = (run: number) => Object.fromEntries(evaluationsOf(runs[run]!.rowId).map((e) => [e.name, e]));
    const second = byName(1);
    expect(second.accuracy!.result!.score).toBe(0.5);
    expect(second.f1!.result!.score).toBeCloseTo(1 / 3);
    expect(second.relevance!.result!.score).toBe(0.5);
    expect(second.steps!.result!.score).toBe(2);
    expect(second.boom).toMatchObject({ result: null, error: "Error: evaluator bug" });
    expect(second.nonsense!.error).toMatch(/NaN, not a finite score/);
    expect(second.judged).toMatchObject({ annotator_kind: "LLM", result: { label: "good", score: 0.9, explanation: "fine" } });
    expect(second.hallucination!.result!.label).toMatch(/factual|hallucinated/);
    expect(second.hallucination!.metadata).toMatchObject({ detector: "grounding", threshold: 0.5 });
    expect(result.scores.relevance).toBeCloseTo((1 + 0.5 + 0.25) / 3);
    expect(result.runs[2]).toMatchObject({ error: "Error: model timed out", evaluations: [] });
  });

  it("gives typed errors with what to do, before anything is written", async () => {
    const cases: Array<[Partial<LogExperimentOptions>, RegExp]> = [
      [{ predictions: ["Paris"] }, /1 predictions but 3 examples \(and their references\)/],
      [{ examples: [{ reference: "x" } as never], predictions: ["x"] }, /examples\[0\] has no input/],
      [{ examples: [] }, /needs examples/],
      [{ dataset: "" }, /needs a dataset name/],
      [{ repetitions: 0 }, /repetitions must be an integer/],
      [{ repetitions: 2 }, /predictions\[0\] must be an array of 2 entries/],
      [{ scores: { accuracy: [1, 1, 1] } }, /"accuracy" is a score logExperiment computes itself/],
      [{ scores: { s: [1, Number.NaN, 1] } }, /scores\.s\[1\] must be a finite number/],
      [{ evaluators: { e: 3 as never } }, /evaluators\.e must be a function/],
      [{ jobId: "0".repeat(32) }, /Unknown job/],
      [{ onNewExamples: "merge" as never }, /onNewExamples/],
      [{ predictons: [] } as never, /did you mean predictions\?/],
      [{ evaluatorTimeoutMillis: 0 }, /evaluatorTimeoutMillis is a positive number/],
    ];
    for (const [overrides, message] of cases) {
      await expect(connector.logExperiment(base(overrides)), String(message)).rejects.toThrow(message);
    }
    expect(server.datasets.datasets).toEqual([]);
  });

  it("hostile values never throw: cyclic inputs, throwing getters in evaluator results, a throwing toString", async () => {
    const cyclic: Record<string, unknown> = { q: "loop" };
    cyclic.self = cyclic;
    const hostile = new Error("x");
    Object.defineProperty(hostile, "message", { get: () => { throw new Error("no"); } });
    const result = await connector.logExperiment({
      dataset: "hostile",
      examples: [{ input: cyclic, reference: 1n }, { input: "plain text" }],
      predictions: [hostile, { toString: () => { throw new Error("no"); } }],
      evaluators: {
        getter: () => ({ get score(): number { throw new Error("getter"); } }),
      },
    });
    expect(result.runs[0]!.error).toBe("Error");
    expect(result.runs[1]!.evaluations).toEqual([{ name: "getter", score: null, label: null, explanation: null, error: "Error: getter" }]);
    expect(result.failures).toEqual([]);

    // A proxy that throws on every trap, as a prediction, an evaluator's result and a thrown value.
    const trap = () => {
      throw new Error("trap");
    };
    const evil = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });
    const proxied = await connector.logExperiment({
      dataset: "hostile-proxy",
      examples: [{ input: { q: "x" }, reference: "x" }],
      predictions: [evil],
      evaluators: {
        returns: () => evil as never,
        throws: () => {
          throw evil;
        },
      },
    });
    expect(proxied.failures).toEqual([]);
    expect(proxied.runs[0]!.evaluations.map((e) => [e.name, e.score, e.error !== null])).toEqual([
      ["accuracy", 0, false],
      ["returns", null, true],
      ["throws", null, true],
    ]);
  });

  it("a hanging evaluator is recorded as an error past evaluatorTimeoutMillis, its signal aborted; the call ends", async () => {
    const seen: AbortSignal[] = [];
    const started = Date.now();
    const result = await connector.logExperiment(
      base({
        evaluatorTimeoutMillis: 50,
        evaluators: {
          hangs: ({ signal }) => {
            seen.push(signal);
            return new Promise<number>(() => undefined);
          },
          fine: () => 1,
        },
      }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(seen).toHaveLength(3);
    for (const signal of seen) expect(signal.aborted).toBe(true);
    for (const run of result.runs) {
      const hangs = run.evaluations.find((e) => e.name === "hangs")!;
      expect(hangs).toMatchObject({ score: null, error: expect.stringMatching(/did not answer within 50 ms/) });
      expect(run.evaluations.find((e) => e.name === "fine")!.score).toBe(1);
    }
    expect(result.failures).toEqual([]);
    // Phoenix keeps the timeout as the evaluation's error.
    const stored = server.datasets.evaluations.filter((e) => e.name === "hangs");
    expect(stored).toHaveLength(3);
    for (const e of stored) expect(e.error).toMatch(/did not answer within 50 ms/);
  });

  it("a run Phoenix refuses is listed in failures and the others are stored; a run whose answer was lost is found again (409)", async () => {
    let runPosts = 0;
    server.faults.push((request) => {
      if (request.method !== "POST" || !/^\/v1\/experiments\/[^/]+\/runs$/.test(request.path)) return undefined;
      runPosts++;
      if (runPosts === 1) return { kind: "respond", status: 422, body: { detail: "refused for the test" } };
      if (runPosts === 2) return { kind: "lose-response" };
      return undefined;
    });
    const retrying = new PhoenixConnector({ annotationDelayMillis: 0, clock: fakeClock() });
    await retrying.connect({ endpoint: server.url });
    try {
      const result = await retrying.logExperiment(base());
      expect(result.failures).toEqual([{ exampleId: expect.any(String), repetition: 1, what: "run", message: expect.stringContaining("refused for the test") }]);
      const failed = result.runs.filter((r) => r.runId === null);
      expect(failed.map((r) => r.exampleId)).toEqual([result.failures[0]!.exampleId]);
      expect(result.runs.filter((r) => r.runId !== null && r.evaluations.length === 1)).toHaveLength(2);
      // The retried run came back 409 and was found by (example, repetition).
      expect(server.requests.filter((r) => r.status === 409 && r.path.endsWith("/runs"))).toHaveLength(1);
      expect(runsOf(result.experimentId)).toHaveLength(2);
      expect(server.datasets.evaluations).toHaveLength(2);
    } finally {
      await retrying.disconnect();
    }
  });
});
