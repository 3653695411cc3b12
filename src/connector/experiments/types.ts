import type { HallucinationDetectorLike } from "../../hallucination/types.js";
import type { PhoenixAnnotatorKind } from "../../store/backend.js";

/** One example of a dataset: what the task was given, and what it should answer. */
export interface ExperimentExample {
  /** The task's input; required. An object is stored as is, any other value as `{ input: value }`. */
  input: unknown;
  /** The expected output (Phoenix's example `output`): an object as is, any other value as `{ output: value }`. Scored against the prediction. */
  reference?: unknown;
  metadata?: Record<string, unknown>;
  /**
   * The example's stable id in the dataset (Phoenix's `example_ids`).
   * Default: `ex-` and a hash of input, reference and metadata, so that the
   * same example is found again on the next run.
   */
  id?: string;
  /** A span (16 hex) the example was taken from: Phoenix links the example back to it. */
  spanId?: string;
}

/** What an evaluator sees of one run. */
export interface ExperimentRunContext {
  example: Readonly<ExperimentExample>;
  /** The example's id in the dataset. */
  exampleId: string;
  /** 1-based, as Phoenix numbers repetitions. */
  repetition: number;
  /** The prediction of this run. */
  output: unknown;
  signal: AbortSignal;
}

/**
 * What an evaluator may return: a score (a number, or a boolean as 1 / 0), a
 * label (a string), or `{ score?, label?, explanation?, metadata? }` (a
 * hallucination verdict included), sync or as a promise.
 */
export type ExperimentEvaluatorResult =
  | number
  | boolean
  | string
  | { score?: number | null; label?: string | null; explanation?: string | null; metadata?: Record<string, unknown> };

export type ExperimentEvaluatorFunction = (run: ExperimentRunContext) => ExperimentEvaluatorResult | Promise<ExperimentEvaluatorResult>;

/** An evaluator is untrusted code: one that throws, rejects or returns nonsense becomes that evaluation's `error`. */
export type ExperimentEvaluator = ExperimentEvaluatorFunction | { evaluate: ExperimentEvaluatorFunction; annotatorKind?: PhoenixAnnotatorKind };

export interface ExperimentHallucinationOptions {
  /** The context each prediction must be grounded in: a key of the example's `input`, or a function of the example. */
  context: string | ((example: Readonly<ExperimentExample>) => string);
  /** The question: a key of the example's `input`, or a function of the example. Optional. */
  query?: string | ((example: Readonly<ExperimentExample>) => string);
  /** Default 0.5. */
  threshold?: number;
  /** Default the connector's `hallucinationDetector`, else `grounding`. */
  detector?: HallucinationDetectorLike;
}

export interface LogExperimentOptions {
  /** The dataset's name: created on the first run, found again (same examples, same ids) on the next. */
  dataset: string;
  /** Description of a dataset this call creates. */
  datasetDescription?: string;
  examples: readonly ExperimentExample[];
  /**
   * What to do when the dataset exists but lacks some of `examples`:
   * `"refuse"` (default: a PhoenixInputError, nothing written) or
   * `"append"` (they are added as a new dataset version). Examples of the
   * dataset that are not in `examples` are left alone either way (their runs
   * count as missing).
   */
  onNewExamples?: "refuse" | "append";
  /**
   * One output per example, in order. With `repetitions` > 1, an array of
   * that many outputs per example. An `Error` in place of an output is a
   * failed run (Phoenix's run `error`).
   */
  predictions: readonly unknown[];
  /** Runs per example; default 1. */
  repetitions?: number;
  /** Default Phoenix's (a server draws a name). */
  experimentName?: string;
  experimentDescription?: string;
  experimentMetadata?: Record<string, unknown>;
  /** The job whose trace the runs link to (`trace_id`); the job may be completed. */
  jobId?: string;
  /**
   * Your scores per run: name → one number per example (an array per
   * example with repetitions), `null` / `undefined` for none.
   */
  scores?: Record<string, readonly unknown[]>;
  /** Evaluators by name, run on every successful run (after the computed scores). */
  evaluators?: Record<string, ExperimentEvaluator>;
  /** A hallucination verdict per successful run, as the evaluation `hallucination`. */
  hallucination?: ExperimentHallucinationOptions;
  /**
   * Whether references are categories, for the experiment's precision,
   * recall and F1 (as in logEvaluation). Default: guessed.
   */
  categorical?: boolean;
  /** Aborts evaluators and the hallucination detector. */
  signal?: AbortSignal;
  /**
   * How long one evaluator may take on one run (default 60 000 ms): past it,
   * the evaluator's signal is aborted and the evaluation is recorded with
   * an `error`; the call carries on.
   */
  evaluatorTimeoutMillis?: number;
}

/** One evaluation of a run as stored (or why not). */
export interface ExperimentEvaluationOutcome {
  name: string;
  score: number | null;
  label: string | null;
  explanation: string | null;
  /** The evaluator's failure; Phoenix keeps it as the evaluation's `error`. */
  error: string | null;
}

export interface ExperimentRunOutcome {
  exampleId: string;
  repetition: number;
  /** Phoenix's run id; null when the run could not be stored (see `failures`). */
  runId: string | null;
  /** The run's error (a failed prediction). */
  error: string | null;
  evaluations: ExperimentEvaluationOutcome[];
}

/** Something the back end refused (the call carries on with the other runs). */
export interface ExperimentWriteFailure {
  exampleId: string;
  repetition: number;
  /** The run itself, or the evaluation of that name. */
  what: "run" | "evaluation";
  name?: string;
  message: string;
}

export interface ExperimentResult {
  datasetId: string;
  datasetName: string;
  datasetVersionId: string;
  /** Examples this call added to the dataset (created or appended). */
  examplesAdded: number;
  experimentId: string;
  experimentName: string;
  runs: ExperimentRunOutcome[];
  /**
   * Over every successful run with a reference: `accuracy` (exact match),
   * and for categorical references macro `precision`, `recall` and `f1`
   * (evaluation-scores.ts); then the mean of every other evaluation.
   */
  scores: Record<string, number>;
  failures: ExperimentWriteFailure[];
  /** Where to see the experiment (Phoenix's compare page with this one experiment). */
  url: string;
}
