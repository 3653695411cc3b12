import type { Writable } from "node:stream";
import { PhoenixInputError } from "../../errors.js";
import { PhoenixSpanExporter } from "../../exporter/exporter.js";
import { PhoenixSpanProcessor } from "../../exporter/processor.js";
import type { PhoenixAnnotationDataOf, PhoenixAnnotationTarget } from "../../store/backend.js";
import type { ExportTraceOptions, ExportTraceSelection, ExportTraceWindow, ImportTracesOptions, TimeInput } from "../base.js";
import { checkTraceIds } from "../comparison/compare-stored.js";
import type { Connection } from "../connection.js";
import { definedOnly } from "../defined-only.js";
import type { PhoenixConnectorOptions } from "../options.js";
import { exportTraces, type ExportSummary } from "./export-traces.js";
import { importTraceFile, type ImportSummary } from "./import-traces.js";
import { windowTime } from "./window-time.js";

/**
 * An export window's bounds, each a time with a zone, a date or a duration
 * back from now (see window-time.ts); the end must be after the start.
 * `names` are the fields as the caller knows them (`--since`/`--until` on
 * the command line).
 *
 * @throws PhoenixInputError for a bound that is not a time, or an end not after the start
 */
export function exportWindow(
  bounds: { start?: TimeInput | undefined; end?: TimeInput | undefined },
  names: { start: string; end: string } = { start: "start", end: "end" },
  now: number = Date.now(),
): { start?: Date; end?: Date } {
  const start = bounds.start === undefined ? undefined : windowTime(bounds.start, names.start, now);
  const end = bounds.end === undefined ? undefined : windowTime(bounds.end, names.end, now);
  if (start && end && end.getTime() <= start.getTime()) {
    throw new PhoenixInputError(`The window's end (${names.end} ${end.toISOString()}) is not after its start (${names.start} ${start.toISOString()}).`);
  }
  return definedOnly({ start, end });
}

/**
 * Streams traces to a trace file: job (trace) ids, each from its job's
 * project, or a window of a project.
 */
export async function exportTrace(
  connection: Connection,
  selection: ExportTraceSelection,
  output: string | Writable,
  options: ExportTraceOptions,
): Promise<ExportSummary> {
  const { clock } = connection;
  const progress = definedOnly({ onProgress: options.onProgress, experiments: options.experiments });
  if (typeof selection === "string" || Array.isArray(selection)) {
    const ids: string[] = typeof selection === "string" ? [selection] : [...(selection as readonly string[])];
    checkTraceIds(ids);
    const projects = new Set(ids.map((id) => connection.jobs.find(id)?.project.name ?? options.projectId ?? connection.project.name));
    if (projects.size > 1) {
      throw new PhoenixInputError(`These traces are in different projects (${[...projects].join(", ")}): export one project at a time.`);
    }
    return exportTraces(connection.backend, { project: [...projects][0]!, traceIds: ids }, output, {
      clock,
      ...progress,
      ...definedOnly({ wait: options.wait }),
    });
  }
  if (typeof selection !== "object" || selection === null) {
    throw new PhoenixInputError("exportTrace takes a job (trace) id, an array of them, or { projectId, start, end }.");
  }
  const window = selection as ExportTraceWindow;
  const project = window.projectId ?? options.projectId ?? connection.project.name;
  return exportTraces(connection.backend, { project, ...exportWindow(window) }, output, { clock, ...progress });
}

/**
 * Imports a trace file into a project: spans through an exporter's delivery,
 * annotations through the connector's queue. The exporter is the call's
 * `exporter`, else the connector's pipeline when it was given one (its
 * `exporter`, or the exporter of a shared `PhoenixSpanProcessor`), else a
 * new one on connect()'s endpoint with the connector's `retry` and `clock`,
 * shut down at the end.
 */
export async function importTraces(
  connection: Connection,
  connector: PhoenixConnectorOptions,
  file: string,
  options: ImportTracesOptions,
): Promise<ImportSummary> {
  const project = await connection.projectFor(options.projectId);
  const shared =
    options.exporter ?? connector.exporter ?? (connector.spanProcessor instanceof PhoenixSpanProcessor ? connector.spanProcessor.exporter : undefined);
  const exporter =
    shared ?? new PhoenixSpanExporter({ ...connection.connectionOptions, ...definedOnly({ retry: connector.retry }) }, { clock: connection.clock });
  const { projectId: _projectId, exporter: _exporter, ...fileOptions } = options;
  try {
    return await importTraceFile(
      file,
      {
        display: connection.backend.display,
        sendSpans: (name, spans) => exporter.sendPhoenixSpans(name, spans),
        sendAnnotations: (target, list) => sendAnnotations(connection, target, list),
        trouble: () => exporter.stats().degradedReason,
        experiments: connection.backend.experiments,
      },
      { project: project.name, ...definedOnly(fileOptions) },
    );
  } finally {
    if (!shared) await exporter.shutdown();
  }
}

/** The connector's own annotation sending: queued, sent after their spans, sync, bounded retries. */
async function sendAnnotations<T extends PhoenixAnnotationTarget>(
  connection: Connection,
  target: T,
  list: ReadonlyArray<PhoenixAnnotationDataOf[T]>,
): Promise<{ stored: number; failed: number }> {
  const outcomes = list.map((data) => connection.annotations.add(target, data));
  await connection.annotations.flush();
  const stored = (await Promise.all(outcomes)).filter(Boolean).length;
  return { stored, failed: list.length - stored };
}
