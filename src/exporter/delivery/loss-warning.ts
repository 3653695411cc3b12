import { writeSync } from "node:fs";
import { diag } from "@opentelemetry/api";

/** The stable code of the process warning a loss of spans raises (`process.on("warning")` sees it). */
export const SPANS_LOST_WARNING = "PHOENIX_CONNECTOR_SPANS_LOST";

const announced = new Set<string>();
let exiting = false;

/**
 * Says that spans were lost, where nobody may have set a `diag` logger: every
 * time through `diag.warn`, and the first time per reason in this process as
 * a Node.js process warning (printed to stderr by default), so that loss is
 * never silent. In an `exit` handler a process warning would never be
 * printed (it is emitted on a later tick), so it is written to stderr directly.
 */
export function announceLoss(reason: string, count: number, explanation: string): void {
  const message = `phoenix-connector: ${count} span${count === 1 ? "" : "s"} lost (${reason}): ${explanation}`;
  diag.warn(message);
  if (announced.has(reason)) return;
  announced.add(reason);
  const detail = "Later losses for this reason are logged through the OpenTelemetry diag logger only; stats() counts them all.";
  if (exiting) {
    try {
      writeSync(2, `(node:${process.pid}) Warning [${SPANS_LOST_WARNING}]: ${message}\n${detail}\n`);
    } catch {
      // stderr is gone; nothing else can be done at exit.
    }
    return;
  }
  process.emitWarning(message, { code: SPANS_LOST_WARNING, detail });
}

/** Called by the exit hook before it spools: from then on, warnings are written synchronously. */
export function markExiting(): void {
  exiting = true;
}
