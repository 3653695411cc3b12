import { createAttributes } from "../mapping/attributes.js";
import type { PhoenixAttributeValue, PhoenixAttributes, PhoenixSpan, PhoenixSpanEvent } from "../mapping/phoenix-span.js";
import { truncateText } from "./truncate-text.js";

/** A span that stays over the byte cap with nothing left to cut (only its skeleton). */
export class SpanTooLargeError extends Error {
  readonly bytes: number;
  readonly limit: number;
  constructor(bytes: number, limit: number) {
    super(`it is ${bytes} bytes even without its attributes and events, more than the ${limit} bytes allowed (maxSpanBytes / maxRequestBytes)`);
    this.name = "SpanTooLargeError";
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** Where a span's cuts are recorded, so that Phoenix shows why values are missing. */
export const LIMITS_ATTRIBUTE = "phoenix_connector.limits";

/** A string cut for the span cap keeps at least this many bytes of JSON. */
const FLOOR_BYTES = 1_024;
/** Each JSON character is at most 6 bytes (`\u001f`); below this bound no exact measure is needed. */
const MAX_BYTES_PER_CHAR = 6;

/** Keys of the source conventions: they repeat what the OpenInference keys say, so they are cut first. */
const SOURCE_PREFIXES = ["gen_ai.", "ai.", "traceloop.", "langsmith.", "llm.request."];

interface Entry {
  /** Index of the event, or -1 for the span's own attributes. */
  owner: number;
  key: string;
  value: PhoenixAttributeValue;
  bytes: number;
  /** 0: a source-convention key, cut first; 1: any other. */
  tier: number;
}

/**
 * Makes a span fit in `maxBytes` of JSON. `chars` (from the value pass) is an
 * upper bound that spares the exact measure for ordinary spans. A span over
 * the cap loses, in this order, until it fits: the text of its largest
 * values (source-convention keys before OpenInference ones; each value keeps
 * at least 1 KiB and says how much was cut), then whole attributes, largest
 * first, then events, largest first. Ids, kind, times, status and name stay.
 * The cuts are listed in the attribute `phoenix_connector.limits`.
 */
export function fitSpan(span: PhoenixSpan, chars: number, maxBytes: number): PhoenixSpan {
  if (chars * MAX_BYTES_PER_CHAR <= maxBytes) return span;
  let bytes = Buffer.byteLength(JSON.stringify(span));
  if (bytes <= maxBytes) return span;

  const attributes = cloneMap(span.attributes);
  const events: PhoenixSpanEvent[] = span.events.map((e) => ({ ...e, attributes: cloneMap(e.attributes) }));
  const maps = (owner: number): PhoenixAttributes => (owner < 0 ? attributes : events[owner]!.attributes);
  const entries: Entry[] = [];
  const collect = (owner: number, map: PhoenixAttributes) => {
    for (const key in map) {
      const value = map[key]!;
      entries.push({ owner, key, value, bytes: jsonBytes(key) + jsonBytes(value) + 2, tier: isSourceKey(key) ? 0 : 1 });
    }
  };
  collect(-1, attributes);
  events.forEach((e, i) => collect(i, e.attributes));
  entries.sort((a, b) => a.tier - b.tier || b.bytes - a.bytes);

  let excess = bytes - maxBytes + 512; // room for the record of the cuts
  let cutValues = 0;
  for (const entry of entries) {
    if (excess <= 0) break;
    if (typeof entry.value !== "string" || entry.bytes <= FLOOR_BYTES * 2) continue;
    // 64 bytes of margin: the marker's length varies with the count it states.
    const target = Math.max(FLOOR_BYTES, entry.bytes - excess - 64);
    const cut = cutToBytes(entry.value, target);
    const after = jsonBytes(entry.key) + jsonBytes(cut) + 2;
    excess -= entry.bytes - after;
    entry.bytes = after;
    entry.value = cut;
    maps(entry.owner)[entry.key] = cut;
    cutValues++;
  }
  const dropped: string[] = [];
  if (excess > 0) {
    entries.sort((a, b) => a.tier - b.tier || b.bytes - a.bytes);
    for (const entry of entries) {
      if (excess <= 0) break;
      delete maps(entry.owner)[entry.key];
      excess -= entry.bytes;
      dropped.push(entry.owner < 0 ? entry.key : `events[${entry.owner}].${entry.key}`);
    }
  }
  let keptEvents = events;
  if (excess > 0) {
    // Only event skeletons are left: drop the events themselves, largest first.
    const order = events.map((e, i) => ({ i, bytes: jsonBytes(e) })).sort((a, b) => b.bytes - a.bytes);
    const gone = new Set<number>();
    for (const { i, bytes: size } of order) {
      if (excess <= 0) break;
      gone.add(i);
      excess -= size + 1;
    }
    keptEvents = events.filter((_, i) => !gone.has(i));
  }
  const note = describeCuts(bytes, maxBytes, cutValues, dropped, events.length - keptEvents.length);
  attributes[LIMITS_ATTRIBUTE] = note;
  const fitted: PhoenixSpan = { ...span, attributes, events: keptEvents };
  bytes = Buffer.byteLength(JSON.stringify(fitted));
  if (bytes <= maxBytes) return fitted;
  // Estimates off (many tiny entries): drop what is left but the record of the cuts.
  const bare: PhoenixSpan = { ...span, attributes: createAttributes(), events: [] };
  bare.attributes[LIMITS_ATTRIBUTE] = note;
  bytes = Buffer.byteLength(JSON.stringify(bare));
  if (bytes <= maxBytes) return bare;
  delete bare.attributes[LIMITS_ATTRIBUTE];
  bytes = Buffer.byteLength(JSON.stringify(bare));
  if (bytes <= maxBytes) return bare;
  throw new SpanTooLargeError(bytes, maxBytes);
}

/** `text` cut (with its marker) so that its JSON takes about `targetBytes`. */
function cutToBytes(text: string, targetBytes: number): string {
  const bytes = jsonBytes(text);
  const keep = Math.floor(text.length * (targetBytes / bytes)) - 40;
  let cut = truncateText(text, Math.max(0, keep));
  // Bytes per character vary along the text. Every character kept costs at
  // least one byte, so keeping `over` fewer lands under the target.
  const over = jsonBytes(cut) - targetBytes;
  if (over > 0) cut = truncateText(text, Math.max(0, keep - over));
  return cut;
}

function describeCuts(bytes: number, maxBytes: number, cutValues: number, dropped: readonly string[], droppedEvents: number): string {
  const parts = [`span of ${bytes} bytes cut to fit ${maxBytes}`];
  if (cutValues > 0) parts.push(`${cutValues} value${cutValues === 1 ? "" : "s"} truncated`);
  if (dropped.length > 0) {
    const shown = dropped.slice(0, 20).join(", ");
    parts.push(`${dropped.length} attributes dropped (${shown}${dropped.length > 20 ? ", …" : ""})`);
  }
  if (droppedEvents > 0) parts.push(`${droppedEvents} events dropped`);
  return parts.join("; ");
}

function isSourceKey(key: string): boolean {
  for (const prefix of SOURCE_PREFIXES) if (key.startsWith(prefix)) return true;
  return false;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

function cloneMap(map: PhoenixAttributes): PhoenixAttributes {
  const out = createAttributes();
  for (const key in map) out[key] = map[key]!;
  return out;
}
