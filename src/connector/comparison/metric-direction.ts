import type { MetricDirection } from "./types.js";

/**
 * Words that make a metric better when lower. A metric name is split into
 * words at anything that is not a letter or digit (`eval.loss`, `latency_ms`,
 * `total_tokens`, `answer-hallucination`); one of these words and it ranks
 * lower-is-better. Every other metric ranks higher-is-better (accuracy, f1,
 * precision, recall, relevance, correct…). Pass `metricDirections` to decide
 * a name yourself.
 */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
  "loss",
  "error",
  "errors",
  "latency",
  "duration",
  "ms",
  "seconds",
  "time",
  "cost",
  "usd",
  "token",
  "tokens",
  "perplexity",
  "ppl",
  "hallucination",
  "hallucinated",
  "hallucinations",
  "toxicity",
  "toxic",
  "wer",
  "cer",
  "mae",
  "mse",
  "rmse",
  "distance",
]);

export function metricDirection(name: string, overrides?: Readonly<Record<string, MetricDirection>>): MetricDirection {
  const chosen = overrides?.[name];
  if (chosen !== undefined) return chosen;
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word) => LOWER_IS_BETTER.has(word)) ? "lower" : "higher";
}
