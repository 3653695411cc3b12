import { PhoenixConnectorError } from "../../errors.js";

/** A file that is not a trace export this version can read (wrong format, newer version, empty). */
export class PhoenixTraceFileError extends PhoenixConnectorError {
  readonly file: string;
  constructor(file: string, message: string) {
    super("PHOENIX_TRACE_FILE", `${file}: ${message}`);
    this.file = file;
  }
}

/**
 * An import stopped before the end of its file: some spans could not be
 * delivered, or the progress file does not match. What was imported stays
 * imported, and the progress file says where to continue.
 */
export class PhoenixImportInterruptedError extends PhoenixConnectorError {
  readonly file: string;
  /** Lines of the file fully imported (header included); the import continues after them. */
  readonly linesDone: number;
  constructor(file: string, linesDone: number, message: string) {
    super("PHOENIX_IMPORT_INTERRUPTED", message);
    this.file = file;
    this.linesDone = linesDone;
  }
}
