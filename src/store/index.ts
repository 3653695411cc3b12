// Where traces live: the back-end seam and the file:// local store.
export {
  readAllPages,
  type PhoenixBackend,
  type PhoenixProjectRef,
  type PhoenixPage,
  type PhoenixSpanQuery,
  type PhoenixAnnotationTarget,
  type PhoenixAnnotatorKind,
  type PhoenixAnnotationResult,
  type PhoenixSpanAnnotationData,
  type PhoenixTraceAnnotationData,
  type PhoenixSpanAnnotation,
  type PhoenixTraceAnnotation,
  type PhoenixAnnotationQuery,
  type PhoenixAnnotationWrite,
} from "./backend.js";
export { LocalStore, type LocalAppendResult } from "./local-store.js";
export { localProjectId } from "./layout.js";
export type {
  PhoenixExperimentStore,
  PhoenixDataset,
  PhoenixDatasetExample,
  PhoenixDatasetExamples,
  PhoenixDatasetUpload,
  PhoenixDatasetUploadResult,
  PhoenixExperiment,
  PhoenixExperimentCreate,
  PhoenixExperimentRun,
  PhoenixExperimentRunData,
  PhoenixExperimentEvaluationData,
  PhoenixEvaluationResult,
  PhoenixExperimentJsonRow,
  PhoenixExperimentJsonAnnotation,
  PhoenixExperimentWrite,
} from "./experiments/experiment-types.js";
