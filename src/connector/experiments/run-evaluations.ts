import { evaluationScores } from "../evaluation-scores.js";
import { evaluateSafely, scoreEvaluation, type RunEvaluation } from "./evaluator-result.js";
import type { PlannedEvaluator, PlannedExample, PlannedRun } from "./experiment-input.js";
import type { HallucinationEvaluator } from "./hallucination-evaluation.js";

export interface RunEvaluators {
  evaluators: readonly PlannedEvaluator[];
  hallucination: HallucinationEvaluator | undefined;
  categorical: boolean | undefined;
  signal: AbortSignal;
  /** Per evaluator and run; default EVALUATOR_TIMEOUT_MILLIS. */
  evaluatorTimeoutMillis: number | undefined;
}

/**
 * Every evaluation of one successful run, in this order: the computed
 * scores (evaluation-scores.ts) when the example has a reference —
 * `accuracy` (1 or 0, exact match) for a single answer; for a list of labels
 * against a list of the same length, `accuracy` over the list and, for
 * categorical labels, macro `precision`, `recall` and `f1` — then the
 * caller's scores, the evaluators, and the hallucination verdict. A failed
 * run is not evaluated.
 */
export async function evaluateRun(run: PlannedRun, example: PlannedExample, with_: RunEvaluators): Promise<RunEvaluation[]> {
  if (run.error !== null) return [];
  const metadata: Record<string, unknown> = example.spanId !== null ? { span_id: example.spanId } : {};
  const out: RunEvaluation[] = [];
  for (const [name, score] of Object.entries(computedScores(run.raw, example.example.reference, with_.categorical))) {
    out.push(scoreEvaluation(name, score, metadata));
  }
  for (const [name, score] of Object.entries(run.scores)) out.push(scoreEvaluation(name, score, metadata));
  for (const evaluator of with_.evaluators) {
    out.push(
      await evaluateSafely(
        evaluator.name,
        evaluator.annotatorKind,
        metadata,
        (signal) => evaluator.evaluate({ example: example.example, exampleId: example.id, repetition: run.repetition, output: run.raw, signal }),
        { signal: with_.signal, ...(with_.evaluatorTimeoutMillis !== undefined ? { timeoutMillis: with_.evaluatorTimeoutMillis } : {}) },
      ),
    );
  }
  if (with_.hallucination) out.push(await with_.hallucination(example.example, run.raw, metadata, with_.signal));
  return out;
}

function computedScores(prediction: unknown, reference: unknown, categorical: boolean | undefined): Record<string, number> {
  if (reference === undefined) return {};
  try {
    if (Array.isArray(prediction) && Array.isArray(reference) && prediction.length === reference.length && reference.length > 0) {
      // A list of labels per example: precision, recall and F1 apply whenever the labels are categories.
      const labels = [...prediction, ...reference].every((v) => typeof v === "string" || typeof v === "boolean" || Number.isInteger(v));
      return evaluationScores({ predictions: prediction, references: reference, categorical: categorical ?? labels });
    }
    return { accuracy: evaluationScores({ predictions: [prediction], references: [reference], categorical: false }).accuracy! };
  } catch {
    return {};
  }
}

/**
 * The experiment's scores: the mean of every evaluation's scores over the
 * runs that have one; and, when every scored prediction and reference is a
 * single answer, `accuracy` and (categorical) macro `precision`, `recall`
 * and `f1` over all those runs at once, as logEvaluation computes them.
 */
export function experimentScores(
  runs: ReadonlyArray<{ run: PlannedRun; example: PlannedExample; evaluations: readonly RunEvaluation[] }>,
  categorical: boolean | undefined,
): Record<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const { evaluations } of runs) {
    for (const e of evaluations) {
      if (e.score === null) continue;
      const entry = sums.get(e.name) ?? { sum: 0, n: 0 };
      entry.sum += e.score;
      entry.n++;
      sums.set(e.name, entry);
    }
  }
  const scores: Record<string, number> = {};
  for (const [name, { sum, n }] of sums) scores[name] = sum / n;
  const scored = runs.filter(({ run, example }) => run.error === null && example.example.reference !== undefined);
  const single = scored.every(({ run, example }) => !Array.isArray(run.raw) && !Array.isArray(example.example.reference));
  if (scored.length > 0 && single) {
    try {
      Object.assign(
        scores,
        evaluationScores({
          predictions: scored.map(({ run }) => run.raw),
          references: scored.map(({ example }) => example.example.reference),
          ...(categorical !== undefined ? { categorical } : {}),
        }),
      );
    } catch {
      // nothing to add
    }
  }
  return scores;
}
