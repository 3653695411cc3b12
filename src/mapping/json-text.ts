/**
 * JSON carried in string attributes (`gen_ai.input.messages`, `ai.prompt`,
 * `traceloop.entity.input`…). Producers put anything there, so parsing never
 * throws, and text that cannot be JSON is not even tried.
 */
export function parseJsonText(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  const first = firstNonSpace(text);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */ && first !== 0x22 /* " */) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string as it is; anything else as JSON text (never throws). */
export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? undefined;
  } catch {
    return undefined;
  }
}

/** A finite number, or a numeric string read as one. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
