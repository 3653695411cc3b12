import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  PhoenixConnector,
  PhoenixExperimentNotFoundError,
  PhoenixInputError,
  formatExperimentComparison,
  type ExperimentComparison,
} from "../../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { isolatePhoenixEnvironment, temporaryDirectory } from "../support.js";

/** compareExperiments and getExperimentUrl, on the Phoenix test server and on the local store, with the same answer. */
let server: PhoenixTestServer;
let dir: { path: string; remove: () => void };
const open: PhoenixConnector[] = [];

beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
  dir = temporaryDirectory();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await server.close();
  dir.remove();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

async function connect(endpoint: string): Promise<PhoenixConnector> {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  open.push(connector);
  await connector.connect({ endpoint, projectId: "exp" });
  return connector;
}

const EXAMPLES = [
  { input: { question: "Capital of France?" }, reference: "Paris" },
  { input: { question: "2 + 2?" }, reference: "4" },
  { input: { question: "Capital of Italy?" }, reference: "Rome" },
];

async function twoExperiments(connector: PhoenixConnector) {
  const length = { length: ({ output }: { output: unknown }) => String(output).length };
  const a = await connector.logExperiment({ dataset: "qa", examples: EXAMPLES, predictions: ["Paris", "5", "Rome"], experimentName: "v1", evaluators: length });
  const b = await connector.logExperiment({ dataset: "qa", examples: EXAMPLES, predictions: ["Paris", "4", new Error("timeout")], experimentName: "v2", evaluators: length });
  return { a, b };
}

/** The comparison without what differs between back ends (ids, times, urls). */
function portable(c: ExperimentComparison) {
  return {
    datasetName: c.datasetName,
    experiments: c.experiments.map((e) => [e.name, e.successfulRuns, e.failedRuns, e.missingRuns]),
    examples: c.examples.map((e) => [e.input, e.reference, e.runs.map((r) => r && [r.output, r.error, r.evaluations])]),
    metrics: c.metrics.map((m) => [m.name, m.direction, m.values, m.deltas]),
    regressions: c.regressions.map((r) => [r.name, r.baseline, r.value]),
    improvements: c.improvements.map((r) => [r.name, r.baseline, r.value]),
  };
}

describe("compareExperiments", () => {
  it("sets experiments side by side per example, with scores, deltas against the baseline, regressions and improvements", async () => {
    const connector = await connect(server.url);
    const { a, b } = await twoExperiments(connector);
    const comparison = await connector.compareExperiments([a.experimentId, b.experimentId]);

    expect(comparison.datasetName).toBe("qa");
    expect(comparison.experiments.map((e) => [e.id, e.name, e.failedRuns])).toEqual([[a.experimentId, "v1", 0], [b.experimentId, "v2", 1]]);
    expect(comparison.examples.map((e) => e.runs.map((r) => r?.output ?? r?.error))).toEqual([["Paris", "Paris"], ["5", "4"], ["Rome", "Error: timeout"]]);
    const accuracy = comparison.metrics.find((m) => m.name === "accuracy")!;
    expect(accuracy.direction).toBe("higher");
    expect(accuracy.values[0]).toBeCloseTo(2 / 3);
    expect(accuracy.values[1]).toBe(1);
    expect(accuracy.deltas[1]).toBeCloseTo(1 / 3);
    expect(accuracy.best).toBe(b.experimentId);
    expect(comparison.metrics.find((m) => m.name === "run_errors")).toMatchObject({ direction: "lower", values: [0, 1], best: a.experimentId });
    expect(comparison.regressions).toEqual([{ exampleId: a.runs[2]!.exampleId, experimentId: b.experimentId, name: "run_errors", baseline: 0, value: 1, delta: null }]);
    expect(comparison.improvements).toEqual([{ exampleId: a.runs[1]!.exampleId, experimentId: b.experimentId, name: "accuracy", baseline: 0, value: 1, delta: 1 }]);
    expect(comparison.url).toBe(
      `${server.url}/datasets/${encodeURIComponent(a.datasetId)}/compare?experimentId=${encodeURIComponent(a.experimentId)}&experimentId=${encodeURIComponent(b.experimentId)}`,
    );
    expect(await connector.getExperimentUrl([a.experimentId, b.experimentId])).toBe(comparison.url);
    expect(await connector.getExperimentUrl(a.experimentId)).toBe(a.url);

    const text = formatExperimentComparison(comparison);
    expect(text).toMatch(/^Experiments \(2 compared on dataset "qa"; A is the baseline\)$/m);
    expect(text).toMatch(/^ {2}accuracy ↑ +0\.6667 +1 \* \(\+0\.3333, \+50%\)$/m);
    expect(text).toMatch(/^ {2}run_errors ↓ +0 \* +1 \(\+1\)$/m);
    expect(text).toMatch(/^Regressions \(1: examples whose result fell against A\)$/m);
    expect(text).toMatch(/^ {2}B +ex-[0-9a-f]{16} +Capital of Italy\? +run_errors +0 +1$/m);
    expect(text).toMatch(/^ {2}ex-[0-9a-f]{16} +2 \+ 2\? +4 +5 · accuracy=0, length=1 +4 · accuracy=1, length=1$/m);
    expect(text).toContain("ERROR Error: timeout");
    expect(text).toContain(`Compare in Phoenix: ${comparison.url}`);
    const markdown = formatExperimentComparison(comparison, { style: "markdown" });
    expect(markdown).toContain("| accuracy ↑ | 0.6667 | 1 * (+0.3333, +50%) |");
  });

  it("answers the same from the local store as from Phoenix", async () => {
    const online = await connect(server.url);
    const offline = await connect(`file://${dir.path}`);
    const [onServer, local] = await Promise.all([online, offline].map(async (c) => {
      const { a, b } = await twoExperiments(c);
      return c.compareExperiments([a.experimentId, b.experimentId]);
    }));
    expect(portable(local!)).toEqual(portable(onServer!));
    expect(local!.url).toMatch(/^file:\/\/.*experiments\.jsonl#dataset_id=.*&experiment_id=.*&experiment_id=/);
  });

  it("unknown ids, an empty list and experiments of different datasets are typed errors", async () => {
    const connector = await connect(server.url);
    const { a } = await twoExperiments(connector);
    const other = await connector.logExperiment({ dataset: "other", examples: [{ input: { q: 1 } }], predictions: ["x"] });
    const unknown = Buffer.from("Experiment:999").toString("base64");
    await expect(connector.compareExperiments([a.experimentId, unknown])).rejects.toThrow(PhoenixExperimentNotFoundError);
    await expect(connector.compareExperiments([a.experimentId, unknown])).rejects.toThrow(new RegExp(`has no experiment "${unknown}"`));
    await expect(connector.compareExperiments(["not-an-id"])).rejects.toThrow(PhoenixExperimentNotFoundError);
    await expect(connector.compareExperiments([])).rejects.toThrow(PhoenixInputError);
    await expect(connector.compareExperiments([a.experimentId, other.experimentId])).rejects.toThrow(/2 different datasets/);
    await expect(connector.getExperimentUrl(unknown)).rejects.toThrow(PhoenixExperimentNotFoundError);
  });
});
