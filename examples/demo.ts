/**
 * The main job: a small RAG-plus-tool agent, run twice with two prompt
 * versions as two connector jobs, each with metrics and evaluations, then a
 * summary with the trace URLs. Each run is also a Phoenix experiment on one
 * dataset of the demo's questions (created on the first run, found again on
 * the next), and the two experiments are compared per question.
 *
 *   npm run demo                                                   # offline: writes ./phoenix-data
 *   PHOENIX_COLLECTOR_ENDPOINT=http://localhost:6006 npm run demo  # sends to that Phoenix
 *
 * The agent's own spans use the OpenTelemetry GenAI conventions and go
 * through the same PhoenixSpanProcessor as the connector's spans: one
 * pipeline, one mapping, 50-span / 3-second batches.
 */
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import {
  PhoenixConnector,
  PhoenixConnectorError,
  PhoenixSpanProcessor,
  formatComparison,
  formatExperimentComparison,
  readAllPages,
} from "../src/index.js";
import { QUESTIONS } from "./demo/knowledge-base.js";
import { RagAgent, type PromptVersion } from "./demo/rag-agent.js";
import { MODEL_NAME, StandInModel } from "./demo/stand-in-model.js";

const PROJECT = "rag-agent-demo";
const DATASET = "rag-agent-demo-questions";
const OFFLINE_DIRECTORY = "./phoenix-data";

const PROMPTS: readonly PromptVersion[] = [
  { version: "v1", system: "Answer the question from the context with just the value.", tools: [] },
  {
    version: "v2",
    system: "Answer the question from the context with just the value. For arithmetic, call the calculator tool.",
    tools: ["calculator"],
  },
];

interface JobSummary {
  version: string;
  jobId: string;
  experimentId: string;
  accuracy: number;
  routingF1: number;
  tokens: number;
  spans: number;
  url: string;
}

const say = (line = "") => process.stdout.write(`${line}\n`);

const configured = process.env.PHOENIX_COLLECTOR_ENDPOINT?.trim();
const endpoint = configured || `file://${OFFLINE_DIRECTORY}`;
say("phoenix-connector demo: a RAG + calculator agent, two prompt versions, one job each.");
say(
  configured
    ? `Sending traces to ${configured} (PHOENIX_COLLECTOR_ENDPOINT), project "${PROJECT}".`
    : `No PHOENIX_COLLECTOR_ENDPOINT set: writing traces to ${OFFLINE_DIRECTORY} (the local store). ` +
        "Set PHOENIX_COLLECTOR_ENDPOINT=http://localhost:6006 to send them to Phoenix.",
);

// One pipeline for the application's spans and the connector's.
const processor = new PhoenixSpanProcessor({ endpoint });
const appTracer = new BasicTracerProvider({
  resource: resourceFromAttributes({ "service.name": "rag-agent-demo", "openinference.project.name": PROJECT }),
  spanProcessors: [processor],
}).getTracer("rag-agent-demo");
const connector = new PhoenixConnector({ spanProcessor: processor });

try {
  await connector.connect({ endpoint, projectId: PROJECT });
  const summaries: JobSummary[] = [];
  for (const prompt of PROMPTS) summaries.push(await runJob(prompt));

  say();
  say("prompt  accuracy  routing F1  tokens  spans");
  for (const s of summaries) {
    say(`${s.version.padEnd(6)}  ${s.accuracy.toFixed(2).padStart(8)}  ${s.routingF1.toFixed(2).padStart(10)}  ${String(s.tokens).padStart(6)}  ${String(s.spans).padStart(5)}`);
  }
  say();
  say("Traces:");
  for (const s of summaries) say(`  ${s.version}  ${s.url}`);
  say();
  // ── Comparison ───────────────────────────────────────────────────────────
  // Both traces read back and compared: totals, metrics with the best marked,
  // the evaluations, and the steps aligned. Phoenix stores spans shortly after
  // acknowledging them, so against a server the comparison waits for each
  // trace to be stored completely (bounded).
  const comparison = await connector.compareTraces(
    summaries.map((s) => s.jobId),
    configured ? { wait: { timeoutMillis: 30_000 } } : {},
  );
  say(`Comparison (A = prompt ${summaries[0]!.version}, B = prompt ${summaries[1]!.version}):`);
  say();
  process.stdout.write(formatComparison(comparison, { maxSteps: 8 }));
  // ── Experiments ──────────────────────────────────────────────────────────
  // The same two runs as Phoenix experiments on one dataset: per question the
  // answers and scores side by side, and what got better or worse.
  const experiments = await connector.compareExperiments(summaries.map((s) => s.experimentId));
  say();
  say(`The same runs as experiments (A = prompt ${summaries[0]!.version}, B = prompt ${summaries[1]!.version}):`);
  say();
  process.stdout.write(formatExperimentComparison(experiments, { maxExamples: QUESTIONS.length }));
} catch (error) {
  // The package's errors say what to do; a stack trace would bury that.
  if (!(error instanceof PhoenixConnectorError)) throw error;
  process.stderr.write(`demo: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  await connector.disconnect();
  // The connector never shuts down a processor it was given: the application does.
  await processor.shutdown();
}

async function runJob(prompt: PromptVersion): Promise<JobSummary> {
  const jobId = await connector.submitJob({
    jobName: `rag-agent prompt ${prompt.version}`,
    baseModel: MODEL_NAME,
    algorithm: "prompt-engineering",
    promptVersion: prompt.version,
    systemPrompt: prompt.system,
    tools: [...prompt.tools],
    dataset: "demo-qa",
  });
  const agent = new RagAgent(appTracer, new StandInModel(), prompt);
  const answers = [];
  for (const [step, item] of QUESTIONS.entries()) {
    const answer = agent.answer(item.question, connector.jobContext(jobId));
    answers.push(answer);
    await connector.logMetrics({
      jobId,
      step,
      metrics: { latency_ms: Number(answer.latencyMs.toFixed(3)), total_tokens: answer.tokens, correct: answer.text === item.answer ? 1 : 0 },
    });
  }
  const exact = await connector.logEvaluation({
    jobId,
    evalName: "answer_exact_match",
    predictions: answers.map((a) => a.text),
    references: QUESTIONS.map((q) => q.answer),
    categorical: false,
  });
  const routing = await connector.logEvaluation({
    jobId,
    evalName: "routing",
    predictions: answers.map((a) => a.route),
    references: QUESTIONS.map((q) => q.route),
  });
  // The evaluation as a Phoenix experiment: the questions become a dataset (once), this run an experiment on it,
  // each answer a run linked to the job's trace, with its exact-match accuracy and routing score.
  const experiment = await connector.logExperiment({
    dataset: DATASET,
    datasetDescription: "The demo agent's questions with their reference answers.",
    examples: QUESTIONS.map((q) => ({ input: { question: q.question }, reference: q.answer, metadata: { route: q.route } })),
    predictions: answers.map((a) => a.text),
    scores: { routing: answers.map((a, i) => (a.route === QUESTIONS[i]!.route ? 1 : 0)) },
    categorical: false,
    jobId,
    experimentName: `prompt ${prompt.version}`,
    experimentMetadata: { promptVersion: prompt.version, systemPrompt: prompt.system },
  });
  const tokens = answers.reduce((sum, a) => sum + a.tokens, 0);
  await connector.completeJob(jobId, { status: "succeeded", outputData: { accuracy: exact.scores.accuracy, tokens } });
  // Read the trace back through the same back end (Phoenix or the local store).
  const project = connector.project.name;
  const spans = await readAllPages((cursor) => connector.backend.readSpans(project, { traceIds: [jobId], limit: 1000, ...(cursor ? { cursor } : {}) }));
  return {
    version: prompt.version,
    jobId,
    experimentId: experiment.experimentId,
    accuracy: exact.scores.accuracy ?? 0,
    routingF1: routing.scores.f1 ?? 0,
    tokens,
    spans: spans.length,
    url: connector.getTraceUrl(jobId),
  };
}
