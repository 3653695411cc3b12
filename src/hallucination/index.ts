/**
 * Hallucination detection: `detectHallucination` with the offline
 * `grounding` detector (default), the `llmJudge` detector, or any function
 * returning a verdict. Score and confidence semantics are in ./types.ts.
 */
export type {
  AnnotatorKind,
  DetectOptions,
  DetectorVerdict,
  HallucinationDetector,
  HallucinationDetectorFunction,
  HallucinationDetectorLike,
  HallucinationInput,
  HallucinationLabel,
  HallucinationResult,
  ResolvedHallucinationInput,
} from "./types.js";
export {
  HallucinationDetectorResultError,
  HallucinationInputError,
  LlmJudgeConfigError,
  LlmJudgeConnectionError,
  LlmJudgeHttpError,
  LlmJudgeParseError,
  LlmJudgeTimeoutError,
  type HallucinationInputErrorCode,
} from "./errors.js";
export { detectHallucination } from "./detect.js";
export { DEFAULT_THRESHOLD, resolveHallucinationInput } from "./input.js";
export { normalizeDetectorVerdict, toHallucinationDetector, type NormalizedVerdict } from "./custom-detector.js";
export { createGroundingDetector, grounding, type GroundingDetectorOptions } from "./grounding/detector.js";
export { llmJudge, type LlmJudgeOptions } from "./llm-judge/detector.js";
export { JUDGE_PROMPT_TEMPLATE, renderJudgePrompt } from "./llm-judge/prompt.js";
export { parseJudgeAnswer, type JudgeAnswer } from "./llm-judge/parse.js";
export { defaultRetryDelay, type RetryDelay } from "./llm-judge/retry-delay.js";
