export type {
  ExperimentExample,
  ExperimentRunContext,
  ExperimentEvaluator,
  ExperimentEvaluatorFunction,
  ExperimentEvaluatorResult,
  ExperimentHallucinationOptions,
  LogExperimentOptions,
  ExperimentEvaluationOutcome,
  ExperimentRunOutcome,
  ExperimentWriteFailure,
  ExperimentResult,
} from "./types.js";
export { PhoenixExperimentNotFoundError } from "./errors.js";
