/**
 * The shapes shared by every hallucination detector.
 *
 * Semantics, the same for every detector:
 * - `score` is the probability-like strength of the hallucination verdict, in
 *   [0, 1]: 0 means the response is fully supported by the context, 1 that it
 *   certainly states something the context does not support or contradicts.
 *   It is not calibrated across detectors; compare scores of one detector.
 * - `isHallucination` is `score >= threshold` (threshold 0.5 by default) and
 *   `label` is `"hallucinated"` exactly when `isHallucination` is true.
 * - `confidence` is how sure the detector is of the label it reports, in
 *   [0, 1]: low when the verdict rests on little evidence (a bare "yes", an
 *   answer with nothing checkable), high when it rests on a clear finding (a
 *   date the context contradicts) or on a probability the model returned.
 */

export type HallucinationLabel = "hallucinated" | "factual";

/** Phoenix's annotator kinds: an LLM judged, or code did. */
export type AnnotatorKind = "LLM" | "CODE";

export interface HallucinationInput {
  /** The reference text the response should be grounded in (retrieved documents, a knowledge snippet). */
  context: string;
  /** The text under test (an LLM answer). */
  response: string;
  /** The question the response answers; used for comparison questions and by the LLM judge. */
  query?: string;
  /** Score at or above which the response counts as hallucinated; in [0, 1], default 0.5. */
  threshold?: number;
}

/** What a detector receives: the validated input with the threshold resolved. */
export interface ResolvedHallucinationInput {
  readonly context: string;
  readonly response: string;
  readonly query: string | undefined;
  readonly threshold: number;
}

export interface HallucinationResult {
  isHallucination: boolean;
  /** How sure the detector is of `label`, in [0, 1]. */
  confidence: number;
  /** Probability-like strength of the hallucination verdict, in [0, 1]. */
  score: number;
  label: HallucinationLabel;
  /** Human-readable reason; names the unsupported parts when there are some. */
  explanation: string;
  /** Name of the detector that produced the verdict ("grounding", "llm-judge", or a custom name). */
  detector: string;
  /** Parts of the response (claims, phrases, names, numbers) the detector could not ground in the context. */
  unsupported: string[];
}

/**
 * What a detector returns. `label` and `isHallucination` may be given (a full
 * `HallucinationResult` is accepted) but `detectHallucination` derives them
 * again from `score` and the threshold so that the two always agree.
 */
export interface DetectorVerdict {
  score: number;
  confidence: number;
  explanation: string;
  unsupported?: readonly string[];
  label?: HallucinationLabel;
  isHallucination?: boolean;
  detector?: string;
}

export interface DetectOptions {
  /** Aborts a detector that does I/O (the LLM judge). */
  signal?: AbortSignal;
}

export interface HallucinationDetector {
  /** Reported as `detector` in results and used as the annotator name. */
  readonly name: string;
  /** `"LLM"` when a model judges, `"CODE"` when code does; becomes the annotation's annotator_kind. */
  readonly annotatorKind: AnnotatorKind;
  detect(input: ResolvedHallucinationInput, options: DetectOptions): Promise<DetectorVerdict> | DetectorVerdict;
}

/** A plain function can be a detector too; it is treated as `annotatorKind: "CODE"`. */
export type HallucinationDetectorFunction = (
  input: ResolvedHallucinationInput,
  options: DetectOptions,
) => Promise<DetectorVerdict> | DetectorVerdict;

export type HallucinationDetectorLike = HallucinationDetector | HallucinationDetectorFunction;
