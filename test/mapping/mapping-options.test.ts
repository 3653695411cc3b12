import { SpanKind } from "@opentelemetry/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhoenixConfigurationError, PhoenixSpanProcessor, mapSpan } from "../../src/index.js";
import { recordSpans } from "../helpers/tracing.js";
import { isStorable } from "./expectations.js";

const span = (name: string, attributes: Record<string, unknown>, kind = SpanKind.INTERNAL) =>
  recordSpans((p) => p.getTracer("scope-a").startSpan(name, { kind, attributes: attributes as never }).end())[0]!;

describe("mapSpan options and precedence", () => {
  const genAi = span("chat gpt", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt", "gen_ai.usage.input_tokens": 3 });

  it("never overwrites an openinference.span.kind on the span with a derived kind", () => {
    const marked = span("x", { "openinference.span.kind": "agent", "gen_ai.operation.name": "chat" });
    expect(mapSpan(marked).span_kind).toBe("AGENT");
  });

  it("lets OpenInference attributes on the span win over derived ones", () => {
    const both = span("x", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "derived", "llm.model_name": "given" });
    expect(mapSpan(both).attributes["llm.model_name"]).toBe("given");
  });

  it("gives unrecognised spans defaultSpanKind (UNKNOWN unless set)", () => {
    const plain = span("GET /", { "http.request.method": "GET" });
    expect(mapSpan(plain).span_kind).toBe("UNKNOWN");
    expect(mapSpan(plain, { defaultSpanKind: "CHAIN" }).span_kind).toBe("CHAIN");
  });

  it("drops source attributes only when keepSourceAttributes is false", () => {
    expect(mapSpan(genAi).attributes["gen_ai.request.model"]).toBe("gpt");
    const slim = mapSpan(genAi, { keepSourceAttributes: false }).attributes;
    expect(slim["gen_ai.request.model"]).toBeUndefined();
    expect(slim["llm.model_name"]).toBe("gpt");
    expect(slim["llm.token_count.prompt"]).toBe(3);
  });

  it("overrides the kind by rules (span name, scope, attribute) or a function", () => {
    expect(mapSpan(genAi, { spanKind: [{ kind: "AGENT", spanName: /^chat/ }] }).span_kind).toBe("AGENT");
    expect(mapSpan(genAi, { spanKind: [{ kind: "TOOL", scope: "scope-b" }] }).span_kind).toBe("LLM");
    expect(mapSpan(genAi, { spanKind: [{ kind: "TOOL", scope: "scope-a", attribute: { key: "gen_ai.request.model", value: "gpt" } }] }).span_kind).toBe("TOOL");
    expect(mapSpan(genAi, { spanKind: (_s, derived) => (derived === "LLM" ? "EVALUATOR" : undefined) }).span_kind).toBe("EVALUATOR");
    // A function answering nonsense keeps the derived kind rather than sending an invalid one.
    expect(mapSpan(genAi, { spanKind: () => "NONSENSE" as never }).span_kind).toBe("LLM");
  });

  it("refuses bad options with a PhoenixConfigurationError that says what to use", () => {
    expect(() => mapSpan(genAi, { defaultSpanKind: "llm" as never })).toThrow(PhoenixConfigurationError);
    expect(() => mapSpan(genAi, { keepSourceAttributes: "no" as never })).toThrow(/true or false/);
    expect(() => mapSpan(genAi, { spanKind: [{ kind: "LLM" }] })).toThrow(/no criterion/);
    expect(() => mapSpan(genAi, { spanKind: [{ kind: "BOT" as never, spanName: "x" }] })).toThrow(/LLM, CHAIN/);
    expect(() => new PhoenixSpanProcessor({ mapping: { defaultSpanKind: "x" as never } })).toThrow(PhoenixConfigurationError);
    expect(() => new PhoenixSpanProcessor({ spanFilter: "everything" as never })).toThrow(/spanFilter/);
  });
});

describe("every value the mapping emits is one Phoenix stores", () => {
  const key = fc.oneof(
    fc.constantFrom(
      "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "gen_ai.tool.definitions",
      "gen_ai.prompt.0.content", "gen_ai.prompt.0.role", "gen_ai.completion.0.tool_calls.0.arguments", "gen_ai.retrieval.documents",
      "ai.prompt.messages", "ai.response.toolCalls", "ai.values", "ai.embeddings", "ai.telemetry.metadata.sessionId", "ai.documents", "ai.ranking",
      "traceloop.entity.input", "llm.request.functions.0.arguments", "langsmith.span.tags", "gen_ai.prompt", "gen_ai.completion",
      "langsmith.metadata.user_id", "traceloop.association.properties.session_id", "__proto__", "constructor",
    ),
    fc.string(),
  );
  const json = fc.jsonValue().map((v) => JSON.stringify(v));
  const value = fc.oneof(fc.string(), json, fc.double(), fc.integer(), fc.boolean(), fc.array(fc.string()), fc.array(json), fc.array(fc.double()));
  const marker = fc.record({
    "gen_ai.operation.name": fc.constantFrom("chat", "embeddings", "execute_tool", "retrieval", "invoke_agent", "x"),
    "ai.operationId": fc.constantFrom("ai.generateText.doGenerate", "ai.embed.doEmbed", "ai.rerank.doRerank", "ai.toolCall", "ai.streamText"),
    "langsmith.span.kind": fc.constantFrom("llm", "retriever", "tool", "chain"),
    "traceloop.span.kind": fc.constantFrom("workflow", "tool", "agent"),
  }, { requiredKeys: [] });

  it("for any attributes, including hostile JSON, never throws and emits only storable values", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), marker, (attributes, markers) => {
        const mapped = mapSpan(span("fuzz", { ...attributes, ...markers }, SpanKind.CLIENT));
        for (const v of Object.values(mapped.attributes)) if (!isStorable(v)) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
