import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RagAgent } from "../../examples/demo/rag-agent.js";
import { QUESTIONS } from "../../examples/demo/knowledge-base.js";
import { StandInModel } from "../../examples/demo/stand-in-model.js";
import { mapSpan } from "../../src/mapping/index.js";
import { conversationInput, conversationOutput } from "../../src/mapping/conventions/genai-conversation.js";
import { recordSpans } from "../helpers/tracing.js";

const user = (text: string) => ({ role: "user", parts: [{ type: "text", content: text }] });
const assistant = (...parts: unknown[]) => ({ role: "assistant", parts, finish_reason: "stop" });

describe("input and output of agent and workflow spans (GenAI messages)", () => {
  it("take the newest user message and the final assistant text, not the tool parts beside it", () => {
    const input = [user("first question"), assistant({ type: "text", content: "first answer" }), user("What is the weather in Paris?")];
    const output = [
      assistant(
        { type: "text", content: "It is sunny in Paris." },
        { type: "tool_call", id: "c1", name: "getWeather", arguments: { city: "Paris" } },
        { type: "tool_call_response", id: "c1", response: { temperature: 21 } },
      ),
    ];
    expect(conversationInput(input)).toBe("What is the weather in Paris?");
    expect(conversationOutput(output)).toBe("It is sunny in Paris.");
  });

  it("read a tool result as the input of a step, and tool calls as the output of one that only called tools", () => {
    const input = [user("Weather?"), { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: { temperature: 21 } }] }];
    expect(conversationInput(input)).toBe('{"temperature":21}');
    const calls = [{ role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "getWeather", arguments: { city: "Paris" } }] }];
    expect(JSON.parse(conversationOutput(calls)!)).toEqual([{ name: "getWeather", arguments: { city: "Paris" } }]);
    // OpenAI chat shapes too.
    expect(conversationInput([{ role: "user", content: "plain" }])).toBe("plain");
    expect(conversationOutput([{ role: "assistant", content: [{ type: "output_text", text: "done" }] }])).toBe("done");
  });

  it("never throw on hostile message lists", () => {
    const hostile = fc.oneof(fc.anything(), fc.array(fc.anything()), fc.array(fc.record({ role: fc.string(), parts: fc.anything(), content: fc.anything() })));
    fc.assert(
      fc.property(hostile, (value) => {
        const input = conversationInput(value);
        const output = conversationOutput(value);
        expect(input === undefined || typeof input === "string").toBe(true);
        expect(output === undefined || typeof output === "string").toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it("map an invoke_agent span with messages to AGENT with input and output, with the mime type", () => {
    const [span] = recordSpans((p) =>
      p
        .getTracer("app")
        .startSpan("invoke_agent weather", {
          attributes: {
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": "weather",
            "gen_ai.input.messages": JSON.stringify([user("Weather in Paris as JSON?")]),
            "gen_ai.output.messages": JSON.stringify([assistant({ type: "text", content: '{"city":"Paris"}' })]),
          },
        })
        .end(),
    );
    const mapped = mapSpan(span!);
    expect(mapped.span_kind).toBe("AGENT");
    expect(mapped.attributes["input.value"]).toBe("Weather in Paris as JSON?");
    expect(mapped.attributes["input.mime_type"]).toBe("text/plain");
    expect(mapped.attributes["output.value"]).toBe('{"city":"Paris"}');
    expect(mapped.attributes["output.mime_type"]).toBe("application/json");
  });

  it("give an agent_step (CHAIN) the input and output of the model call inside it, and rerank the RERANKER kind", () => {
    const spans = recordSpans((p) => {
      const tracer = p.getTracer("ai");
      const step = tracer.startSpan("step 1", { attributes: { "gen_ai.operation.name": "agent_step" } });
      const chat = tracer.startSpan(
        "chat m",
        {
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.input.messages": JSON.stringify([user("Weather?")]),
            "gen_ai.output.messages": JSON.stringify([assistant({ type: "text", content: "Sunny." })]),
          },
        },
        // The chat span's parent is the step.
        trace.setSpan(ROOT_CONTEXT, step),
      );
      chat.end();
      step.end();
      tracer.startSpan("rerank r", { attributes: { "gen_ai.operation.name": "rerank", "gen_ai.request.model": "r" } }).end();
    });
    const [chat, step, rerank] = spans.map((s) => mapSpan(s));
    expect(chat!.span_kind).toBe("LLM");
    expect(step!.span_kind).toBe("CHAIN");
    expect(step!.attributes["input.value"]).toBe("Weather?");
    expect(step!.attributes["output.value"]).toBe("Sunny.");
    expect(rerank!.span_kind).toBe("RERANKER");
    expect(rerank!.attributes["reranker.model_name"]).toBe("r");
  });
});

describe("the demo's own agent spans", () => {
  it("show input and output in Phoenix: every invoke_agent span maps to AGENT with the question and the answer", () => {
    const spans = recordSpans((provider) => {
      const agent = new RagAgent(provider.getTracer("rag-agent-demo"), new StandInModel(), {
        version: "v2",
        system: "Answer from the context. For arithmetic, call the calculator tool.",
        tools: ["calculator"],
      });
      for (const { question } of QUESTIONS) agent.answer(question, ROOT_CONTEXT);
    });
    const agents = spans.filter((s) => s.name.startsWith("invoke_agent")).map((s) => mapSpan(s));
    expect(agents).toHaveLength(QUESTIONS.length);
    agents.forEach((mapped, i) => {
      expect(mapped.span_kind).toBe("AGENT");
      expect(mapped.attributes["agent.name"]).toBe("rag-agent");
      expect(mapped.attributes["input.value"]).toBe(QUESTIONS[i]!.question);
      expect(mapped.attributes["input.mime_type"]).toBe("text/plain");
      expect(typeof mapped.attributes["output.value"]).toBe("string");
      expect(mapped.attributes["output.mime_type"]).toBeDefined();
    });
    // No span of the demo is left UNKNOWN.
    expect(spans.map((s) => mapSpan(s).span_kind)).not.toContain("UNKNOWN");
  });
});
