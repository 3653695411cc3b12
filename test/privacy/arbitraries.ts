import fc from "fast-check";
import type { PhoenixSpan } from "../../src/mapping/index.js";
import type { PhoenixPrivacyOptions } from "../../src/privacy/index.js";

/** Any UTF-16 code unit: lone surrogates, NUL and every control character included. */
const unit = fc.nat(0xffff).map((c) => String.fromCharCode(c));
export const anyText = fc.string({ unit, maxLength: 40 });

/** Keys an instrumentation may write, hostile ones included. */
export const anyKey = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "hasOwnProperty",
    "toString",
    "",
    ".",
    "a..b",
    "input.value",
    "output.value",
    "llm.input_messages.0.message.content",
    "llm.output_messages.0.message.content",
    "gen_ai.input.messages",
    "gen_ai.prompt.0.content",
    "ai.prompt.messages",
    "traceloop.entity.input",
    "embedding.embeddings.0.embedding.vector",
    "llm.invocation_parameters",
    "phoenix_connector.limits",
  ),
  anyText,
);

/** Any value an attribute map may hold, including what OpenTelemetry would not let through: objects, null, NaN, nested and mixed arrays, bigints. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  anyText,
  fc.string({ maxLength: 5 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_VALUE),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.array(anyText, { maxLength: 4 }),
  fc.array(fc.double(), { maxLength: 4 }),
  fc.array(fc.oneof(anyText, fc.double(), fc.boolean(), fc.constant(null)), { maxLength: 4 }),
  fc.array(fc.array(fc.integer(), { maxLength: 2 }), { maxLength: 2 }),
  fc.dictionary(anyText, fc.oneof(anyText, fc.integer()), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constant("{not json"),
  fc.constant(deepJson(50)),
);

/** `[[[ … ]]]` 50 levels deep, as JSON text. */
export function deepJson(depth: number): string {
  return `${"[".repeat(depth)}"deep"${"]".repeat(depth)}`;
}

/** A prototype-free attribute map holding exactly the generated entries (so `__proto__` is a key, not a prototype). */
export const anyAttributes = fc.array(fc.tuple(anyKey, anyValue), { maxLength: 12 }).map((entries) => {
  const map = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of entries) map[key] = value;
  return map;
});

const hex = (length: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
const time = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString().replace("Z", "000Z"));

/**
 * A Phoenix span as an import could hand one over: valid ids or garbage ones,
 * any kind and status, any attributes and events. Context and times are
 * always there (a span without them cannot be sent, tested apart).
 */
export const anySpan: fc.Arbitrary<PhoenixSpan> = fc
  .record({
    name: fc.oneof(anyText, fc.constant(undefined as unknown as string), fc.integer().map(String)),
    traceId: fc.oneof(hex(32), anyText, fc.constantFrom("0x1234", "ABCDEF0123456789ABCDEF0123456789", "")),
    spanId: fc.oneof(hex(16), anyText, fc.constantFrom("0x12", "ABCDEF0123456789")),
    parent: fc.oneof(fc.constant(null), hex(16), anyText, fc.constant(undefined)),
    kind: fc.oneof(fc.constantFrom("LLM", "llm", "CHAIN", "RETRIEVER", "agent", "EVALUATOR"), anyText),
    status: fc.oneof(fc.constantFrom("OK", "ERROR", "UNSET", "ok", "Error"), anyText),
    statusMessage: fc.oneof(anyText, fc.constant(undefined)),
    start: time,
    end: time,
    attributes: anyAttributes,
    events: fc.array(fc.record({ name: anyText, timestamp: time, attributes: anyAttributes }), { maxLength: 3 }),
  })
  .map(
    (s) =>
      ({
        name: s.name,
        context: { trace_id: s.traceId, span_id: s.spanId },
        span_kind: s.kind,
        parent_id: s.parent,
        start_time: s.start,
        end_time: s.end,
        status_code: s.status,
        status_message: s.statusMessage,
        attributes: s.attributes,
        events: s.events,
      }) as unknown as PhoenixSpan,
  );

export const anyPrivacy: fc.Arbitrary<PhoenixPrivacyOptions> = fc.record(
  {
    hideInputs: fc.boolean(),
    hideOutputs: fc.boolean(),
    hideInputMessages: fc.boolean(),
    hideOutputMessages: fc.boolean(),
    hideInputImages: fc.boolean(),
    hideInputText: fc.boolean(),
    hideOutputText: fc.boolean(),
    hideEmbeddingVectors: fc.boolean(),
    hideLLMInvocationParameters: fc.boolean(),
    hideLLMTools: fc.boolean(),
    hidePrompts: fc.boolean(),
    redact: fc.boolean(),
  },
  { requiredKeys: [] },
);
