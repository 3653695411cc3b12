import type { PhoenixAnnotatorKind } from "../../store/backend.js";
import { unlessAborted } from "../../http/abort.js";
import { jsonObject } from "../json-object.js";
import { errorText } from "./error-text.js";
import type { ExperimentEvaluationOutcome } from "./types.js";

/** One evaluation of a run, ready for Phoenix's POST /v1/experiment_evaluations. */
export interface RunEvaluation extends ExperimentEvaluationOutcome {
  annotatorKind: PhoenixAnnotatorKind;
  metadata: Record<string, unknown>;
  startTime: string;
  endTime: string;
}

const MAX_LABEL = 1_000;
const MAX_EXPLANATION = 10_000;

/** How long one evaluator may take on one run before its evaluation is recorded as an error. */
export const EVALUATOR_TIMEOUT_MILLIS = 60_000;

/**
 * Runs untrusted evaluation code and reads what it returned: a throw, a
 * rejection, a result that is no score, or no answer within `timeoutMillis`
 * (the evaluator's signal is then aborted) becomes the evaluation's
 * `error`, never a throw out of logExperiment nor a call that never ends.
 */
export async function evaluateSafely(
  name: string,
  annotatorKind: PhoenixAnnotatorKind,
  metadata: Record<string, unknown>,
  evaluate: (signal: AbortSignal) => unknown,
  limits: { timeoutMillis?: number; signal?: AbortSignal } = {},
): Promise<RunEvaluation> {
  const startTime = new Date().toISOString();
  const timeoutMillis = limits.timeoutMillis ?? EVALUATOR_TIMEOUT_MILLIS;
  // One signal for the evaluator, aborted by the time limit or by the caller's signal.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMillis);
  timer.unref?.();
  const onAbort = () => controller.abort();
  if (limits.signal?.aborted) controller.abort();
  else limits.signal?.addEventListener("abort", onAbort, { once: true });
  let outcome: Omit<ExperimentEvaluationOutcome, "name"> & { metadata?: Record<string, unknown> };
  try {
    const answer = Promise.resolve().then(() => evaluate(controller.signal));
    answer.catch(() => undefined);
    const result = await unlessAborted(answer, controller.signal);
    if (result === "aborted") {
      throw new Error(
        timedOut
          ? `The evaluator did not answer within ${timeoutMillis} ms (evaluatorTimeoutMillis); it was aborted.`
          : "The evaluation was aborted (logExperiment's signal).",
      );
    }
    outcome = readResult(result);
  } catch (error) {
    outcome = { score: null, label: null, explanation: null, error: errorText(error) };
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener("abort", onAbort);
  }
  const { metadata: extra, ...result } = outcome;
  return { name, annotatorKind, ...result, metadata: { ...metadata, ...extra }, startTime, endTime: new Date().toISOString() };
}

/** A score, a boolean, a label, or `{ score?, label?, explanation?, metadata? }`; anything else is an error saying what was returned. */
function readResult(value: unknown): Omit<ExperimentEvaluationOutcome, "name"> & { metadata?: Record<string, unknown> } {
  const none = { score: null, label: null, explanation: null };
  if (typeof value === "number") {
    return Number.isFinite(value) ? { ...none, score: value, error: null } : { ...none, error: `The evaluator returned ${String(value)}, not a finite score.` };
  }
  if (typeof value === "boolean") return { ...none, score: value ? 1 : 0, label: String(value), error: null };
  if (typeof value === "string") return { ...none, label: bounded(value, MAX_LABEL), error: null };
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const r = value as { score?: unknown; label?: unknown; explanation?: unknown; metadata?: unknown };
    const score = r.score === null || r.score === undefined ? null : r.score;
    if (score !== null && (typeof score !== "number" || !Number.isFinite(score))) {
      return { ...none, error: `The evaluator returned a score that is not a finite number (${typeof score === "number" ? String(score) : typeof score}).` };
    }
    const label = typeof r.label === "string" ? bounded(r.label, MAX_LABEL) : null;
    if (score === null && label === null) return { ...none, error: "The evaluator returned an object with neither a score nor a label." };
    const explanation = typeof r.explanation === "string" ? bounded(r.explanation, MAX_EXPLANATION) : null;
    const metadata = r.metadata !== null && typeof r.metadata === "object" && !Array.isArray(r.metadata) ? jsonObject(r.metadata, "evaluator") : undefined;
    return { score, label, explanation, error: null, ...(metadata ? { metadata } : {}) };
  }
  return {
    ...none,
    error: `The evaluator returned ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}; return a number, a boolean, a label or { score, label, explanation }.`,
  };
}

function bounded(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** A computed or given score as an evaluation (it cannot fail). */
export function scoreEvaluation(name: string, score: number, metadata: Record<string, unknown>): RunEvaluation {
  const at = new Date().toISOString();
  return { name, annotatorKind: "CODE", score, label: null, explanation: null, error: null, metadata, startTime: at, endTime: at };
}
