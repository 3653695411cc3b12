import protobuf from "protobufjs";

/**
 * The part of opentelemetry-proto's trace service that Phoenix's OTLP route
 * decodes (opentelemetry/proto/collector/trace/v1/trace_service.proto and the
 * messages it references), field numbers as in the official .proto files.
 */
const PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; uint32 dropped_events_count = 12;
  repeated Link links = 13; uint32 dropped_links_count = 14; Status status = 15;
}
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Request = root.lookupType("otlp.ExportTraceServiceRequest");

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
export interface OtlpAnyValue {
  string_value?: string;
  bool_value?: boolean;
  int_value?: string;
  double_value?: number;
  array_value?: { values?: OtlpAnyValue[] };
  kvlist_value?: { values?: OtlpKeyValue[] };
  bytes_value?: string;
}
export interface OtlpSpan {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  kind?: number;
  start_time_unix_nano: string;
  end_time_unix_nano: string;
  attributes?: OtlpKeyValue[];
  events?: Array<{ time_unix_nano: string; name: string; attributes?: OtlpKeyValue[] }>;
  status?: { message?: string; code?: number };
}
export interface OtlpRequest {
  resource_spans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scope_spans?: Array<{ scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }>;
  }>;
}

/** Decodes an OTLP/HTTP protobuf trace request; ids come back as hex, 64-bit numbers as decimal strings. */
export function decodeOtlpTraceRequest(body: Uint8Array): OtlpRequest {
  const message = Request.decode(body);
  return Request.toObject(message, { longs: String, bytes: String, defaults: false, arrays: true }) as OtlpRequest;
}

/** protobufjs renders bytes as base64; ids are wanted as lowercase hex. */
export function base64ToHex(value: string | undefined): string {
  if (!value) return "";
  return Buffer.from(value, "base64").toString("hex");
}

/** An OTLP AnyValue as Phoenix would store it: primitives, arrays of them; key-value lists flattened by the caller. */
export function anyValueToJs(value: OtlpAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.string_value !== undefined) return value.string_value;
  if (value.bool_value !== undefined) return value.bool_value;
  if (value.int_value !== undefined) return Number(value.int_value);
  if (value.double_value !== undefined) return value.double_value;
  if (value.array_value !== undefined) return (value.array_value.values ?? []).map(anyValueToJs);
  if (value.kvlist_value !== undefined) {
    const out: Record<string, unknown> = {};
    for (const kv of value.kvlist_value.values ?? []) out[kv.key] = anyValueToJs(kv.value);
    return out;
  }
  if (value.bytes_value !== undefined) return value.bytes_value;
  return undefined;
}

/** Encodes an OTLP/HTTP protobuf trace request (the inverse of decodeOtlpTraceRequest: ids as base64, 64-bit numbers as decimal strings). */
export function encodeOtlpTraceRequest(request: OtlpRequest): Uint8Array {
  return Request.encode(Request.fromObject(request)).finish();
}

/** Hex ids as the base64 strings encodeOtlpTraceRequest expects. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64");
}
