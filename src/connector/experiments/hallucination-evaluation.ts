import { PhoenixInputError } from "../../errors.js";
import { toHallucinationDetector } from "../../hallucination/custom-detector.js";
import { detectHallucination } from "../../hallucination/detect.js";
import { grounding } from "../../hallucination/grounding/detector.js";
import type { HallucinationDetector, HallucinationDetectorLike } from "../../hallucination/types.js";
import { evaluateSafely, type RunEvaluation } from "./evaluator-result.js";
import type { ExperimentExample, ExperimentHallucinationOptions } from "./types.js";

export type HallucinationEvaluator = (example: Readonly<ExperimentExample>, output: unknown, metadata: Record<string, unknown>, signal: AbortSignal) => Promise<RunEvaluation>;

/**
 * The `hallucination` evaluation of a run: the prediction judged against
 * the example's context by the detector (the option's, else the
 * connector's, else `grounding`), as a label, a score and an explanation.
 * The options are checked at once; a detector that fails, or a context
 * that cannot be found for an example, is that run's evaluation error.
 */
export function hallucinationEvaluator(
  options: ExperimentHallucinationOptions | undefined,
  connectorDetector: HallucinationDetectorLike | undefined,
): HallucinationEvaluator | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") throw new PhoenixInputError("hallucination takes { context, query?, threshold?, detector? }.");
  const context = field(options.context, "context", true)!;
  const query = field(options.query, "query", false);
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1)) throw new PhoenixInputError("hallucination.threshold must be a number in [0, 1].");
  let detector: HallucinationDetector;
  try {
    detector = toHallucinationDetector(options.detector ?? connectorDetector ?? grounding);
  } catch (error) {
    throw new PhoenixInputError(`hallucination.detector: ${(error as Error).message}`);
  }
  return (example, output, metadata, signal) =>
    evaluateSafely("hallucination", detector.annotatorKind, { ...metadata, detector: detector.name, threshold }, async () => {
      const response = typeof output === "string" ? output : JSON.stringify(output);
      const text = context(example);
      const question = query?.(example);
      const verdict = await detectHallucination(
        { context: text, response: response ?? "", threshold, ...(question !== undefined ? { query: question } : {}) },
        detector,
        { signal },
      );
      return {
        score: verdict.score,
        label: verdict.label,
        explanation: verdict.explanation,
        metadata: { confidence: verdict.confidence, unsupported: verdict.unsupported },
      };
    });
}

/** A key of the example's input, or a function of the example → the text. */
function field(value: unknown, name: string, required: boolean): ((example: Readonly<ExperimentExample>) => string) | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value === "function") {
    return (example) => {
      const text: unknown = (value as (e: Readonly<ExperimentExample>) => unknown)(example);
      if (typeof text !== "string") throw new TypeError(`hallucination.${name} returned ${typeof text}, not text`);
      return text;
    };
  }
  if (typeof value === "string" && value !== "") {
    return (example) => {
      const input = example.input as Record<string, unknown> | null;
      const text = input !== null && typeof input === "object" ? input[value] : undefined;
      if (typeof text !== "string") throw new TypeError(`the example's input has no text "${value}" (hallucination.${name})`);
      return text;
    };
  }
  throw new PhoenixInputError(`hallucination.${name} must be a key of the examples' input (e.g. "context") or a function of the example.`);
}
