import { diag } from "@opentelemetry/api";
import { markExiting } from "./delivery/loss-warning.js";

/**
 * Something holding spans that a process must not lose when it ends: an
 * exporter (its delivery queue) or a processor (its pending batch).
 */
export interface ExitParticipant {
  /** Starts delivering what is pending; undefined when nothing is. */
  flushPending(): Promise<unknown> | undefined;
  /** At `exit`, where nothing asynchronous runs: spool what is pending (or announce its loss), synchronously. */
  settleSync(): void;
}

/**
 * Every live exporter and processor, so that short-lived processes lose
 * nothing by default, without `shutdown()` or `flushOnExit`:
 *
 * - `beforeExit` (the event loop ran dry: a script that simply ends): pending
 *   spans are flushed. That is asynchronous work, which keeps the process
 *   alive until Phoenix has answered; `beforeExit` fires again afterwards and
 *   finds nothing pending.
 * - `exit` (`process.exit()`, an uncaught exception): nothing asynchronous
 *   can run. Pending spans go to the spool when one is configured; without
 *   one their loss is written to stderr at once, with the count and the fix.
 *   Decided against a default spool location: writing users' prompts to a
 *   directory they never chose is a surprise the package should not make;
 *   a loud, counted loss with its remedy (`spoolDir`) is not silent.
 *
 * One listener of each kind for the whole process, whatever the number of
 * exporters. Participants leave at shutdown.
 */
const participants = new Set<ExitParticipant>();
let installed = false;
const flushing = new WeakSet<ExitParticipant>();
/** Flushed once at beforeExit and still pending: not tried again, or a Phoenix that stays silent would hold the process forever. */
const gaveUp = new WeakSet<ExitParticipant>();

export function joinExit(participant: ExitParticipant): void {
  participants.add(participant);
  if (installed) return;
  installed = true;
  process.on("beforeExit", onBeforeExit);
  process.on("exit", onExit);
}

export function leaveExit(participant: ExitParticipant): void {
  participants.delete(participant);
}

function onBeforeExit(): void {
  // Processors joined after their exporters: newest first hands their batches over before the exporters flush.
  for (const participant of [...participants].reverse()) {
    if (flushing.has(participant) || gaveUp.has(participant)) continue;
    let pending: Promise<unknown> | undefined;
    try {
      pending = participant.flushPending();
    } catch (error) {
      diag.error(`phoenix-connector: flush before exit failed: ${(error as Error).message}`);
    }
    if (!pending) continue;
    flushing.add(participant);
    void pending
      .catch((error: unknown) => diag.error(`phoenix-connector: flush before exit failed: ${(error as Error).message}`))
      .finally(() => {
        flushing.delete(participant);
        gaveUp.add(participant);
      });
  }
}

function onExit(): void {
  markExiting();
  for (const participant of [...participants].reverse()) {
    try {
      participant.settleSync();
    } catch (error) {
      diag.error(`phoenix-connector: could not settle pending spans on exit: ${(error as Error).message}`);
    }
  }
}
