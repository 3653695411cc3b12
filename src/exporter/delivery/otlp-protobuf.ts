import protobuf from "protobufjs/minimal.js";
import { SEMRESATTRS_PROJECT_NAME, SemanticConventions } from "@arizeai/openinference-semantic-conventions";
import type { PhoenixAttributeValue, PhoenixAttributes, PhoenixSpan } from "../../mapping/phoenix-span.js";
import { isoToNanos } from "./iso-nanos.js";

/**
 * OTLP/HTTP protobuf encoding of mapped Phoenix spans (`ExportTraceServiceRequest`
 * of opentelemetry-proto `trace/v1`), written with protobufjs's `Writer`.
 *
 * Why not `@opentelemetry/otlp-transformer`: each of its releases depends on
 * one OpenTelemetry SDK generation (0.2xx on SDK 2 with `@opentelemetry/api`
 * < 1.10, 0.30x on SDK 3 with >= 1.10), so depending on it would force that
 * generation on the application. The message layout is small and fixed; the
 * field numbers below are those of opentelemetry-proto 1.x. The OTLP test
 * server decodes every request with protobufjs from the .proto text, which
 * checks this encoding.
 */

const { Writer, Reader } = protobuf;
type ProtoWriter = protobuf.Writer;

const SCOPE_NAME = "phoenix-connector";
/** `SPAN_KIND_INTERNAL`: the mapping carries the OpenInference kind in an attribute, not here. */
const SPAN_KIND_INTERNAL = 1;
const STATUS_CODES: ReadonlyMap<string, number> = new Map([
  ["UNSET", 0],
  ["OK", 1],
  ["ERROR", 2],
]);

/** One request body: every span under one resource naming the project (Phoenix's OTLP ingest reads it there). */
export function encodeTraceRequest(project: string, spans: readonly PhoenixSpan[]): Uint8Array {
  return assembleTraceRequest(project, spans.map(encodeSpanMessage));
}

/**
 * The request around spans already encoded by {@link encodeSpanMessage}. The
 * lengths of the enclosing messages are computed, not forked: a fork in
 * protobufjs 8 reserves one byte and shifts everything written since when the
 * length needs more, which for `resource_spans` and `scope_spans` is the whole
 * request, twice.
 */
export function assembleTraceRequest(project: string, spans: readonly Uint8Array[]): Uint8Array {
  const resource = Writer.create();
  writeKeyValue(resource, 1, SEMRESATTRS_PROJECT_NAME, project);
  const resourceBytes = resource.finish();
  const scopeBytes = Writer.create().uint32(tag(1, 2)).string(SCOPE_NAME).finish();
  let spansLength = 0;
  for (const span of spans) spansLength += delimitedLength(span.byteLength);
  const scopeSpansLength = delimitedLength(scopeBytes.byteLength) + spansLength;
  const resourceSpansLength = delimitedLength(resourceBytes.byteLength) + delimitedLength(scopeSpansLength);
  // Written into a buffer of the exact size: no growing, no shifting.
  const body = Buffer.allocUnsafe(delimitedLength(resourceSpansLength));
  let at = writeHead(body, 0, tag(1, 2), resourceSpansLength); // resource_spans
  at = writeHead(body, at, tag(1, 2), resourceBytes.byteLength); // resource
  body.set(resourceBytes, at);
  at += resourceBytes.byteLength;
  at = writeHead(body, at, tag(2, 2), scopeSpansLength); // scope_spans
  at = writeHead(body, at, tag(1, 2), scopeBytes.byteLength); // scope
  body.set(scopeBytes, at);
  at += scopeBytes.byteLength;
  for (const span of spans) {
    at = writeHead(body, at, tag(2, 2), span.byteLength); // spans
    body.set(span, at);
    at += span.byteLength;
  }
  return body;
}

/** A one-byte tag and a varint length at `at`; returns the position after them. */
function writeHead(buffer: Uint8Array, at: number, fieldTag: number, length: number): number {
  buffer[at++] = fieldTag;
  while (length > 0x7f) {
    buffer[at++] = (length & 0x7f) | 0x80;
    length >>>= 7;
  }
  buffer[at++] = length;
  return at;
}

/** A tag of one byte, the length as a varint, then the content. */
function delimitedLength(length: number): number {
  return 1 + varintLength(length) + length;
}

function varintLength(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

/** Reused for every span: its buffer grows to the largest span once instead of doubling up for each. */
let scratch: ProtoWriter | undefined;

/** The `Span` message of one mapped span (its content, without tag or length), in a buffer of its own. */
export function encodeSpanMessage(span: PhoenixSpan): Uint8Array {
  const w = (scratch ??= Writer.create());
  try {
    writeSpan(w, span);
  } catch (error) {
    scratch = undefined;
    throw error;
  }
  const message = w.finish();
  w.reset();
  // Not kept grown by one outsized span.
  if (message.byteLength > SCRATCH_KEPT_BYTES) scratch = undefined;
  return message;
}

const SCRATCH_KEPT_BYTES = 1 << 20;

function writeSpan(w: ProtoWriter, span: PhoenixSpan): void {
  w.uint32(tag(1, 2)).bytes(hexBytes(span.context.trace_id));
  w.uint32(tag(2, 2)).bytes(hexBytes(span.context.span_id));
  if (span.parent_id) w.uint32(tag(4, 2)).bytes(hexBytes(span.parent_id));
  w.uint32(tag(5, 2)).string(span.name);
  w.uint32(tag(6, 0)).int32(SPAN_KIND_INTERNAL);
  writeFixed64(w, 7, isoToNanos(span.start_time));
  writeFixed64(w, 8, isoToNanos(span.end_time));
  // Phoenix's OTLP ingest reads the kind from this attribute.
  writeKeyValue(w, 9, SemanticConventions.OPENINFERENCE_SPAN_KIND, span.span_kind);
  writeAttributes(w, 9, span.attributes);
  for (const event of span.events ?? []) {
    w.uint32(tag(11, 2)).fork();
    writeFixed64(w, 1, isoToNanos(event.timestamp));
    w.uint32(tag(2, 2)).string(event.name);
    writeAttributes(w, 3, event.attributes);
    w.ldelim();
  }
  w.uint32(tag(15, 2)).fork(); // status
  if (span.status_message) w.uint32(tag(2, 2)).string(span.status_message);
  w.uint32(tag(3, 0)).int32(STATUS_CODES.get(span.status_code) ?? 0);
  w.ldelim();
}

function writeAttributes(w: ProtoWriter, field: number, attributes: PhoenixAttributes): void {
  for (const key in attributes) {
    if (key === SemanticConventions.OPENINFERENCE_SPAN_KIND) continue;
    const value = attributes[key];
    if (value !== undefined) writeKeyValue(w, field, key, value);
  }
}

function writeKeyValue(w: ProtoWriter, field: number, key: string, value: PhoenixAttributeValue): void {
  w.uint32(tag(field, 2)).fork();
  w.uint32(tag(1, 2)).string(key);
  w.uint32(tag(2, 2)).fork();
  writeAnyValue(w, value);
  w.ldelim();
  w.ldelim();
}

/** `AnyValue`: string 1, bool 2, int 3, double 4, array 5. */
function writeAnyValue(w: ProtoWriter, value: PhoenixAttributeValue): void {
  if (typeof value === "string") w.uint32(tag(1, 2)).string(value);
  else if (typeof value === "boolean") w.uint32(tag(2, 0)).bool(value);
  else if (typeof value === "number") {
    if (Number.isSafeInteger(value)) w.uint32(tag(3, 0)).int64(value);
    else w.uint32(tag(4, 1)).double(value);
  } else {
    w.uint32(tag(5, 2)).fork();
    for (const item of value) {
      // A double (an embedding's component) is an AnyValue of 9 bytes: no fork per item.
      if (typeof item === "number" && !Number.isSafeInteger(item)) w.uint32(tag(1, 2)).uint32(9).uint32(tag(4, 1)).double(item);
      else {
        w.uint32(tag(1, 2)).fork();
        writeAnyValue(w, item);
        w.ldelim();
      }
    }
    w.ldelim();
  }
}

function writeFixed64(w: ProtoWriter, field: number, nanos: bigint): void {
  w.uint32(tag(field, 1));
  w.fixed32(Number(nanos & 0xffffffffn));
  w.fixed32(Number((nanos >> 32n) & 0xffffffffn));
}

function tag(field: number, wireType: number): number {
  return ((field << 3) | wireType) >>> 0;
}

function hexBytes(hex: string): Uint8Array {
  return Buffer.from(hex, "hex");
}

/**
 * The `partial_success` of an `ExportTraceServiceResponse`, when the server
 * sent one: `{ rejectedSpans, errorMessage }`. Undefined for an empty body.
 */
export function decodePartialSuccess(body: Uint8Array): { rejectedSpans: number; errorMessage: string } | undefined {
  if (body.byteLength === 0) return undefined;
  const reader = Reader.create(body);
  let result: { rejectedSpans: number; errorMessage: string } | undefined;
  while (reader.pos < reader.len) {
    const key = reader.uint32();
    if (key >>> 3 !== 1 || (key & 7) !== 2) {
      reader.skipType(key & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    result = { rejectedSpans: 0, errorMessage: "" };
    while (reader.pos < end) {
      const inner = reader.uint32();
      if (inner >>> 3 === 1 && (inner & 7) === 0) result.rejectedSpans = Number(reader.int64().toString());
      else if (inner >>> 3 === 2 && (inner & 7) === 2) result.errorMessage = reader.string();
      else reader.skipType(inner & 7);
    }
  }
  return result;
}
