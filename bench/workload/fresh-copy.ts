import type { ReadableSpan } from "../../src/index.js";

/**
 * A copy of a finished span with its own attribute and event strings, as
 * an application hands over: every span it ends is a new object whose
 * prompt, output and document texts were built for it, and whichever
 * processor holds the span (a `BatchSpanProcessor` up to its export, this
 * package up to its mapping) holds those strings. Replaying the pool's own
 * objects instead makes a retained span free in the heap figures, since
 * its strings are the pool's, already in the baseline (`--fresh-spans`).
 *
 * The copy keeps the SDK span's class (its methods read plain fields, in
 * OpenTelemetry JS 2 and 3), so every subject still gets an SDK span; the
 * name, resource, scope and span context stay shared, as they are in an
 * application (literals and one resource per provider).
 */
export function freshSpanCopy(span: ReadableSpan): ReadableSpan {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(span) as object) as object, span) as ReadableSpan & {
    attributes: ReadableSpan["attributes"];
    events: ReadableSpan["events"];
  };
  copy.attributes = freshValue(span.attributes);
  copy.events = span.events.map((event) => (event.attributes ? { ...event, attributes: freshValue(event.attributes) } : { ...event }));
  return copy;
}

/** Attribute values are strings, numbers, booleans and arrays of them: a JSON round trip copies them exactly, with new strings. */
export function freshValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
