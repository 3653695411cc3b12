import { safeJson } from "../mapping/attributes.js";
import { normalizeSpanId, normalizeTraceId } from "../mapping/ids.js";
import { isPhoenixSpanKind, type PhoenixSpan, type PhoenixSpanEvent, type PhoenixStatusCode } from "../mapping/phoenix-span.js";
import { checkAttributes, type ValueRules } from "./attribute-values.js";
import { truncateText } from "./truncate-text.js";
import { cleanText, isCleanText } from "./well-formed-text.js";

const STATUS_CODES: ReadonlySet<string> = new Set<PhoenixStatusCode>(["OK", "ERROR", "UNSET"]);

/** A span that cannot be sent at all (no context, no times): reported and dropped by the delivery. */
export class UnsendableSpanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsendableSpanError";
  }
}

/** A span fit to send, and the characters it holds, for the size check. */
export interface CheckedSpan {
  span: PhoenixSpan;
  chars: number;
  truncated: number;
}

/**
 * Makes a span one Phoenix stores as sent and that joins its trace: ids as
 * lowercase hex of the right length (a malformed id from a buggy
 * instrumentation or an import is normalised or hashed, as the mapping does),
 * a kind and status code Phoenix knows, an end no earlier than the start,
 * strings well-formed and within the cap, attribute values of types Phoenix
 * keeps. A span from the mapping passes every check unchanged and is not
 * copied. Throws {@link UnsendableSpanError} only for a span without ids or
 * times (an import of garbage).
 */
export function checkSpan(span: PhoenixSpan, rules: ValueRules): CheckedSpan {
  if (typeof span !== "object" || span === null) throw new UnsendableSpanError("it is not an object");
  const context = span.context;
  if (typeof context !== "object" || context === null || context.trace_id == null || context.span_id == null) {
    throw new UnsendableSpanError("it has no context with a trace_id and a span_id");
  }
  if (typeof span.start_time !== "string" || typeof span.end_time !== "string") {
    throw new UnsendableSpanError("its start_time or end_time is not a time");
  }
  let out: PhoenixSpan | undefined;
  const change = (): PhoenixSpan => (out ??= { ...span });

  const traceId = String(context.trace_id);
  const spanId = String(context.span_id);
  if (!isLowerHex(traceId, 32) || !isLowerHex(spanId, 16)) {
    change().context = { trace_id: normalizeTraceId(traceId), span_id: normalizeSpanId(spanId) };
  }
  const parent = span.parent_id;
  if (parent === undefined || (parent !== null && (typeof parent !== "string" || !isLowerHex(parent, 16)))) {
    change().parent_id = parent === undefined || parent === null || parent === "" ? null : normalizeSpanId(String(parent));
  }
  if (!isPhoenixSpanKind(span.span_kind)) {
    const upper = String(span.span_kind ?? "").toUpperCase();
    change().span_kind = isPhoenixSpanKind(upper) ? upper : "UNKNOWN";
  }
  if (!STATUS_CODES.has(span.status_code)) {
    const upper = String(span.status_code ?? "").toUpperCase();
    change().status_code = (STATUS_CODES.has(upper) ? upper : "UNSET") as PhoenixStatusCode;
  }
  // Our own times are all `…Z` with microseconds: then the text order is the time order.
  if (span.end_time < span.start_time && span.end_time.length === span.start_time.length && span.end_time.endsWith("Z")) {
    change().end_time = span.start_time;
  }

  let chars = 200;
  const name = checkText(span.name, rules);
  if (name !== span.name) change().name = name;
  const message = span.status_message === undefined ? "" : checkText(span.status_message, rules);
  if (message !== span.status_message) change().status_message = message;
  chars += name.length + message.length;

  const checked = checkAttributes(span.attributes, rules);
  if (checked.attributes !== span.attributes) change().attributes = checked.attributes;
  chars += checked.chars;
  let truncated = checked.truncated;

  const events = Array.isArray(span.events) ? span.events : [];
  if (events !== span.events) change().events = events;
  let copied: PhoenixSpanEvent[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const fixed = checkEvent(event, rules);
    chars += fixed.chars;
    truncated += fixed.truncated;
    if (fixed.event !== event) (copied ??= events.slice())[i] = fixed.event;
  }
  if (copied) change().events = copied;
  return { span: out ?? span, chars, truncated };
}

function checkEvent(event: PhoenixSpanEvent, rules: ValueRules): { event: PhoenixSpanEvent; chars: number; truncated: number } {
  if (typeof event !== "object" || event === null) {
    return { event: { name: "", timestamp: "1970-01-01T00:00:00.000000Z", attributes: Object.create(null) }, chars: 60, truncated: 0 };
  }
  let out: PhoenixSpanEvent | undefined;
  const name = checkText(event.name, rules);
  if (name !== event.name) (out ??= { ...event }).name = name;
  if (typeof event.timestamp !== "string") (out ??= { ...event }).timestamp = "1970-01-01T00:00:00.000000Z";
  const checked = checkAttributes(event.attributes, rules);
  if (checked.attributes !== event.attributes) (out ??= { ...event }).attributes = checked.attributes;
  return { event: out ?? event, chars: 60 + name.length + checked.chars, truncated: checked.truncated };
}

/** `length` lowercase hex digits. A loop: this runs three times per span, and is several times faster than a regular expression. */
function isLowerHex(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** A name or status message: a well-formed string within the cap. */
function checkText(value: unknown, rules: ValueRules): string {
  let text = typeof value === "string" ? value : value === undefined || value === null ? "" : safeJson(value);
  if (text.length > rules.maxValueLength) text = truncateText(text, rules.maxValueLength);
  if (!isCleanText(text)) text = cleanText(text);
  if (rules.text) text = rules.text(text);
  return text;
}
