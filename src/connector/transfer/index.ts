export { exportTraces, type ExportSelection, type ExportOptions, type ExportProgress, type ExportSummary } from "./export-traces.js";
export {
  importTraceFile,
  DUPLICATES_EXPLAINED,
  type ImportDestination,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
  type NewIdsOption,
} from "./import-traces.js";
export type { ImportCounts } from "./import-checkpoint.js";
export {
  TRACE_FILE_FORMAT,
  TRACE_FILE_VERSION,
  parseTraceFileLine,
  type TraceFileHeader,
  type TraceFileEnd,
  type TraceFileRecord,
} from "./trace-file-format.js";
export { IdRemapper } from "./id-remapper.js";
export { windowTime } from "./window-time.js";
export { PhoenixTraceFileError, PhoenixImportInterruptedError } from "./errors.js";
