import { safeJson } from "../mapping/attributes.js";
import { PhoenixInputError } from "../errors.js";
import { checkNumericRecord } from "./numeric-record.js";

export interface EvaluationInput {
  predictions: unknown;
  references: unknown;
  scores?: unknown;
  categorical?: boolean;
}

const MAX_CATEGORIES = 20;

/**
 * The scores of an evaluation: the given ones after checking them, else
 * computed from predictions and references:
 *
 * - `accuracy`: the share of exact matches (strict equality for strings,
 *   numbers and booleans; equal JSON for anything else).
 * - for categorical labels, `precision`, `recall` and `f1` macro-averaged over
 *   every label seen in either list, a label never predicted (or never true)
 *   counting 0 for that label's precision (or recall), as scikit-learn does
 *   with `zero_division=0`.
 *
 * Throws a PhoenixInputError for lists that are missing, empty or of
 * different lengths, and for scores that are not finite numbers.
 */
export function evaluationScores(input: EvaluationInput): Record<string, number> {
  const { predictions, references } = input;
  if (!Array.isArray(predictions) || !Array.isArray(references)) {
    throw new PhoenixInputError("logEvaluation needs predictions and references as arrays.");
  }
  if (predictions.length === 0 || references.length === 0) {
    throw new PhoenixInputError("logEvaluation needs at least one prediction and one reference; the lists are empty.");
  }
  if (predictions.length !== references.length) {
    throw new PhoenixInputError(
      `logEvaluation got ${predictions.length} predictions but ${references.length} references; give one prediction per reference.`,
    );
  }
  if (input.scores !== undefined) return checkNumericRecord(input.scores, "scores", "{ accuracy: 0.9 }");
  const predicted = predictions.map(labelKey);
  const truth = references.map(labelKey);
  let matches = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) matches++;
  const scores: Record<string, number> = { accuracy: matches / truth.length };
  const categorical = input.categorical ?? looksCategorical(predictions, references);
  if (categorical) Object.assign(scores, macroScores(predicted, truth));
  return scores;
}

/** Strings, booleans and integers from a small set of labels, repeated at least once. */
function looksCategorical(predictions: readonly unknown[], references: readonly unknown[]): boolean {
  const labels = new Set<string>();
  for (const value of [...predictions, ...references]) {
    const ok = typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value));
    if (!ok) return false;
    labels.add(labelKey(value));
    if (labels.size > MAX_CATEGORIES) return false;
  }
  return labels.size < references.length;
}

/** 1 and "1" are different labels, as they are to scikit-learn. */
function labelKey(value: unknown): string {
  switch (typeof value) {
    case "string":
      return `s:${value}`;
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof value}:${String(value)}`;
    case "undefined":
      return "undefined";
    default:
      return `j:${safeJson(value)}`;
  }
}

function macroScores(predicted: readonly string[], truth: readonly string[]): { precision: number; recall: number; f1: number } {
  const labels = new Set([...truth, ...predicted]);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      const p = predicted[i] === label;
      const t = truth[i] === label;
      if (p && t) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    const pl = tp + fp === 0 ? 0 : tp / (tp + fp);
    const rl = tp + fn === 0 ? 0 : tp / (tp + fn);
    precision += pl;
    recall += rl;
    f1 += pl + rl === 0 ? 0 : (2 * pl * rl) / (pl + rl);
  }
  return { precision: precision / labels.size, recall: recall / labels.size, f1: f1 / labels.size };
}
