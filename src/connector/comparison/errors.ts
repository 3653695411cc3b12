import { PhoenixConnectorError } from "../../errors.js";

/** None of the traces asked for is stored where they were looked for. */
export class PhoenixTraceNotFoundError extends PhoenixConnectorError {
  readonly traceIds: readonly string[];
  constructor(traceIds: readonly string[], where: string) {
    super(
      "PHOENIX_TRACE_NOT_FOUND",
      `None of the traces ${traceIds.join(", ")} is stored in ${where}. ` +
        "Check the trace ids and the project (the projectId option, --project or PHOENIX_PROJECT); " +
        "a trace sent moments ago may not be stored yet (use the wait option, --wait).",
    );
    this.traceIds = traceIds;
  }
}
