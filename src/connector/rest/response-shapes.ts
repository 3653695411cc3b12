import { PhoenixResponseError } from "../../errors.js";
import { isPhoenixSpanKind, type PhoenixAttributes, type PhoenixSpan, type PhoenixSpanEvent, type PhoenixStatusCode } from "../../mapping/phoenix-span.js";
import type {
  PhoenixAnnotationResult,
  PhoenixAnnotatorKind,
  PhoenixPage,
  PhoenixProjectRef,
  PhoenixSpanAnnotation,
  PhoenixTraceAnnotation,
} from "../../store/backend.js";

/**
 * Checks of the Phoenix answers the connector depends on, against the shapes
 * of Phoenix 20.3's openapi.json. A body that does not match is a typed
 * `PhoenixResponseError` naming the field, never a crash deeper down. Written
 * by hand: the few shapes are small, and a schema validator would be a new
 * runtime dependency for a handful of checks.
 */
type Json = Record<string, unknown>;

export class ShapeError extends Error {}

export function object(value: unknown, where: string): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ShapeError(`${where} is not an object`);
  return value as Json;
}

export function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} is not an array`);
  return value;
}

export function string(value: unknown, where: string): string {
  if (typeof value !== "string") throw new ShapeError(`${where} is not a string`);
  return value;
}

export function optionalString(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  return string(value, where);
}

export function nullableNumber(value: unknown, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number") throw new ShapeError(`${where} is not a number`);
  return value;
}

export function page<T>(body: unknown, item: (value: unknown, where: string) => T): PhoenixPage<T> {
  const root = object(body, "the body");
  const data = array(root.data, "data").map((v, i) => item(v, `data[${i}]`));
  const next = root.next_cursor;
  return { data, nextCursor: typeof next === "string" && next !== "" ? next : null };
}

/** Runs a check; a mismatch becomes a PhoenixResponseError that says which route answered what. */
export function checkShape<T>(route: string, statusCode: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new PhoenixResponseError(
      statusCode,
      `Phoenix answered ${route} with an unexpected body (${error.message}). Is the endpoint a Phoenix server (10.12 or newer)?`,
    );
  }
}

export function projectShape(value: unknown, where: string): PhoenixProjectRef {
  const project = object(value, where);
  return { name: string(project.name, `${where}.name`), id: string(project.id, `${where}.id`) };
}

export const projectsPageShape = (body: unknown): PhoenixPage<PhoenixProjectRef> => page(body, projectShape);

export const projectBodyShape = (body: unknown): PhoenixProjectRef => projectShape(object(body, "the body").data, "data");

const STATUS_CODES: ReadonlySet<string> = new Set(["OK", "ERROR", "UNSET"]);

function attributes(value: unknown, where: string): PhoenixAttributes {
  if (value === undefined || value === null) return {};
  return object(value, where) as PhoenixAttributes;
}

function spanShape(value: unknown, where: string): PhoenixSpan {
  const span = object(value, where);
  const context = object(span.context, `${where}.context`);
  const kind = string(span.span_kind, `${where}.span_kind`);
  const status = string(span.status_code, `${where}.status_code`);
  const parent = span.parent_id;
  return {
    name: string(span.name, `${where}.name`),
    context: {
      trace_id: string(context.trace_id, `${where}.context.trace_id`),
      span_id: string(context.span_id, `${where}.context.span_id`),
    },
    span_kind: isPhoenixSpanKind(kind) ? kind : "UNKNOWN",
    parent_id: parent === null || parent === undefined ? null : string(parent, `${where}.parent_id`),
    start_time: string(span.start_time, `${where}.start_time`),
    end_time: string(span.end_time, `${where}.end_time`),
    status_code: (STATUS_CODES.has(status) ? status : "UNSET") as PhoenixStatusCode,
    status_message: optionalString(span.status_message, `${where}.status_message`) ?? "",
    attributes: attributes(span.attributes, `${where}.attributes`),
    events: (span.events === undefined ? [] : array(span.events, `${where}.events`)).map((e, i): PhoenixSpanEvent => {
      const event = object(e, `${where}.events[${i}]`);
      return {
        name: string(event.name, `${where}.events[${i}].name`),
        timestamp: string(event.timestamp, `${where}.events[${i}].timestamp`),
        attributes: attributes(event.attributes, `${where}.events[${i}].attributes`),
      };
    }),
  };
}

export const spansPageShape = (body: unknown): PhoenixPage<PhoenixSpan> => page(body, spanShape);

export function insertedIdsShape(body: unknown): string[] {
  return array(object(body, "the body").data, "data").map((v, i) => string(object(v, `data[${i}]`).id, `data[${i}].id`));
}

const ANNOTATOR_KINDS: ReadonlySet<string> = new Set(["LLM", "CODE", "HUMAN"]);

function resultShape(value: unknown, where: string): PhoenixAnnotationResult | null {
  if (value === null || value === undefined) return null;
  const result = object(value, where);
  const score = result.score;
  if (score !== null && score !== undefined && typeof score !== "number") throw new ShapeError(`${where}.score is not a number`);
  return {
    label: optionalString(result.label, `${where}.label`),
    score: typeof score === "number" ? score : null,
    explanation: optionalString(result.explanation, `${where}.explanation`),
  };
}

function storedAnnotationFields(value: unknown, where: string) {
  const a = object(value, where);
  const kind = string(a.annotator_kind, `${where}.annotator_kind`);
  if (!ANNOTATOR_KINDS.has(kind)) throw new ShapeError(`${where}.annotator_kind is ${JSON.stringify(kind)}`);
  const metadata = a.metadata === null || a.metadata === undefined ? null : object(a.metadata, `${where}.metadata`);
  return {
    raw: a,
    fields: {
      id: string(a.id, `${where}.id`),
      created_at: string(a.created_at, `${where}.created_at`),
      updated_at: string(a.updated_at, `${where}.updated_at`),
      source: (a.source === "APP" ? "APP" : "API") as "API" | "APP",
      user_id: optionalString(a.user_id, `${where}.user_id`),
      name: string(a.name, `${where}.name`),
      annotator_kind: kind as PhoenixAnnotatorKind,
      result: resultShape(a.result, `${where}.result`),
      metadata,
      identifier: optionalString(a.identifier, `${where}.identifier`) ?? "",
    },
  };
}

export const spanAnnotationsPageShape = (body: unknown): PhoenixPage<PhoenixSpanAnnotation> =>
  page(body, (value, where) => {
    const { raw, fields } = storedAnnotationFields(value, where);
    return { ...fields, span_id: string(raw.span_id, `${where}.span_id`) };
  });

export const traceAnnotationsPageShape = (body: unknown): PhoenixPage<PhoenixTraceAnnotation> =>
  page(body, (value, where) => {
    const { raw, fields } = storedAnnotationFields(value, where);
    return { ...fields, trace_id: string(raw.trace_id, `${where}.trace_id`) };
  });
