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
  const w = Writer.create();
  w.uint32(tag(1, 2)).fork(); // resource_spans
  w.uint32(tag(1, 2)).fork(); // resource
  writeKeyValue(w, 1, SEMRESATTRS_PROJECT_NAME, project);
  w.ldelim();
  w.uint32(tag(2, 2)).fork(); // scope_spans
  w.uint32(tag(1, 2)).fork().uint32(tag(1, 2)).string(SCOPE_NAME).ldelim(); // scope
  for (const span of spans) writeSpan(w, span);
  w.ldelim();
  w.ldelim();
  return w.finish();
}

function writeSpan(w: ProtoWriter, span: PhoenixSpan): void {
  w.uint32(tag(2, 2)).fork();
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
      w.uint32(tag(1, 2)).fork();
      writeAnyValue(w, item);
      w.ldelim();
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
