import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { RejectedSpan } from "../../exporter/delivery/span-sink.js";
import type { SubmitOutcome } from "../../exporter/delivery/delivery-queue.js";
import { PhoenixInputError } from "../../errors.js";
import type { PhoenixAttributes, PhoenixSpan } from "../../mapping/phoenix-span.js";
import type {
  PhoenixAnnotationDataOf,
  PhoenixAnnotationTarget,
  PhoenixSpanAnnotation,
  PhoenixTraceAnnotation,
} from "../../store/backend.js";
import { keepingProcessAlive } from "../keep-alive.js";
import { PhoenixImportInterruptedError, PhoenixTraceFileError } from "./errors.js";
import { readFileLines } from "./file-lines.js";
import { ExperimentRecords, type ExperimentImportCounts } from "./import-experiments.js";
import type { PhoenixExperimentStore } from "../../store/experiments/experiment-types.js";
import { IdRemapper } from "./id-remapper.js";
import {
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
  type ImportCheckpoint,
  type ImportCounts,
} from "./import-checkpoint.js";
import type { ImportOptions, NewIdsOption } from "./import-options.js";
import { TRACE_FILE_FORMAT, TRACE_FILE_VERSION, TraceFileLineError, parseTraceFileLine, type TraceFileHeader } from "./trace-file-format.js";

/** Where an import sends: the exporter's delivery for spans, the connector's annotation queue for annotations. */
export interface ImportDestination {
  /** For messages and the progress file (no credentials). */
  display: string;
  /** Sends spans through the exporter's delivery (PhoenixSpanExporter.sendPhoenixSpans). */
  sendSpans(project: string, spans: readonly PhoenixSpan[]): Promise<SubmitOutcome>;
  /** Sends annotations once their targets are stored (sync, bounded retries); resolves with what was stored. */
  sendAnnotations<T extends PhoenixAnnotationTarget>(target: T, annotations: ReadonlyArray<PhoenixAnnotationDataOf[T]>): Promise<{ stored: number; failed: number }>;
  /** What is wrong with delivery right now (Phoenix unreachable…), while spans wait; undefined when nothing. */
  trouble?(): string | undefined;
  /** Where the file's experiments go (import-experiments.ts); without it they are skipped. */
  experiments?: PhoenixExperimentStore;
}

export interface ImportSummary extends ImportCounts {
  file: string;
  project: string;
  destination: string;
  /** The seed of the new ids; null when the ids were kept. Pass it as `newIds: { seed }` to reproduce the copy. */
  newIdsSeed: string | null;
  /** Line the import resumed after, when it did. */
  resumedAfterLine?: number;
  /** The first refusals and unreadable lines, with their reasons (at most 20). */
  failures: Array<{ line?: number; spanId?: string; reason: string }>;
  /** Whether the file ended with its end line; false means its export was cut short. */
  complete: boolean;
  /** What the counts mean, in words (duplicates explained, a cut-off file…). */
  notes: string[];
  /** The file's experiments, when it has some. */
  experiments?: ExperimentImportCounts;
}

const DEFAULT_SPANS_PER_CHUNK = 500;
const MAX_FAILURES_LISTED = 20;
const WAITING_CHECK_MILLIS = 1_000;

export const DUPLICATES_EXPLAINED =
  "already stored — Phoenix refuses a span id it stores in any project; use --new-ids (newIds: true) to copy";

/**
 * Imports a trace file: spans through the exporter's delivery (bounds,
 * retries, partial-batch recovery, duplicates counted), then their
 * annotations, chunk by chunk, keeping a progress file so that an
 * interrupted import continues where it stopped (`resume`).
 *
 * Annotations keep their identifier; one without is given
 * `imported-<its id in the source>`, so importing a file again updates its
 * annotations instead of adding copies.
 *
 * @throws PhoenixTraceFileError when the file is not a trace export (nothing is sent)
 * @throws PhoenixInputError when an interrupted import's progress file is in the way (pass resume or restart)
 * @throws PhoenixImportInterruptedError when spans could not be delivered; the progress file says where to continue
 */
export function importTraceFile(file: string, destination: ImportDestination, options: ImportOptions): Promise<ImportSummary> {
  // Waits for Phoenix (retries, annotations' targets) are unref'd; the caller awaits this import on purpose.
  return keepingProcessAlive(() => importFile(file, destination, options));
}

async function importFile(file: string, destination: ImportDestination, options: ImportOptions): Promise<ImportSummary> {
  const path = resolve(file);
  const progressFile = options.progressFile ?? `${path}.import-progress.json`;
  const spansPerChunk = options.spansPerChunk ?? DEFAULT_SPANS_PER_CHUNK;
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new PhoenixTraceFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  if (!info.isFile()) throw new PhoenixTraceFileError(file, "is not a file.");
  await readHeader(file);

  const fresh: ImportCheckpoint = {
    format: "phoenix-connector.import-progress",
    version: 1,
    file: path,
    size: info.size,
    mtimeMs: info.mtimeMs,
    destination: destination.display,
    project: options.project,
    seed: newIdsSeed(options.newIds),
    offset: 0,
    line: 0,
    counts: { sent: 0, duplicates: 0, failed: 0, annotationsStored: 0, annotationsFailed: 0 },
    updated_at: new Date().toISOString(),
  };
  const checkpoint = await startingPoint(file, progressFile, fresh, options);
  const remapper = checkpoint.seed === null ? undefined : new IdRemapper(checkpoint.seed);
  const counts = { ...checkpoint.counts };
  const failures: ImportSummary["failures"] = [];
  const fail = (failure: ImportSummary["failures"][number]) => {
    if (failures.length < MAX_FAILURES_LISTED) failures.push(failure);
  };
  let complete = false;
  const skippedTypes = new Set<string>();
  let lineNumber = checkpoint.line;
  let chunk: Chunk;
  // Spans refused in this run: their annotations would wait for a span that never comes.
  const refusedSpans = new Set<string>();
  const experiments = new ExperimentRecords();

  const report = (offset: number, waiting?: string) =>
    options.onProgress?.({ bytesDone: offset, bytesTotal: info.size, counts: { ...counts }, ...(waiting ? { waiting } : {}) });

  const settle = async () => {
    if (chunk.spans.length > 0) {
      const outcome = await whileWaiting(destination.sendSpans(options.project, chunk.spans), destination, (w) => report(chunk.offset, w));
      counts.sent += outcome.delivered;
      counts.duplicates += outcome.duplicates;
      counts.failed += outcome.rejected.length;
      for (const rejected of outcome.rejected) {
        refusedSpans.add(rejected.spanId);
        fail({ spanId: rejected.spanId, reason: rejectionText(rejected) });
      }
      if (outcome.undelivered > 0) {
        // The progress file still points at the start of this chunk: a resumed import sends it again
        // (what was delivered of it then counts as duplicates).
        throw new PhoenixImportInterruptedError(
          file,
          chunk.startLine,
          `${outcome.undelivered} span(s) of ${file} could not be delivered to ${destination.display} (see the diag log); ` +
            `the import stopped after line ${chunk.startLine}. Run it again with --resume (resume: true) to continue from there.`,
        );
      }
    }
    const spanAnnotations = chunk.spanAnnotations.filter((a) => !refusedSpans.has(a.span_id));
    counts.annotationsFailed += chunk.spanAnnotations.length - spanAnnotations.length;
    for (const [target, list] of [["span", spanAnnotations], ["trace", chunk.traceAnnotations]] as const) {
      if (list.length === 0) continue;
      const result = await destination.sendAnnotations(target, list as never);
      counts.annotationsStored += result.stored;
      counts.annotationsFailed += result.failed;
      if (result.failed > 0) fail({ reason: `${result.failed} ${target} annotation(s) not stored (see the diag log)` });
    }
    await writeCheckpoint(progressFile, { ...checkpoint, offset: chunk.offset, line: chunk.line, counts: { ...counts }, updated_at: new Date().toISOString() });
    report(chunk.offset);
    chunk = newChunk(chunk.offset, chunk.line);
  };

  // Written before anything is sent: an import interrupted in its first chunk resumes with the same new-id seed.
  if (checkpoint === fresh) await writeCheckpoint(progressFile, fresh);
  chunk = newChunk(checkpoint.offset, checkpoint.line);
  for await (const { text, end } of readFileLines(path, checkpoint.offset)) {
    lineNumber++;
    chunk.offset = end;
    chunk.line = lineNumber;
    if (text.trim() === "") continue;
    let record;
    try {
      record = parseTraceFileLine(text);
    } catch (error) {
      if (!(error instanceof TraceFileLineError)) throw error;
      counts.failed++;
      fail({ line: lineNumber, reason: `line ${lineNumber} is ${error.message}` });
      continue;
    }
    // Complete when the last record is an end line (exports joined with `cat` have one each).
    complete = record.type === "end";
    switch (record.type) {
      case "header":
        // The first line was checked; a later one starts the next of several joined exports.
        break;
      case "span":
        chunk.spans.push(importedSpan(record.data, remapper));
        break;
      case "span_annotation":
        chunk.spanAnnotations.push(importedAnnotation("span", record.data, remapper));
        break;
      case "trace_annotation":
        chunk.traceAnnotations.push(importedAnnotation("trace", record.data, remapper));
        break;
      case "dataset":
      case "experiment":
      case "experiment_run":
        experiments.add(record);
        break;
      case "end":
        break;
      case "unknown":
        skippedTypes.add(record.name);
        break;
    }
    if (chunk.spans.length >= spansPerChunk) await settle();
  }
  await settle();
  // After every span: a run names its trace. An import that stops here is done again with restart (experiments are found again).
  const experimentCounts =
    experiments.empty || !destination.experiments
      ? undefined
      : await experiments.importInto(destination.experiments, { display: destination.display, remapper, seed: checkpoint.seed, fail: (reason) => fail({ reason }) });
  await removeCheckpoint(progressFile);

  const notes: string[] = [];
  if (checkpoint.line > 0) notes.push(`Resumed an interrupted import after line ${checkpoint.line}; the counts include the earlier run.`);
  if (counts.duplicates > 0) {
    notes.push(`${counts.duplicates} span(s) ${DUPLICATES_EXPLAINED}.`);
    if (counts.annotationsStored > 0) notes.push("Annotations carry an identifier, so those already stored were updated, not added again.");
  }
  // A resumed import with nothing left to read saw no end line, but the earlier run did.
  if (!complete && lineNumber > checkpoint.line) notes.push(`${file} has no end line: the export that wrote it was cut short; imported what it holds.`);
  if (skippedTypes.size > 0) notes.push(`Skipped records of a type this version does not know: ${[...skippedTypes].join(", ")}.`);
  const summary: ImportSummary = {
    ...counts,
    file,
    project: options.project,
    destination: destination.display,
    newIdsSeed: checkpoint.seed,
    failures,
    complete,
    notes,
  };
  if (checkpoint.line > 0) summary.resumedAfterLine = checkpoint.line;
  if (experimentCounts) summary.experiments = experimentCounts;
  return summary;
}

interface Chunk {
  spans: PhoenixSpan[];
  spanAnnotations: Array<PhoenixAnnotationDataOf["span"]>;
  traceAnnotations: Array<PhoenixAnnotationDataOf["trace"]>;
  /** Where the chunk started (what a failed chunk rolls back to). */
  startOffset: number;
  startLine: number;
  /** Past its last line so far. */
  offset: number;
  line: number;
}

function newChunk(offset = 0, line = 0): Chunk {
  return { spans: [], spanAnnotations: [], traceAnnotations: [], startOffset: offset, startLine: line, offset, line };
}

async function readHeader(file: string): Promise<TraceFileHeader> {
  const notExport = (why: string) =>
    new PhoenixTraceFileError(file, `is not a trace export: its first line ${why}, not a "${TRACE_FILE_FORMAT}" header. Write one with exportTrace or \`phoenix-connector export\`.`);
  for await (const { text } of readFileLines(file)) {
    let record;
    try {
      record = parseTraceFileLine(text);
    } catch (error) {
      throw notExport(`is ${(error as Error).message}`);
    }
    if (record.type !== "header") throw notExport(`is a record of type "${record.type === "unknown" ? record.name : record.type}"`);
    if (record.format !== TRACE_FILE_FORMAT) throw notExport(`is a header of the format ${JSON.stringify(record.format)}`);
    if (typeof record.version !== "number" || record.version > TRACE_FILE_VERSION) {
      throw new PhoenixTraceFileError(file, `is version ${String(record.version)} of the trace format; this phoenix-connector reads version ${TRACE_FILE_VERSION}. Update phoenix-connector.`);
    }
    return record;
  }
  throw new PhoenixTraceFileError(file, "is empty.");
}

function newIdsSeed(option: NewIdsOption | undefined): string | null {
  if (option === undefined || option === false) return null;
  if (option === true) return new IdRemapper().seed;
  if (typeof option === "object" && option !== null && typeof option.seed === "string" && option.seed !== "") return option.seed;
  throw new PhoenixInputError("newIds must be true, false or { seed: \"a non-empty string\" }.");
}

/** Where to start: the beginning, or after the lines an interrupted import of the same file already did. */
async function startingPoint(file: string, progressFile: string, fresh: ImportCheckpoint, options: ImportOptions): Promise<ImportCheckpoint> {
  const found = await readCheckpoint(progressFile);
  if (found.state === "none" || options.restart) return fresh;
  if (found.state === "unreadable") {
    throw new PhoenixInputError(`The progress file ${progressFile} cannot be read. Remove it, or pass restart: true (--restart) to import ${file} from the start.`);
  }
  const { checkpoint } = found;
  const done = `An earlier import of ${file} into project ${JSON.stringify(checkpoint.project)} stopped after line ${checkpoint.line} (${checkpoint.counts.sent} span(s) sent)`;
  if (!options.resume) {
    throw new PhoenixInputError(`${done}. Pass resume: true (--resume) to continue it, or restart: true (--restart) to start over.`);
  }
  if (checkpoint.size !== fresh.size || checkpoint.mtimeMs !== fresh.mtimeMs) {
    throw new PhoenixInputError(`${done}, but ${file} has changed since. Pass restart: true (--restart) to import it from the start.`);
  }
  if (checkpoint.project !== fresh.project || checkpoint.destination !== fresh.destination) {
    throw new PhoenixInputError(
      `${done} at ${checkpoint.destination}; this import goes to project ${JSON.stringify(fresh.project)} at ${fresh.destination}. Resume with the same destination, or pass restart: true (--restart).`,
    );
  }
  if (options.newIds !== undefined && (checkpoint.seed === null) !== (fresh.seed === null)) {
    throw new PhoenixInputError(`${done} ${checkpoint.seed === null ? "keeping the ids" : "with new ids"}; resume it the same way, or pass restart: true (--restart).`);
  }
  if (typeof options.newIds === "object" && checkpoint.seed !== options.newIds.seed) {
    throw new PhoenixInputError(`${done} with another new-id seed; resume it without a seed (the progress file keeps its own), or pass restart: true (--restart).`);
  }
  return checkpoint;
}

/** Phoenix drops an attribute whose value is an object (read back as `{}`): such values are left out. */
function importedAttributes(attributes: PhoenixAttributes): PhoenixAttributes {
  const out: PhoenixAttributes = {};
  for (const [key, value] of Object.entries(attributes as Record<string, unknown>)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")) {
      out[key] = value as PhoenixAttributes[string];
    }
  }
  return out;
}

function importedSpan(span: PhoenixSpan, remapper: IdRemapper | undefined): PhoenixSpan {
  const copy: PhoenixSpan = {
    ...span,
    attributes: importedAttributes(span.attributes),
    events: span.events.map((e) => ({ ...e, attributes: importedAttributes(e.attributes) })),
  };
  if (!remapper) return copy;
  return {
    ...copy,
    context: { trace_id: remapper.traceId(span.context.trace_id), span_id: remapper.spanId(span.context.span_id) },
    parent_id: span.parent_id === null ? null : remapper.spanId(span.parent_id),
  };
}

/** The write form of a stored annotation, retargeted under new ids. */
function importedAnnotation<T extends PhoenixAnnotationTarget>(
  target: T,
  stored: T extends "span" ? PhoenixSpanAnnotation : PhoenixTraceAnnotation,
  remapper: IdRemapper | undefined,
): PhoenixAnnotationDataOf[T] {
  const metadata = stored.metadata ? { ...stored.metadata } : {};
  if (remapper) {
    // The connector records related spans in metadata (span_id, hallucination_span_id): they follow the copy.
    for (const [key, value] of Object.entries(metadata)) {
      if (key.endsWith("span_id") && typeof value === "string" && /^[0-9a-f]{16}$/.test(value)) metadata[key] = remapper.spanId(value);
    }
  }
  const data = {
    name: stored.name,
    annotator_kind: stored.annotator_kind,
    // Null parts are what Phoenix reads back for parts never given: leave them out again.
    result: stored.result === null ? null : Object.fromEntries(Object.entries(stored.result).filter(([, v]) => v !== null && v !== undefined)),
    metadata,
    identifier: stored.identifier !== "" ? stored.identifier : `imported-${stored.id}`,
  };
  if (target === "span") {
    const spanId = (stored as PhoenixSpanAnnotation).span_id;
    return { ...data, span_id: remapper ? remapper.spanId(spanId) : spanId } as PhoenixAnnotationDataOf[T];
  }
  const traceId = (stored as PhoenixTraceAnnotation).trace_id;
  return { ...data, trace_id: remapper ? remapper.traceId(traceId) : traceId } as PhoenixAnnotationDataOf[T];
}

function rejectionText(rejected: RejectedSpan): string {
  return `span ${rejected.spanId} refused: ${rejected.reason}`;
}

/** Awaits a delivery, telling the caller every second what delivery waits for (Phoenix down…), if anything. */
async function whileWaiting<T>(work: Promise<T>, destination: ImportDestination, onWaiting: (reason: string) => void): Promise<T> {
  if (!destination.trouble) return work;
  const timer = setInterval(() => {
    const reason = destination.trouble?.();
    if (reason) onWaiting(reason);
  }, WAITING_CHECK_MILLIS);
  timer.unref();
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
