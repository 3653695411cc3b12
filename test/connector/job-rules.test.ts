import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PhoenixConnector, PhoenixInputError, PhoenixSpanExporter, PhoenixSpanProcessor, readAllPages } from "../../src/index.js";
import { runCli } from "../cli/run-cli.js";
import { isolatePhoenixEnvironment, temporaryDirectory } from "./support.js";

/** Issue 15 (b): a parent the job never produced, and any call on a completed job, are refused saying what to do. */
let dir: { path: string; remove: () => void };
let connector: PhoenixConnector;
beforeEach(async () => {
  isolatePhoenixEnvironment();
  dir = temporaryDirectory();
  connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint: `file://${dir.path}`, projectId: "rules" });
});
afterEach(async () => {
  await connector.disconnect();
  vi.unstubAllEnvs();
  dir.remove();
});

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

const EIFFEL = { context: "The Eiffel Tower is located in Paris, France.", response: "The Eiffel Tower is located in London, England." };

describe("parents must be spans of the job", () => {
  it("logSpan, logMetrics, logEvaluation and jobContext refuse a well-formed span id the job never produced", async () => {
    const jobId = await connector.submitJob({});
    const other = await connector.submitJob({});
    const foreign = await connector.logSpan({ jobId: other, name: "elsewhere", spanType: "chain" });
    for (const parentSpanId of ["0123456789abcdef", foreign]) {
      const error = await rejection(connector.logSpan({ jobId, name: "x", spanType: "llm", parentSpanId }));
      expect(error).toBeInstanceOf(PhoenixInputError);
      expect(error.message).toBe(
        `parentSpanId ${parentSpanId} is not a span of job ${jobId}: pass an id that logSpan, logMetrics, logEvaluation or ` +
          `detectHallucination returned for this job, or leave parentSpanId out to use the job's root span.`,
      );
      await expect(connector.logMetrics({ jobId, metrics: { loss: 1 }, parentSpanId })).rejects.toThrow(/is not a span of job/);
      await expect(
        connector.logEvaluation({ jobId, evalName: "qa", predictions: ["a"], references: ["a"], parentSpanId }),
      ).rejects.toThrow(/is not a span of job/);
      await expect(connector.detectHallucination({ jobId, ...EIFFEL, parentSpanId })).rejects.toThrow(/is not a span of job/);
      expect(() => connector.jobContext(jobId, parentSpanId)).toThrow(/spanId .* is not a span of job/);
    }
    // Nothing was logged by the refused calls: the job holds its root only, the other job its root and span.
    await connector.completeJob(jobId);
    await connector.completeJob(other);
    const spans = await readAllPages((cursor) => connector.backend.readSpans("rules", cursor ? { cursor } : {}));
    expect(spans.filter((s) => s.context.trace_id === jobId).map((s) => s.name)).toEqual(["job"]);
  });

  it("takes the job's own spans as parents, the metrics and evaluation spans included", async () => {
    const jobId = await connector.submitJob({});
    const metrics = await connector.logMetrics({ jobId, metrics: { loss: 1 } });
    const evaluation = await connector.logEvaluation({ jobId, evalName: "qa", predictions: ["a"], references: ["a"], parentSpanId: metrics });
    const child = await connector.logSpan({ jobId, name: "child", spanType: "tool", parentSpanId: evaluation.spanId });
    expect(connector.jobContext(jobId, child)).toBeDefined();
    await connector.completeJob(jobId);
    const spans = await readAllPages((cursor) => connector.backend.readSpans("rules", { traceIds: [jobId], ...(cursor ? { cursor } : {}) }));
    expect(spans.find((s) => s.name === "child")!.parent_id).toBe(evaluation.spanId);
  });
});

describe("a completed job takes no more calls", () => {
  it("logSpan, logMetrics, logEvaluation, detectHallucination and jobContext are a PhoenixInputError saying what to do", async () => {
    const jobId = await connector.submitJob({});
    const spanId = await connector.logSpan({ jobId, name: "answer", spanType: "llm" });
    await connector.completeJob(jobId);
    const expected =
      `Job ${jobId} is already completed: it takes no more spans. Log into a job that is still open (submitJob opens a new one); ` +
      `to judge the finished trace, use logAnnotation({ target: "trace", id: "${jobId}", … }).`;
    const calls: Array<() => unknown> = [
      () => connector.logSpan({ jobId, name: "late", spanType: "llm" }),
      () => connector.logMetrics({ jobId, metrics: { loss: 1 } }),
      () => connector.logEvaluation({ jobId, evalName: "qa", predictions: ["a"], references: ["a"] }),
      () => connector.detectHallucination({ jobId, ...EIFFEL }),
      () => connector.jobContext(jobId),
      () => connector.jobContext(jobId, spanId),
    ];
    for (const call of calls) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(PhoenixInputError);
      expect(error.message).toBe(expected);
    }
    await expect(connector.completeJob(jobId)).rejects.toThrow(/already completed/);
    // What still makes sense on a finished job works: its URL, annotating it, reading it back.
    expect(connector.getTraceUrl(jobId)).toContain(jobId);
    await connector.logAnnotation({ target: "trace", id: jobId, name: "review", label: "good" });
    await connector.logAnnotation({ target: "span", id: spanId, name: "thumbs", label: "up" });
    expect(await connector.flush()).toEqual({ annotationsStored: 2, annotationsFailed: 0 });
    const spans = await readAllPages((cursor) => connector.backend.readSpans("rules", { traceIds: [jobId], ...(cursor ? { cursor } : {}) }));
    expect(spans.map((s) => s.name).sort()).toEqual(["answer", "job"]);
  });
});

describe("transfer honours the connector's options", () => {
  it("importTraces goes through the connector's shared exporter (not a new one), and leaves it running", async () => {
    const jobId = await connector.submitJob({});
    await connector.logSpan({ jobId, name: "step", spanType: "chain" });
    await connector.completeJob(jobId);
    const file = join(dir.path, "job.jsonl");
    await connector.exportTrace(jobId, file);

    const exporter = new PhoenixSpanExporter({ endpoint: `file://${dir.path}` });
    const importer = new PhoenixConnector({ exporter, annotationDelayMillis: 0 });
    await importer.connect({ endpoint: `file://${dir.path}` });
    const summary = await importer.importTraces(file, { projectId: "copy", newIds: { seed: "s" } });
    expect(summary).toMatchObject({ sent: 2, failed: 0 });
    expect(exporter.stats()).toMatchObject({ exported: 2 });
    // Shared: the import did not shut it down.
    expect((await exporter.sendPhoenixSpans("copy", [])).delivered).toBe(0);
    await importer.disconnect();
    await exporter.shutdown();

    const processor = new PhoenixSpanProcessor({ endpoint: `file://${dir.path}` });
    const viaProcessor = new PhoenixConnector({ spanProcessor: processor, annotationDelayMillis: 0 });
    await viaProcessor.connect({ endpoint: `file://${dir.path}` });
    await viaProcessor.importTraces(file, { projectId: "copy-2", newIds: { seed: "t" } });
    expect(processor.exporter.stats()).toMatchObject({ exported: 2 });
    await viaProcessor.disconnect();
    await processor.shutdown();
  });

  it("an export window whose end is not after its start is one check, in the connector and on the command line", async () => {
    const error = await rejection(connector.exportTrace({ start: "2026-01-02T00:00:00Z", end: "2026-01-01T00:00:00Z" }, join(dir.path, "x.jsonl")));
    expect(error).toBeInstanceOf(PhoenixInputError);
    expect(error.message).toBe("The window's end (end 2026-01-01T00:00:00.000Z) is not after its start (start 2026-01-02T00:00:00.000Z).");
    const cli = await runCli([
      "export",
      "--project",
      "rules",
      "--since",
      "2026-01-02T00:00:00Z",
      "--until",
      "2026-01-01T00:00:00Z",
      "-o",
      join(dir.path, "y.jsonl"),
      "--endpoint",
      `file://${dir.path}`,
    ]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("The window's end (--until 2026-01-01T00:00:00.000Z) is not after its start (--since 2026-01-02T00:00:00.000Z).");
  });
});
