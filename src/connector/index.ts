export { PhoenixConnector, type PhoenixConnectorOptions } from "./connector.js";
export type {
  Connector,
  TrainingConfig,
  ConnectOptions,
  LogSpanOptions,
  LogMetricsOptions,
  LogEvaluationOptions,
  LogAnnotationOptions,
  DetectHallucinationOptions,
  EvaluationResult,
  CompleteJobOptions,
  JobStatus,
  SpanStatus,
  TimeInput,
  FlushReport,
  CompareTracesOptions,
  ExportTraceSelection,
  ExportTraceWindow,
  ExportTraceOptions,
  ImportTracesOptions,
} from "./base.js";
export { SPAN_TYPES, PHOENIX_KIND_OF_SPAN_TYPE, type SpanType } from "./span-types.js";
export { evaluationScores } from "./evaluation-scores.js";
export { openBackend, type OpenBackendOptions } from "./backend/open-backend.js";
export { PhoenixRestClient, type PhoenixRestClientOptions } from "./rest/rest-client.js";
export * from "./comparison/index.js";
export * from "./transfer/index.js";
export * from "./experiments/index.js";
