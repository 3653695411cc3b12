/**
 * The mapping's hot paths were rewritten for speed (issue 8, bench/); these
 * pin that they answer exactly what the straightforward versions did, on
 * generated inputs, edge cases included.
 */
import fc from "fast-check";
import type { HrTime } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { toPhoenixValue } from "../../src/mapping/attributes.js";
import { normalizeSpanId, normalizeTraceId } from "../../src/mapping/ids.js";
import { mapSpan } from "../../src/mapping/index.js";
import { hrTimeToIso } from "../../src/mapping/time.js";
import { recordSpans } from "../helpers/tracing.js";

/** The formatting before the digit tables: a Date per second. */
function referenceIso(time: HrTime): string {
  const [seconds, nanos] = time;
  if (!Number.isFinite(seconds) || !Number.isFinite(nanos)) return "1970-01-01T00:00:00.000000Z";
  const carry = Math.floor(nanos / 1e9);
  const second = Math.trunc(seconds) + carry;
  const micros = Math.floor((nanos - carry * 1e9) / 1000);
  const date = new Date(second * 1000);
  if (Number.isNaN(date.getTime())) return "1970-01-01T00:00:00.000000Z";
  return `${date.toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}Z`;
}

/** The array conversion before the specialised loops. */
function referenceArray(values: readonly unknown[]): unknown {
  let type: string | undefined;
  let homogeneous = true;
  let hasHoles = false;
  for (const item of values) {
    if (item === null || item === undefined) {
      hasHoles = true;
      continue;
    }
    const t = typeof item;
    if ((t !== "string" && t !== "number" && t !== "boolean") || (t === "number" && !Number.isFinite(item as number))) {
      homogeneous = false;
      break;
    }
    if (type === undefined) type = t;
    else if (type !== t) {
      homogeneous = false;
      break;
    }
  }
  if (!homogeneous) return JSON.stringify(values);
  if (!hasHoles) return values;
  return values.filter((v) => v !== null && v !== undefined);
}

describe("hrTimeToIso", () => {
  const seconds = fc.oneof(
    fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
    fc.integer({ min: -1e10, max: 1e11 }),
    fc.double(),
    fc.constantFrom(0, -1, 86_399, 86_400, 253_402_300_799, 253_402_300_800, -62_167_219_200, -62_167_219_201, 8.64e12, 8.64e12 + 1),
  );
  const nanos = fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: -5e9, max: 5e9 }), fc.double(), fc.constantFrom(999_999_999, 1e9, -1));

  it("writes what a Date per call writes, whatever the order of calls", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(seconds, nanos), { minLength: 1, maxLength: 8 }), (times) => {
        for (const time of times) expect(hrTimeToIso(time)).toBe(referenceIso(time));
      }),
      { numRuns: 20_000 },
    );
  });

  it("keeps microseconds and the zone", () => {
    expect(hrTimeToIso([1_767_268_800, 123_456_789])).toBe("2026-01-01T12:00:00.123456Z");
    expect(hrTimeToIso([1_767_311_999, 999_999_999])).toBe("2026-01-01T23:59:59.999999Z");
    expect(hrTimeToIso([1_767_312_000, 0])).toBe("2026-01-02T00:00:00.000000Z");
  });
});

describe("span and trace ids", () => {
  it("pass lowercase hex through and normalise the rest as before", () => {
    const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: 0, maxLength: 40 });
    const id = fc.oneof(hex, fc.string(), fc.constantFrom("0x00ff", "ABCDEF0123456789", "abcdef0123456789", "0123456789abcdef0123456789abcdef"));
    fc.assert(
      fc.property(id, (text) => {
        const span = normalizeSpanId(text);
        const trace = normalizeTraceId(text);
        expect(span).toMatch(/^[0-9a-f]{16}$/);
        expect(trace).toMatch(/^[0-9a-f]{32}$/);
        if (/^[0-9a-f]{16}$/.test(text)) expect(span).toBe(text);
        if (/^[0-9a-f]{32}$/.test(text)) expect(trace).toBe(text);
        expect(normalizeSpanId(text)).toBe(span);
      }),
      { numRuns: 5_000 },
    );
    expect(normalizeSpanId("ABCDEF0123456789")).toBe("abcdef0123456789");
    expect(normalizeSpanId("0x00ff")).toBe("00000000000000ff");
  });
});

describe("array attributes", () => {
  it("convert exactly as the single-loop version did", () => {
    const item = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.constantFrom(null, undefined, Number.NaN, Infinity), fc.object());
    fc.assert(
      fc.property(fc.oneof(fc.array(item), fc.array(fc.double()), fc.array(fc.string()), fc.array(fc.boolean()), fc.sparseArray(fc.integer())), (values) => {
        const expected = referenceArray(values);
        const actual = toPhoenixValue(values);
        expect(actual).toEqual(expected);
        // Arrays that need nothing are passed on, not copied.
        if (expected === values) expect(actual).toBe(values);
      }),
      { numRuns: 20_000 },
    );
  });

  it("pass a float32 embedding vector on as it is", () => {
    const vector = Array.from({ length: 1_536 }, (_, i) => Math.fround(Math.sin(i) / 10));
    expect(toPhoenixValue(vector)).toBe(vector);
    expect(toPhoenixValue([...vector, Number.NaN])).toBe(JSON.stringify([...vector, null]));
  });
});

describe("GenAI messages and tools", () => {
  const tools = (name: string) => JSON.stringify([{ type: "function", function: { name, parameters: { type: "object" } } }]);
  const chat = (attributes: Record<string, string | number>) =>
    recordSpans((provider) => provider.getTracer("t").startSpan("chat", { attributes: { "gen_ai.operation.name": "chat", ...attributes } }).end())[0]!;

  it("take each span's own tool list, however often lists repeat", () => {
    const names = ["a", "b", "a", "c", "b", "a"];
    for (const name of names) {
      const mapped = mapSpan(chat({ "gen_ai.tool.definitions": tools(name) }));
      expect(mapped.attributes["llm.tools.0.tool.json_schema"]).toBe(JSON.stringify(JSON.parse(tools(name))[0]));
    }
  });

  it("choose the input and output mime types as when the messages were parsed twice", () => {
    const messages = JSON.stringify([{ role: "user", parts: [{ type: "text", content: "hi" }] }]);
    const answer = JSON.stringify([{ role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "f", arguments: {} }] }]);
    const plain = mapSpan(chat({ "gen_ai.input.messages": messages, "gen_ai.output.messages": answer }));
    expect(plain.attributes["input.value"]).toBe(messages);
    expect(plain.attributes["input.mime_type"]).toBe("application/json");
    expect(plain.attributes["output.value"]).toBe(answer);
    expect(plain.attributes["output.mime_type"]).toBe("application/json");
    // JSON.parse reads past leading whitespace; the mime type looks at the first character.
    const spaced = mapSpan(chat({ "gen_ai.input.messages": ` ${messages}` }));
    expect(spaced.attributes["input.mime_type"]).toBe("text/plain");
  });
});
