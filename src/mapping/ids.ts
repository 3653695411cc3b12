/**
 * OpenTelemetry JS already holds ids as lowercase hex; a buggy or hand-rolled
 * instrumentation may not. Phoenix stores any id as sent (BEHAVIOUR.md), so a
 * malformed id would be stored and never join its trace: ids are normalised
 * here, and ids that cannot be read as hex are replaced by a deterministic
 * hash of themselves, so a span and the children naming it as parent still
 * agree.
 */
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

export function normalizeTraceId(id: string): string {
  if (isLowerHex(id, 32)) return id;
  return normalizeHex(id, 32);
}

export function normalizeSpanId(id: string): string {
  if (isLowerHex(id, 16)) return id;
  return normalizeHex(id, 16);
}

/** `TRACE_ID` / `SPAN_ID` as a loop: three ids per span, and a regular expression costs several times as much. */
function isLowerHex(id: string, length: number): boolean {
  if (typeof id !== "string" || id.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

export function isValidTraceId(id: unknown): id is string {
  return typeof id === "string" && TRACE_ID.test(id) && !/^0+$/.test(id);
}

export function isValidSpanId(id: unknown): id is string {
  return typeof id === "string" && SPAN_ID.test(id) && !/^0+$/.test(id);
}

function normalizeHex(id: string, length: 16 | 32): string {
  const text = String(id);
  const lower = text.toLowerCase().replace(/^0x/, "");
  if (/^[0-9a-f]+$/.test(lower) && lower.length <= length && lower.length > 0) {
    return lower.padStart(length, "0");
  }
  return hashHex(text, length);
}

/** FNV-1a, twice with different seeds per 8 hex digits: deterministic, not cryptographic. */
function hashHex(text: string, length: number): string {
  let out = "";
  for (let seed = 0; out.length < length; seed++) {
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    out += (h >>> 0).toString(16).padStart(8, "0");
  }
  return out.slice(0, length);
}
