import { diag } from "@opentelemetry/api";
import { PhoenixInputError, PhoenixResponseError } from "../../errors.js";
import type { HallucinationDetectorLike } from "../../hallucination/types.js";
import type { PhoenixExperimentStore, PhoenixExperimentWrite } from "../../store/experiments/experiment-types.js";
import type { Connection } from "../connection.js";
import { jsonObject } from "../json-object.js";
import { boundedParallel } from "./bounded-parallel.js";
import { syncDataset } from "./dataset-sync.js";
import type { RunEvaluation } from "./evaluator-result.js";
import { planExperiment } from "./experiment-input.js";
import { hallucinationEvaluator } from "./hallucination-evaluation.js";
import { evaluateRun, experimentScores } from "./run-evaluations.js";
import type { ExperimentResult, ExperimentRunOutcome, ExperimentWriteFailure, LogExperimentOptions } from "./types.js";

/** Runs written at once: a few requests in flight, as the REST client's pool allows. */
const RUNS_IN_FLIGHT = 4;

/**
 * An evaluation as a Phoenix experiment (see docs/connector.md,
 * "Experiments"): the dataset found or created (dataset-sync.ts), a new
 * experiment on its version, one run per prediction and repetition (linked
 * to the job's trace), and the run's evaluations. What the back end refuses
 * for one run or evaluation is recorded in `failures` and the call goes on;
 * bad input throws before anything is written; only a back end that cannot
 * be reached (or refuses the credentials) throws midway.
 */
export async function logExperiment(
  connection: Connection,
  options: LogExperimentOptions,
  connectorDetector: HallucinationDetectorLike | undefined,
): Promise<ExperimentResult> {
  const plan = planExperiment(options);
  const hallucination = hallucinationEvaluator(options.hallucination, connectorDetector);
  const metadata = options.experimentMetadata === undefined ? {} : jsonObject(options.experimentMetadata, "experimentMetadata");
  let traceId: string | null = null;
  if (options.jobId !== undefined) {
    const job = connection.jobs.find(options.jobId);
    if (!job) throw new PhoenixInputError(`Unknown job ${JSON.stringify(options.jobId)}: use the id submitJob returned (the runs link to its trace).`);
    traceId = job.traceId;
    metadata.job_id = job.traceId;
  }
  for (const [name, value] of [["experimentName", options.experimentName], ["experimentDescription", options.experimentDescription], ["datasetDescription", options.datasetDescription]] as const) {
    if (value !== undefined && typeof value !== "string") throw new PhoenixInputError(`${name} must be a string.`);
  }
  const store = connection.backend.experiments;
  const dataset = await syncDataset(store, {
    name: options.dataset,
    ...(options.datasetDescription !== undefined ? { description: options.datasetDescription } : {}),
    examples: plan.examples,
    onNewExamples: options.onNewExamples ?? "refuse",
    display: connection.backend.display,
  });
  const experiment = await store.createExperiment(dataset.datasetId, {
    ...(options.experimentName !== undefined ? { name: options.experimentName } : {}),
    ...(options.experimentDescription !== undefined ? { description: options.experimentDescription } : {}),
    metadata,
    version_id: dataset.versionId,
    repetitions: plan.repetitions,
  });
  if (!experiment) throw new PhoenixResponseError(404, `${connection.backend.display} refused an experiment on the dataset ${JSON.stringify(options.dataset)} it just listed.`);

  const refused: Array<{ index: number; failure: ExperimentWriteFailure }> = [];
  const signal = options.signal ?? new AbortController().signal;
  const runEvaluators = { evaluators: plan.evaluators, hallucination, categorical: options.categorical, signal, evaluatorTimeoutMillis: options.evaluatorTimeoutMillis };
  const outcomes = await boundedParallel(plan.runs, RUNS_IN_FLIGHT, async (run, index) => {
    const fail = (failure: ExperimentWriteFailure) => refused.push({ index, failure });
    const example = plan.examples[run.exampleIndex]!;
    const at = new Date().toISOString();
    const written = await writeRun(store, experiment.id, {
      dataset_example_id: example.id,
      output: run.output,
      repetition_number: run.repetition,
      start_time: at,
      end_time: at,
      trace_id: traceId,
      error: run.error,
    });
    const outcome: ExperimentRunOutcome = { exampleId: example.id, repetition: run.repetition, runId: null, error: run.error, evaluations: [] };
    if (written.status === "refused") {
      fail({ exampleId: example.id, repetition: run.repetition, what: "run", message: written.message });
      return { run, example, outcome, evaluations: [] as RunEvaluation[] };
    }
    outcome.runId = written.id;
    const evaluations = await evaluateRun(run, example, runEvaluators);
    for (const evaluation of evaluations) {
      const stored = await store.upsertEvaluation({
        experiment_run_id: written.id,
        name: evaluation.name,
        annotator_kind: evaluation.annotatorKind,
        start_time: evaluation.startTime,
        end_time: evaluation.endTime,
        ...(evaluation.error === null
          ? { result: { score: evaluation.score, label: evaluation.label, explanation: evaluation.explanation } }
          : { error: evaluation.error }),
        metadata: evaluation.metadata,
        trace_id: null,
      });
      if (stored.status === "refused") {
        fail({ exampleId: example.id, repetition: run.repetition, what: "evaluation", name: evaluation.name, message: stored.message });
      }
      const { name, score, label, explanation, error } = evaluation;
      outcome.evaluations.push({ name, score, label, explanation, error });
    }
    return { run, example, outcome, evaluations };
  });
  // In run order, whichever request answered first.
  const failures = refused.sort((a, b) => a.index - b.index).map((r) => r.failure);
  if (failures.length > 0) {
    diag.warn(
      `phoenix-connector: experiment ${experiment.name}: ${failures.length} write(s) refused by ${connection.backend.display}, e.g. ${failures[0]!.what} of example ${failures[0]!.exampleId}: ${failures[0]!.message}`,
    );
  }
  return {
    datasetId: dataset.datasetId,
    datasetName: options.dataset,
    datasetVersionId: dataset.versionId,
    examplesAdded: dataset.added,
    experimentId: experiment.id,
    experimentName: experiment.name,
    runs: outcomes.map((o) => o.outcome),
    scores: experimentScores(outcomes, options.categorical),
    failures,
    url: store.compareUrl(dataset.datasetId, [experiment.id]),
  };
}

/** A run; when Phoenix already holds it (a retried request whose first answer was lost: 409), the stored run's id. */
async function writeRun(store: PhoenixExperimentStore, experimentId: string, run: Parameters<PhoenixExperimentStore["createRun"]>[1]): Promise<PhoenixExperimentWrite> {
  const written = await store.createRun(experimentId, run);
  if (written.status === "stored" || written.statusCode !== 409) return written;
  const existing = (await store.readRuns(experimentId)).find((r) => r.dataset_example_id === run.dataset_example_id && r.repetition_number === run.repetition_number);
  return existing ? { status: "stored", id: existing.id } : written;
}
