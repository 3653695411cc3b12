import { checkKnownOptions, optionNames } from "../../config/known-options.js";
import { PhoenixConfigurationError, PhoenixInputError } from "../../errors.js";
import { isValidSpanId } from "../../mapping/ids.js";
import type { PhoenixAnnotatorKind } from "../../store/backend.js";
import { jsonObject } from "../json-object.js";
import { asObject, contentIds, plainJson, type ExampleContent } from "./example-identity.js";
import { errorText, isError } from "./error-text.js";
import type { ExperimentEvaluatorFunction, ExperimentExample, LogExperimentOptions } from "./types.js";

/** The names the computed scores take; a caller's score or evaluator may not reuse them. */
export const COMPUTED_NAMES: ReadonlySet<string> = new Set(["accuracy", "precision", "recall", "f1", "hallucination"]);
const MAX_REPETITIONS = 1_000;

export interface PlannedExample {
  example: Readonly<ExperimentExample>;
  content: ExampleContent;
  id: string;
  spanId: string | null;
}

export interface PlannedRun {
  exampleIndex: number;
  repetition: number;
  /** The prediction as plain JSON (null for a failed run). */
  output: unknown;
  /** The prediction as given, for evaluators and scoring. */
  raw: unknown;
  error: string | null;
  /** The caller's scores of this run. */
  scores: Record<string, number>;
}

export interface PlannedEvaluator {
  name: string;
  evaluate: ExperimentEvaluatorFunction;
  annotatorKind: PhoenixAnnotatorKind;
}

export interface ExperimentPlan {
  examples: PlannedExample[];
  runs: PlannedRun[];
  repetitions: number;
  evaluators: PlannedEvaluator[];
}

const LOG_EXPERIMENT_OPTIONS = optionNames<LogExperimentOptions>({
  dataset: true,
  datasetDescription: true,
  examples: true,
  onNewExamples: true,
  predictions: true,
  repetitions: true,
  experimentName: true,
  experimentDescription: true,
  experimentMetadata: true,
  jobId: true,
  scores: true,
  evaluators: true,
  hallucination: true,
  categorical: true,
  signal: true,
  evaluatorTimeoutMillis: true,
});

/**
 * logExperiment's input checked and laid out as runs, before anything is
 * written: every mistake is a PhoenixInputError saying what to give instead.
 */
export function planExperiment(options: LogExperimentOptions): ExperimentPlan {
  try {
    checkKnownOptions("logExperiment", options, LOG_EXPERIMENT_OPTIONS);
  } catch (error) {
    throw error instanceof PhoenixConfigurationError ? new PhoenixInputError(error.message) : error;
  }
  if (options === null || typeof options !== "object") throw new PhoenixInputError("logExperiment takes an options object.");
  if (typeof options.dataset !== "string" || options.dataset.trim() === "") {
    throw new PhoenixInputError('logExperiment needs a dataset name, e.g. { dataset: "qa-golden-set" }.');
  }
  if (options.onNewExamples !== undefined && options.onNewExamples !== "refuse" && options.onNewExamples !== "append") {
    throw new PhoenixInputError('onNewExamples is "refuse" (the default) or "append".');
  }
  const limit = options.evaluatorTimeoutMillis;
  if (limit !== undefined && (typeof limit !== "number" || !Number.isFinite(limit) || limit <= 0)) {
    throw new PhoenixInputError("evaluatorTimeoutMillis is a positive number of milliseconds, e.g. 30000.");
  }
  const examples = planExamples(options.examples);
  const repetitions = options.repetitions ?? 1;
  if (!Number.isSafeInteger(repetitions) || repetitions < 1 || repetitions > MAX_REPETITIONS) {
    throw new PhoenixInputError(`repetitions must be an integer from 1 to ${MAX_REPETITIONS}, not ${String(repetitions)}.`);
  }
  const predictions = perRun(options.predictions, "predictions", examples.length, repetitions);
  const scores = planScores(options.scores, examples.length, repetitions);
  const evaluators = planEvaluators(options.evaluators, new Set(Object.keys(scores)));
  if (options.experimentMetadata !== undefined) jsonObject(options.experimentMetadata, "experimentMetadata");
  const runs: PlannedRun[] = [];
  examples.forEach((_, exampleIndex) => {
    for (let r = 0; r < repetitions; r++) {
      const raw = predictions[exampleIndex]![r];
      const failed = isError(raw);
      const runScores: Record<string, number> = {};
      for (const [name, values] of Object.entries(scores)) {
        const value = values[exampleIndex]![r];
        if (value !== undefined) runScores[name] = value;
      }
      runs.push({ exampleIndex, repetition: r + 1, raw, output: failed ? null : plainJson(raw), error: failed ? errorText(raw) : null, scores: runScores });
    }
  });
  return { examples, runs, repetitions, evaluators };
}

function planExamples(list: unknown): PlannedExample[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new PhoenixInputError("logExperiment needs examples: a non-empty array of { input, reference?, metadata?, id? }.");
  }
  const given: Array<string | undefined> = [];
  const contents = list.map((example: unknown, i): ExampleContent => {
    if (example === null || typeof example !== "object" || Array.isArray(example)) {
      throw new PhoenixInputError(`examples[${i}] is not an object: give { input, reference? }.`);
    }
    const e = example as ExperimentExample;
    if (e.input === undefined || e.input === null) {
      throw new PhoenixInputError(`examples[${i}] has no input: every example needs the task's input, e.g. { input: { question: "…" }, reference: "…" }.`);
    }
    if (e.id !== undefined && (typeof e.id !== "string" || e.id.trim() === "")) throw new PhoenixInputError(`examples[${i}].id must be a non-empty string.`);
    if (e.spanId !== undefined && !isValidSpanId(e.spanId)) throw new PhoenixInputError(`examples[${i}].spanId must be a span id (16 hex characters).`);
    given.push(e.id);
    return {
      input: asObject(e.input, "input"),
      output: e.reference === undefined ? {} : asObject(e.reference, "output"),
      metadata: e.metadata === undefined ? {} : jsonObject(e.metadata, `examples[${i}]`),
    };
  });
  const ids = contentIds(contents, given);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) throw new PhoenixInputError(`Two examples have the id ${JSON.stringify(duplicate)}; example ids must be unique.`);
  return contents.map((content, i) => ({ example: list[i] as ExperimentExample, content, id: ids[i]!, spanId: (list[i] as ExperimentExample).spanId ?? null }));
}

/** `values[example][repetition]`: one value per example, an array of `repetitions` each when there are several. */
function perRun(list: unknown, field: string, examples: number, repetitions: number): unknown[][] {
  if (!Array.isArray(list)) throw new PhoenixInputError(`${field} must be an array with one entry per example.`);
  if (list.length !== examples) {
    throw new PhoenixInputError(
      `logExperiment got ${list.length} ${field} but ${examples} examples (and their references); give one entry per example, in the examples' order.`,
    );
  }
  if (repetitions === 1) return list.map((value) => [value]);
  return list.map((value, i) => {
    if (!Array.isArray(value) || value.length !== repetitions) {
      throw new PhoenixInputError(`With repetitions: ${repetitions}, ${field}[${i}] must be an array of ${repetitions} entries, one per repetition.`);
    }
    return value as unknown[];
  });
}

function planScores(scores: unknown, examples: number, repetitions: number): Record<string, Array<Array<number | undefined>>> {
  if (scores === undefined) return {};
  if (scores === null || typeof scores !== "object" || Array.isArray(scores)) {
    throw new PhoenixInputError("scores must be an object of name → one score per example, e.g. { relevance: [1, 0.5, 0] }.");
  }
  const out: Record<string, Array<Array<number | undefined>>> = {};
  for (const [name, list] of Object.entries(scores as Record<string, unknown>)) {
    checkName(name, "scores");
    out[name] = perRun(list, `scores.${name}`, examples, repetitions).map((values, i) =>
      values.map((value) => {
        if (value === null || value === undefined) return undefined;
        if (typeof value === "boolean") return value ? 1 : 0;
        if (typeof value !== "number" || !Number.isFinite(value)) {
          throw new PhoenixInputError(`scores.${name}[${i}] must be a finite number (or null for none), not ${typeof value === "number" ? String(value) : typeof value}.`);
        }
        return value;
      }),
    );
  }
  return out;
}

function planEvaluators(evaluators: unknown, taken: Set<string>): PlannedEvaluator[] {
  if (evaluators === undefined) return [];
  if (evaluators === null || typeof evaluators !== "object" || Array.isArray(evaluators)) {
    throw new PhoenixInputError("evaluators must be an object of name → function, e.g. { concise: ({ output }) => String(output).length < 80 }.");
  }
  return Object.entries(evaluators as Record<string, unknown>).map(([name, value]) => {
    checkName(name, "evaluators");
    if (taken.has(name)) throw new PhoenixInputError(`${JSON.stringify(name)} is both a score and an evaluator; give each its own name.`);
    const spec = value as { evaluate?: unknown; annotatorKind?: unknown };
    const evaluate = typeof value === "function" ? value : spec !== null && typeof spec === "object" ? spec.evaluate : undefined;
    if (typeof evaluate !== "function") throw new PhoenixInputError(`evaluators.${name} must be a function, or { evaluate, annotatorKind? }.`);
    const kind = typeof value === "function" ? "CODE" : (spec.annotatorKind ?? "CODE");
    if (kind !== "CODE" && kind !== "LLM" && kind !== "HUMAN") throw new PhoenixInputError(`evaluators.${name}.annotatorKind is "CODE", "LLM" or "HUMAN".`);
    return { name, evaluate: evaluate as ExperimentEvaluatorFunction, annotatorKind: kind };
  });
}

function checkName(name: string, field: string): void {
  if (name.trim() === "") throw new PhoenixInputError(`Every name in ${field} must be non-empty.`);
  if (COMPUTED_NAMES.has(name)) {
    throw new PhoenixInputError(`${field}.${name}: "${name}" is a score logExperiment computes itself (${[...COMPUTED_NAMES].join(", ")}); give yours another name.`);
  }
}
