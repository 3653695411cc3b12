import type { PhoenixSpanAnnotation, PhoenixTraceAnnotation } from "../../store/backend.js";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import type { PhoenixDataset, PhoenixDatasetExample, PhoenixExperiment, PhoenixExperimentJsonRow } from "../../store/experiments/experiment-types.js";
import { datasetShape, exampleShape, experimentItemShape, experimentJsonShape } from "../rest/experiment-shapes.js";
import { array, string } from "../rest/response-shapes.js";
import { spanAnnotationsPageShape, spansPageShape, traceAnnotationsPageShape } from "../rest/response-shapes.js";

/**
 * The trace export file: JSON lines, one record per line, each an object
 * with a `type`.
 *
 *   {"type":"header","format":"phoenix-connector.traces","version":1,"exported_at":…,"source":{…},"selection":{…}}
 *   {"type":"span","data":<Phoenix Span, as GET /v1/projects/{p}/spans returns it>}
 *   {"type":"span_annotation","data":<Phoenix SpanAnnotation, as read back>}
 *   {"type":"trace_annotation","data":<Phoenix TraceAnnotation, as read back>}
 *   {"type":"dataset","data":<Phoenix Dataset>,"version_id":…,"examples":[<Phoenix DatasetExample>, …]}
 *   {"type":"experiment","data":<Phoenix Experiment>}
 *   {"type":"experiment_run","experiment_id":…,"data":<one row of GET /v1/experiments/{id}/json: the run, its example's id and its evaluations>}
 *   {"type":"end","spans":N,"span_annotations":N,"trace_annotations":N,"experiments":N,"experiment_runs":N}
 *
 * Experiments (exportTrace's `experiments`, `export --experiment`) come
 * after the spans: each one's dataset version first, then the experiment,
 * then its runs. Readers of version 1 before these records existed skip
 * them as unknown types.
 *
 * The header comes first; an annotation comes after the spans it annotates;
 * the end line comes last, so a file without one was cut short. A reader of
 * version 1 skips records of a type it does not know (later additions);
 * a file of a higher version is refused.
 */
export const TRACE_FILE_FORMAT = "phoenix-connector.traces";
export const TRACE_FILE_VERSION = 1;

export interface TraceFileHeader {
  type: "header";
  format: typeof TRACE_FILE_FORMAT;
  version: number;
  /** When the export started (ISO-8601). */
  exported_at: string;
  /** Where the traces came from (never with credentials). */
  source: { endpoint: string; project: string };
  /** What was exported: trace ids, or a window of span start times (null = open). */
  selection: { trace_ids: string[] } | { start: string | null; end: string | null };
}

export interface TraceFileEnd {
  type: "end";
  spans: number;
  span_annotations: number;
  trace_annotations: number;
  experiments?: number;
  experiment_runs?: number;
}

export interface DatasetRecord {
  type: "dataset";
  data: PhoenixDataset;
  version_id: string;
  examples: PhoenixDatasetExample[];
}

export type ExperimentFileRecord =
  | DatasetRecord
  | { type: "experiment"; data: PhoenixExperiment }
  | { type: "experiment_run"; experiment_id: string; data: PhoenixExperimentJsonRow };

export type TraceFileRecord =
  | TraceFileHeader
  | { type: "span"; data: PhoenixSpan }
  | { type: "span_annotation"; data: PhoenixSpanAnnotation }
  | { type: "trace_annotation"; data: PhoenixTraceAnnotation }
  | ExperimentFileRecord
  | TraceFileEnd
  /** A record type this version does not know: skipped. */
  | { type: "unknown"; name: string };

/** Why a line could not be read; the import counts it and carries on. */
export class TraceFileLineError extends Error {}

/** One line → its record, checked against Phoenix's shapes. */
export function parseTraceFileLine(text: string): TraceFileRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TraceFileLineError("not JSON (a line cut short?)");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TraceFileLineError("not a JSON object");
  const record = value as Record<string, unknown>;
  switch (record.type) {
    case "header":
      return record as unknown as TraceFileHeader;
    case "end":
      return record as unknown as TraceFileEnd;
    case "span":
      return { type: "span", data: checked("span", () => spansPageShape({ data: [record.data] }).data[0]!) };
    case "span_annotation":
      return { type: "span_annotation", data: checked("span annotation", () => spanAnnotationsPageShape({ data: [record.data] }).data[0]!) };
    case "trace_annotation":
      return { type: "trace_annotation", data: checked("trace annotation", () => traceAnnotationsPageShape({ data: [record.data] }).data[0]!) };
    case "dataset":
      return checked("dataset", () => ({
        type: "dataset",
        data: datasetShape(record.data, "data"),
        version_id: string(record.version_id, "version_id"),
        examples: array(record.examples, "examples").map((e, i) => exampleShape(e, `examples[${i}]`)),
      }));
    case "experiment":
      return { type: "experiment", data: checked("experiment", () => experimentItemShape(record.data, "data")) };
    case "experiment_run":
      return checked("experiment run", () => ({
        type: "experiment_run",
        experiment_id: string(record.experiment_id, "experiment_id"),
        data: experimentJsonShape([record.data])[0]!,
      }));
    default:
      if (typeof record.type !== "string") throw new TraceFileLineError("a record without a \"type\"");
      return { type: "unknown", name: record.type };
  }
}

function checked<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new TraceFileLineError(`not a Phoenix ${what}: ${(error as Error).message.replace(/^(data\[0\]|\[0\])/, "its data")}`);
  }
}

export function isTraceFileHeader(record: TraceFileRecord): record is TraceFileHeader {
  return record.type === "header";
}
