/**
 * A small RAG-plus-tool agent, instrumented the way an application would be
 * with the OpenTelemetry GenAI semantic conventions (`gen_ai.*`): an
 * `invoke_agent` span, a `retrieval` span, `chat` spans for the model and an
 * `execute_tool` span for the calculator. phoenix-connector's mapping turns
 * these into OpenInference spans (AGENT, RETRIEVER, LLM, TOOL) for Phoenix.
 */
import { SpanStatusCode, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { DOCUMENTS, type KnowledgeDocument } from "./knowledge-base.js";
import { MODEL_NAME, calculate, type ChatMessage, type ChatResult, type StandInModel } from "./stand-in-model.js";

export interface PromptVersion {
  version: string;
  system: string;
  /** Tools offered to the model. */
  tools: readonly string[];
}

export interface AgentAnswer {
  text: string;
  route: "retrieve" | "calculate";
  tokens: number;
  latencyMs: number;
}

const STOP_WORDS: ReadonlySet<string> = new Set(["what", "is", "the", "a", "an", "in", "on", "of", "does", "do", "how", "which", "one", "by", "to"]);

export class RagAgent {
  readonly #tracer: Tracer;
  readonly #model: StandInModel;
  readonly #prompt: PromptVersion;

  constructor(tracer: Tracer, model: StandInModel, prompt: PromptVersion) {
    this.#tracer = tracer;
    this.#model = model;
    this.#prompt = prompt;
  }

  /** Answers one question; `parent` places the agent's spans in the job's trace. */
  answer(question: string, parent: Context): AgentAnswer {
    const started = performance.now();
    return this.#span(`invoke_agent rag-agent`, parent, { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "rag-agent" }, (agent, ctx) => {
      agent.setAttribute("gen_ai.input.messages", JSON.stringify([{ role: "user", parts: [{ type: "text", content: question }] }]));
      const documents = this.#retrieve(question, ctx);
      const context = documents.map((d) => d.content).join("\n");
      const messages: ChatMessage[] = [
        { role: "system", content: this.#prompt.system },
        { role: "user", content: `Context:\n${context}\n\nQuestion: ${question}` },
      ];
      let tokens = 0;
      let result = this.#chat(messages, ctx);
      tokens += result.usage.inputTokens + result.usage.outputTokens;
      let route: AgentAnswer["route"] = "retrieve";
      if (result.toolCall) {
        route = "calculate";
        const output = this.#callTool(result.toolCall.id, result.toolCall.arguments.expression, ctx);
        messages.push({ role: "assistant", content: JSON.stringify({ tool_call: result.toolCall }) }, { role: "tool", content: output });
        result = this.#chat(messages, ctx);
        tokens += result.usage.inputTokens + result.usage.outputTokens;
      }
      const text = result.content ?? "";
      agent.setAttribute("gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" }]));
      return { text, route, tokens, latencyMs: performance.now() - started };
    });
  }

  #retrieve(query: string, parent: Context): Array<KnowledgeDocument & { score: number }> {
    return this.#span("retrieval knowledge-base", parent, { "gen_ai.operation.name": "retrieval", "gen_ai.data_source.id": "demo-kb" }, (span) => {
      const terms = tokens(query);
      const ranked = DOCUMENTS.map((doc) => ({ ...doc, score: tokens(doc.content).filter((t) => terms.includes(t)).length / terms.length }))
        .filter((d) => d.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, 2);
      span.setAttributes({ "gen_ai.retrieval.query.text": query, "gen_ai.retrieval.documents": JSON.stringify(ranked) });
      return ranked;
    });
  }

  #chat(messages: readonly ChatMessage[], parent: Context): ChatResult {
    const attributes = {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "stand-in",
      "gen_ai.request.model": MODEL_NAME,
      "gen_ai.request.temperature": 0,
      "gen_ai.input.messages": JSON.stringify(messages.map(genAiMessage)),
      ...(this.#prompt.tools.length > 0 ? { "gen_ai.tool.definitions": JSON.stringify(this.#prompt.tools.map(toolDefinition)) } : {}),
    };
    return this.#span(`chat ${MODEL_NAME}`, parent, attributes, (span) => {
      const result = this.#model.chat(messages, this.#prompt.tools);
      const parts = result.toolCall
        ? [{ type: "tool_call", id: result.toolCall.id, name: result.toolCall.name, arguments: result.toolCall.arguments }]
        : [{ type: "text", content: result.content }];
      span.setAttributes({
        "gen_ai.response.model": MODEL_NAME,
        "gen_ai.response.finish_reasons": [result.toolCall ? "tool_call" : "stop"],
        "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts, finish_reason: result.toolCall ? "tool_call" : "stop" }]),
        "gen_ai.usage.input_tokens": result.usage.inputTokens,
        "gen_ai.usage.output_tokens": result.usage.outputTokens,
      });
      return result;
    });
  }

  #callTool(id: string, expression: string, parent: Context): string {
    const attributes = {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "calculator",
      "gen_ai.tool.type": "function",
      "gen_ai.tool.call.id": id,
      "gen_ai.tool.call.arguments": JSON.stringify({ expression }),
    };
    return this.#span("execute_tool calculator", parent, attributes, (span) => {
      const result = calculate(expression);
      span.setAttribute("gen_ai.tool.call.result", result);
      return result;
    });
  }

  /** Runs `work` in a child span of `parent`, ending it (with ERROR on a throw). */
  #span<T>(name: string, parent: Context, attributes: Record<string, string | number>, work: (span: Span, context: Context) => T): T {
    const span = this.#tracer.startSpan(name, { attributes }, parent);
    try {
      const result = work(span, trace.setSpan(parent, span));
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }
}

function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+(?:\.[0-9]+)?/g) ?? []).filter((t) => !STOP_WORDS.has(t));
}

/** A message in the GenAI semantic conventions' JSON form (`role` + `parts`). */
function genAiMessage(message: ChatMessage): Record<string, unknown> {
  if (message.role === "tool") return { role: "tool", parts: [{ type: "tool_call_response", response: message.content }] };
  return { role: message.role, parts: [{ type: "text", content: message.content }] };
}

function toolDefinition(name: string): Record<string, unknown> {
  return {
    type: "function",
    name,
    description: "Evaluates one binary arithmetic operation, e.g. 16 * 2.",
    parameters: { type: "object", properties: { expression: { type: "string" } }, required: ["expression"] },
  };
}
