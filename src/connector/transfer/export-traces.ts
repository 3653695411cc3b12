import type { Writable } from "node:stream";
import type { Clock } from "../../http/clock.js";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import type { PhoenixBackend, PhoenixPage } from "../../store/backend.js";
import { checkTraceIds } from "../comparison/compare-stored.js";
import { PhoenixTraceNotFoundError } from "../comparison/errors.js";
import { SPANS_PER_PAGE, readTraceSpans, type TraceWaitOptions } from "../comparison/read-traces.js";
import { findExperiments, writeExperiments } from "./export-experiments.js";
import { JsonLinesWriter } from "./json-lines-writer.js";
import { TRACE_FILE_FORMAT, TRACE_FILE_VERSION, type TraceFileHeader } from "./trace-file-format.js";

/** What to export: whole traces by id, or a project's traces that have spans started in a window. */
export type ExportSelection =
  | { project: string; traceIds: readonly string[] }
  | { project: string; start?: Date; end?: Date };

export interface ExportProgress {
  spans: number;
  traces: number;
  /** With trace ids: how many of them are done. */
  tracesDone?: number;
  tracesTotal?: number;
}

export interface ExportOptions {
  clock: Clock;
  /** For trace ids: wait for each trace to be stored completely (see compareTraces). */
  wait?: TraceWaitOptions;
  onProgress?: (progress: ExportProgress) => void;
  /** Experiment ids to carry too: their dataset versions, the experiments, their runs and evaluations (after the spans). */
  experiments?: readonly string[];
}

export interface ExportSummary {
  /** The file written, when a path was given. */
  file?: string;
  spans: number;
  spanAnnotations: number;
  traceAnnotations: number;
  traces: number;
  /** Experiments carried, and their runs (when `experiments` were asked for). */
  experiments?: number;
  experimentRuns?: number;
  /** Trace ids asked for and not found. */
  missing: string[];
}

/** Trace ids per look-up when completing traces cut by a window (they travel in the query string). */
const TRACE_IDS_PER_READ = 50;

/**
 * Streams traces to a trace file (format: trace-file-format.ts): spans page
 * by page (1,000 a page), each page followed by the annotations of its spans
 * and of the traces seen first in it. Memory holds one page, plus the ids of
 * the traces seen for a window.
 *
 * A window selects the traces with a span that started in [start, end), and
 * exports them whole: spans of those traces that started before or after
 * the window are fetched too, so every exported trace keeps its root.
 *
 * @throws PhoenixTraceNotFoundError when none of the trace ids is stored (nothing is written)
 */
export async function exportTraces(
  backend: PhoenixBackend,
  selection: ExportSelection,
  output: string | Writable,
  options: ExportOptions,
): Promise<ExportSummary> {
  const byIds = "traceIds" in selection;
  if (byIds) checkTraceIds(selection.traceIds);
  const experiments = options.experiments && options.experiments.length > 0 ? await findExperiments(backend, options.experiments) : [];
  const writer = typeof output === "string" ? await JsonLinesWriter.toFile(output) : JsonLinesWriter.toStream(output);
  const summary: ExportSummary = { spans: 0, spanAnnotations: 0, traceAnnotations: 0, traces: 0, missing: [] };
  if (typeof output === "string") summary.file = output;
  const { project } = selection;
  const tracesSeen = new Set<string>();
  let tracesDone = 0;
  const progress = () =>
    options.onProgress?.({
      spans: summary.spans,
      traces: tracesSeen.size,
      ...(byIds ? { tracesDone, tracesTotal: new Set(selection.traceIds).size } : {}),
    });

  /** One page: its spans, then the annotations of those spans and of traces not seen before. */
  const writePage = async (spans: readonly PhoenixSpan[]) => {
    if (spans.length === 0) return;
    for (const span of spans) await writer.write({ type: "span", data: span });
    summary.spans += spans.length;
    const spanAnnotations = await backend.readAnnotations("span", project, { ids: spans.map((s) => s.context.span_id) });
    for (const annotation of spanAnnotations) await writer.write({ type: "span_annotation", data: annotation });
    summary.spanAnnotations += spanAnnotations.length;
    const newTraces = [...new Set(spans.map((s) => s.context.trace_id))].filter((id) => !tracesSeen.has(id));
    for (const id of newTraces) tracesSeen.add(id);
    if (newTraces.length > 0) {
      const traceAnnotations = await backend.readAnnotations("trace", project, { ids: newTraces });
      for (const annotation of traceAnnotations) await writer.write({ type: "trace_annotation", data: annotation });
      summary.traceAnnotations += traceAnnotations.length;
    }
  };
  const writeAllPages = async (read: (cursor: string | undefined) => Promise<PhoenixPage<PhoenixSpan>>) => {
    let cursor: string | undefined;
    for (;;) {
      const page = await read(cursor);
      await writePage(page.data);
      progress();
      if (page.nextCursor === null || page.nextCursor === cursor) return;
      cursor = page.nextCursor;
    }
  };

  try {
    const header: TraceFileHeader = {
      type: "header",
      format: TRACE_FILE_FORMAT,
      version: TRACE_FILE_VERSION,
      exported_at: new Date().toISOString(),
      source: { endpoint: backend.display, project },
      selection: byIds
        ? { trace_ids: [...selection.traceIds] }
        : { start: selection.start?.toISOString() ?? null, end: selection.end?.toISOString() ?? null },
    };
    await writer.write(header);
    if (byIds) {
      const ids = [...new Set(selection.traceIds)];
      for (const [index, traceId] of ids.entries()) {
        const before = summary.spans;
        if (options.wait?.timeoutMillis) {
          // Waiting means reading the trace whole first; it is one trace, so it fits.
          const { spans } = await readTraceSpans(backend, project, traceId, { wait: options.wait, clock: options.clock });
          for (let i = 0; i < spans.length; i += SPANS_PER_PAGE) await writePage(spans.slice(i, i + SPANS_PER_PAGE));
        } else {
          await writeAllPages((cursor) => backend.readSpans(project, { traceIds: [traceId], limit: SPANS_PER_PAGE, ...(cursor ? { cursor } : {}) }));
        }
        if (summary.spans === before) summary.missing.push(traceId);
        tracesDone = index + 1;
        progress();
      }
      if (summary.missing.length === ids.length) throw new PhoenixTraceNotFoundError(ids, `project ${JSON.stringify(project)} of ${backend.display}`);
    } else {
      const { start, end } = selection;
      await writeAllPages((cursor) =>
        backend.readSpans(project, { limit: SPANS_PER_PAGE, ...(start ? { start } : {}), ...(end ? { end } : {}), ...(cursor ? { cursor } : {}) }),
      );
      // Complete the traces the window cut: their spans that started before it, or at or after its end.
      const cut = [...tracesSeen];
      for (let i = 0; i < cut.length && (start || end); i += TRACE_IDS_PER_READ) {
        const traceIds = cut.slice(i, i + TRACE_IDS_PER_READ);
        for (const bound of [start ? { end: start } : undefined, end ? { start: end } : undefined]) {
          if (!bound) continue;
          await writeAllPages((cursor) => backend.readSpans(project, { traceIds, limit: SPANS_PER_PAGE, ...bound, ...(cursor ? { cursor } : {}) }));
        }
      }
    }
    summary.traces = tracesSeen.size;
    const carried = await writeExperiments(backend, experiments, writer);
    if (options.experiments) Object.assign(summary, { experiments: carried.experiments, experimentRuns: carried.runs });
    await writer.write({
      type: "end",
      spans: summary.spans,
      span_annotations: summary.spanAnnotations,
      trace_annotations: summary.traceAnnotations,
      ...(experiments.length > 0 ? { experiments: carried.experiments, experiment_runs: carried.runs } : {}),
    });
    await writer.close();
    return summary;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
