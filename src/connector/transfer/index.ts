export { exportTraces, type ExportSelection, type ExportOptions, type ExportProgress, type ExportSummary } from "./export-traces.js";
export {
  importTraceFile,
  DUPLICATES_EXPLAINED,
  type ImportDestination,
  type ImportSummary,
} from "./import-traces.js";
export type { ImportOptions, ImportFileOptions, ImportProgress, NewIdsOption } from "./import-options.js";
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
export { exportWindow } from "./transfer.js";
export { PhoenixTraceFileError, PhoenixImportInterruptedError } from "./errors.js";
