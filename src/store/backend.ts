import type { PhoenixSpan } from "../mapping/phoenix-span.js";
import type { PhoenixExperimentStore } from "./experiments/experiment-types.js";

/**
 * The one seam between the connector (and the comparison, export/import and
 * CLI built on it) and where traces live: a Phoenix server over REST
 * (src/connector/rest), or the local store in a directory (`file://DIR`,
 * src/store). Everything above this interface speaks Phoenix's own wire
 * shapes and never asks which back end it has. Spans are written through the
 * exporter's delivery, not through this interface: the exporter picks its
 * sink for an endpoint (the local store's for file://).
 */
export interface PhoenixBackend {
  /** `http://host:6006` or `file:///abs/dir`; never contains credentials. */
  readonly display: string;
  /** `"phoenix"` for a server, `"local"` for the local store (for messages only; code should not branch on it). */
  readonly kind: "phoenix" | "local";

  /** One page of projects, newest first (as Phoenix lists them). Also proves the credentials work. */
  listProjects(cursor?: string): Promise<PhoenixPage<PhoenixProjectRef>>;
  /** A project by name or global id, or undefined when there is none. */
  findProject(identifier: string): Promise<PhoenixProjectRef | undefined>;
  /** The project of that name, created when missing (Phoenix would create it on the first span anyway). */
  ensureProject(name: string): Promise<PhoenixProjectRef>;

  /** One page of a project's spans, newest first. An unknown project has no spans. */
  readSpans(project: string, query?: PhoenixSpanQuery): Promise<PhoenixPage<PhoenixSpan>>;

  /**
   * Stores annotations only for spans/traces already stored (Phoenix's
   * `?sync=true`): when some target is not stored yet nothing is written and
   * the answer says which targets are missing.
   */
  writeAnnotations<T extends PhoenixAnnotationTarget>(
    target: T,
    annotations: ReadonlyArray<PhoenixAnnotationDataOf[T]>,
  ): Promise<PhoenixAnnotationWrite>;
  /** Every annotation of the given spans/traces in a project (all pages), newest first. */
  readAnnotations<T extends PhoenixAnnotationTarget>(
    target: T,
    project: string,
    query: PhoenixAnnotationQuery,
  ): Promise<Array<PhoenixStoredAnnotationOf[T]>>;

  /** Datasets, experiments, runs and their evaluations, in Phoenix's shapes (see experiments/experiment-types.ts). */
  readonly experiments: PhoenixExperimentStore;

  /** Where to see a trace: Phoenix's UI page, or the local spans file with the trace id. */
  traceUrl(project: PhoenixProjectRef, traceId: string): string;

  /** Releases connections. Idempotent. */
  close(): Promise<void>;
}

/** A project as Phoenix names it: `id` is its global id (base64 of `Project:N` on a server). */
export interface PhoenixProjectRef {
  name: string;
  id: string;
}

export interface PhoenixPage<T> {
  data: T[];
  /** Pass back to get the next page; null on the last one. */
  nextCursor: string | null;
}

export interface PhoenixSpanQuery {
  traceIds?: readonly string[];
  spanIds?: readonly string[];
  /** Inclusive lower bound of `start_time`. */
  start?: Date;
  /** Exclusive upper bound of `start_time`. */
  end?: Date;
  /** Spans per page, 1–1000. Default 100. */
  limit?: number;
  cursor?: string;
}

export type PhoenixAnnotationTarget = "span" | "trace";
export type PhoenixAnnotatorKind = "LLM" | "CODE" | "HUMAN";

export interface PhoenixAnnotationResult {
  label?: string | null;
  score?: number | null;
  explanation?: string | null;
}

interface PhoenixAnnotationFields {
  name: string;
  annotator_kind: PhoenixAnnotatorKind;
  result?: PhoenixAnnotationResult | null;
  metadata?: Record<string, unknown> | null;
  /** A non-empty identifier makes the write an upsert of (target, name, identifier). */
  identifier?: string;
}

/** Phoenix's `SpanAnnotationData` (request body item of POST /v1/span_annotations). */
export interface PhoenixSpanAnnotationData extends PhoenixAnnotationFields {
  span_id: string;
}

/** Phoenix's `TraceAnnotationData` (request body item of POST /v1/trace_annotations). */
export interface PhoenixTraceAnnotationData extends PhoenixAnnotationFields {
  trace_id: string;
}

interface PhoenixStoredFields {
  id: string;
  created_at: string;
  updated_at: string;
  source: "API" | "APP";
  user_id: string | null;
  result: PhoenixAnnotationResult | null;
  metadata: Record<string, unknown> | null;
  identifier: string;
}

/** Phoenix's `SpanAnnotation` as read back. */
export type PhoenixSpanAnnotation = Omit<PhoenixSpanAnnotationData, keyof PhoenixStoredFields> & PhoenixStoredFields;
/** Phoenix's `TraceAnnotation` as read back. */
export type PhoenixTraceAnnotation = Omit<PhoenixTraceAnnotationData, keyof PhoenixStoredFields> & PhoenixStoredFields;

export interface PhoenixAnnotationDataOf {
  span: PhoenixSpanAnnotationData;
  trace: PhoenixTraceAnnotationData;
}

export interface PhoenixStoredAnnotationOf {
  span: PhoenixSpanAnnotation;
  trace: PhoenixTraceAnnotation;
}

export type PhoenixAnnotationWrite =
  | { status: "stored"; ids: string[] }
  /** Nothing was written. `missingIds` lists the targets not stored yet, when the back end said which. */
  | { status: "missing"; missingIds: string[] | undefined };

export interface PhoenixAnnotationQuery {
  /** Span ids (span target) or trace ids (trace target). */
  ids: readonly string[];
  /** Only these annotation names. */
  names?: readonly string[];
}

/** The field that names an annotation's target. */
export function annotationTargetId<T extends PhoenixAnnotationTarget>(
  target: T,
  annotation: PhoenixAnnotationDataOf[T] | PhoenixStoredAnnotationOf[T],
): string {
  return target === "span"
    ? (annotation as PhoenixSpanAnnotationData).span_id
    : (annotation as PhoenixTraceAnnotationData).trace_id;
}

/** Every page of a paged read, concatenated. */
export async function readAllPages<T>(read: (cursor: string | undefined) => Promise<PhoenixPage<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await read(cursor);
    out.push(...page.data);
    if (page.nextCursor === null || page.nextCursor === cursor) return out;
    cursor = page.nextCursor;
  }
}

/** True when `value` has the form of a project's global id (base64 of `Project:…`), on a server or in the local store. */
export function isProjectGlobalId(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  return Buffer.from(value, "base64").toString("utf8").startsWith("Project:");
}
