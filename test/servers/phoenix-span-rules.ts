import { anyValueToJs, type OtlpKeyValue } from "./otlp-proto.js";
import { KNOWN_SPAN_KINDS, parseIsoMicros } from "./phoenix-store.js";

/** What strict mode refuses: stored silently by Phoenix, but wrong for a span that should join its trace. */
export function contractProblems(span: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const context = span.context as { trace_id: string; span_id: string };
  if (!/^[0-9a-f]{32}$/.test(context.trace_id)) problems.push(`trace_id ${JSON.stringify(context.trace_id)} is not 32 lowercase hex`);
  if (!/^[0-9a-f]{16}$/.test(context.span_id)) problems.push(`span_id ${JSON.stringify(context.span_id)} is not 16 lowercase hex`);
  if (span.parent_id !== null && span.parent_id !== undefined && !/^[0-9a-f]{16}$/.test(String(span.parent_id))) {
    problems.push(`parent_id ${JSON.stringify(span.parent_id)} is not 16 lowercase hex`);
  }
  if (!KNOWN_SPAN_KINDS.has(String(span.span_kind))) problems.push(`span_kind ${JSON.stringify(span.span_kind)} is not a Phoenix kind`);
  const start = parseIsoMicros(String(span.start_time))?.micros ?? 0;
  const end = parseIsoMicros(String(span.end_time))?.micros ?? 0;
  if (end < start) problems.push("end_time is before start_time");
  for (const [key, value] of Object.entries((span.attributes as Record<string, unknown> | undefined) ?? {})) {
    if (!isStorableValue(value)) problems.push(`attribute ${JSON.stringify(key)} is ${describe(value)}, which Phoenix drops`);
  }
  if (typeof span.status_message !== "string" && span.status_message !== undefined) problems.push("status_message is not a string");
  return problems;
}

export function isStorableValue(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return true;
    const type = typeof value[0];
    return (type === "string" || type === "number" || type === "boolean") && value.every((v) => typeof v === type && (type !== "number" || Number.isFinite(v)));
  }
  return false;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a mixed or nested array";
  return typeof value === "object" ? "a JSON object" : typeof value;
}

/** Phoenix drops attributes whose value is a JSON object (BEHAVIOUR.md); it stores the rest as sent. */
export function storedAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "openinference.span.kind") continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) continue;
    out[key] = value;
  }
  return out;
}

export function flattenKeyValues(values: OtlpKeyValue[], prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const kv of values) {
    const value = anyValueToJs(kv.value);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[`${prefix}${kv.key}.${k}`] = v;
    } else if (value !== undefined) {
      out[`${prefix}${kv.key}`] = value;
    }
  }
  return out;
}
