import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import { prose } from "./prose.js";
import type { SeededRandom } from "./seeded-random.js";

/**
 * One agent run, as real instrumentations record it, as a tree of real SDK
 * spans:
 *
 *     CHAIN  agent run (LangChain via OpenInference, or a Traceloop workflow)
 *     ├─ CHAIN  retrieve context
 *     │  ├─ EMBEDDING  the question, one 1,536-dimension vector
 *     │  └─ RETRIEVER  5 documents of about 1 KB
 *     ├─ LLM   system + user messages (1–3 KB), answers with a tool call
 *     ├─ TOOL  the call (5 % fail, with an exception event)
 *     └─ LLM   the same messages + the call and its result, answers
 *
 * The LLM and TOOL spans of a run are written either as
 * `@arizeai/openinference-instrumentation-openai` writes them (flattened
 * `llm.*` keys, `input.value` holding the request) or as OpenLLMetry 0.27
 * (`@traceloop/instrumentation-openai`) does (`gen_ai.*` with JSON messages,
 * which the mapping has to parse and flatten). Attribute names and shapes
 * follow the captured fixtures in test/fixtures/mapping/.
 */
export type LlmConvention = "openinference" | "genai";

export const SPANS_PER_RUN = 7;

const MODELS = ["gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14"];
const EMBEDDING_DIMENSIONS = 1_536;

const TOOLS = [
  {
    type: "function",
    function: {
      name: "lookup_order",
      description: "Look up an order by its number and return its status, items and shipping details.",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string", description: "The order number, e.g. A-10293" } },
        required: ["order_id"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "create_ticket",
      description: "Open a support ticket for the customer with a summary of the problem.",
      parameters: {
        type: "object",
        properties: { summary: { type: "string" }, priority: { type: "string", enum: ["low", "normal", "high"] } },
        required: ["summary"],
      },
    },
  },
];

interface Message {
  role: "system" | "user" | "assistant" | "tool";
  content?: string;
  toolCall?: { id: string; name: string; arguments: string };
  toolCallId?: string;
}

interface Usage {
  prompt: number;
  completion: number;
}

/** Milliseconds of simulated time, turned into the span's start and end. */
class Clock {
  constructor(public now: number) {}
  advance(millis: number): number {
    this.now += millis;
    return this.now;
  }
}

export function recordAgentRun(tracer: Tracer, random: SeededRandom, startMillis: number): void {
  const convention: LlmConvention = random.chance(0.5) ? "openinference" : "genai";
  const clock = new Clock(startMillis);
  const question = prose(random, random.int(120, 400)) + "?";
  const model = random.pick(MODELS);
  const sessionId = `session-${random.hex(12)}`;

  const root = startRoot(tracer, convention, question, sessionId, clock.now);
  const inRoot = trace.setSpan(context.active(), root);

  // Retrieval: embed the question, search, keep 5 chunks.
  const retrieve = tracer.startSpan(
    "retrieve_context",
    { attributes: { "openinference.span.kind": "CHAIN", "input.value": question, "input.mime_type": "text/plain" }, startTime: clock.advance(2) },
    inRoot,
  );
  const inRetrieve = trace.setSpan(inRoot, retrieve);
  recordEmbedding(tracer, random, inRetrieve, question, clock);
  const documents = recordRetriever(tracer, random, inRetrieve, question, clock);
  const contextText = documents.map((d) => d.content).join("\n\n");
  retrieve.setAttributes({ "output.value": contextText, "output.mime_type": "text/plain" });
  retrieve.end(clock.advance(1));

  // First model call: decides to call a tool.
  const system = `You are a support assistant for an online shop. ${prose(random, random.int(400, 1_000))}\n\nContext:\n${contextText.slice(0, random.int(200, 900))}`;
  const messages: Message[] = [
    { role: "system", content: system },
    { role: "user", content: `${question} ${prose(random, random.int(200, 900))}` },
  ];
  const tool = random.pick(TOOLS).function.name;
  const call = { id: `call_${random.hex(24)}`, name: tool, arguments: JSON.stringify(toolArguments(random, tool)) };
  const firstAnswer: Message = { role: "assistant", toolCall: call };
  recordLlm(tracer, random, inRoot, convention, model, messages, firstAnswer, clock, "tool_calls");

  // The tool.
  const result = recordTool(tracer, random, inRoot, convention, call, clock);

  // Second model call: answers from the tool's result.
  messages.push(firstAnswer, { role: "tool", toolCallId: call.id, content: result });
  const answer = prose(random, random.int(300, 1_200));
  recordLlm(tracer, random, inRoot, convention, model, messages, { role: "assistant", content: answer }, clock, "stop");

  if (convention === "openinference") root.setAttributes({ "output.value": answer, "output.mime_type": "text/plain" });
  else root.setAttribute("traceloop.entity.output", JSON.stringify({ output: answer }));
  root.end(clock.advance(3));
}

function startRoot(tracer: Tracer, convention: LlmConvention, question: string, sessionId: string, start: number): Span {
  if (convention === "openinference") {
    return tracer.startSpan("AgentExecutor", {
      attributes: {
        "openinference.span.kind": "CHAIN",
        "input.value": JSON.stringify({ input: question }),
        "input.mime_type": "application/json",
        "session.id": sessionId,
        metadata: JSON.stringify({ tenant: "acme", ls_run_type: "chain", versions: { "@langchain/core": "1.4.0" } }),
      },
      startTime: start,
    });
  }
  return tracer.startSpan("support_agent.workflow", {
    attributes: {
      "traceloop.span.kind": "workflow",
      "traceloop.workflow.name": "support_agent",
      "traceloop.entity.name": "support_agent",
      "traceloop.entity.input": JSON.stringify({ question }),
      "traceloop.association.properties.session_id": sessionId,
      "traceloop.association.properties.tenant": "acme",
    },
    startTime: start,
  });
}

function recordEmbedding(tracer: Tracer, random: SeededRandom, parent: ReturnType<typeof context.active>, text: string, clock: Clock): void {
  // openai-node decodes base64 embeddings into float32: as doubles they print with ~17 digits.
  const vector = new Array<number>(EMBEDDING_DIMENSIONS);
  for (let i = 0; i < EMBEDDING_DIMENSIONS; i++) vector[i] = Math.fround(random.gaussian() * 0.025);
  const span = tracer.startSpan(
    "OpenAI Embeddings",
    {
      attributes: {
        "openinference.span.kind": "EMBEDDING",
        "embedding.model_name": "text-embedding-3-small",
        "llm.system": "openai",
        "input.value": JSON.stringify([text]),
        "input.mime_type": "application/json",
        "embedding.embeddings.0.embedding.text": text,
        "embedding.embeddings.0.embedding.vector": vector,
        "llm.token_count.prompt": Math.ceil(text.length / 4),
        "llm.token_count.total": Math.ceil(text.length / 4),
      },
      startTime: clock.advance(1),
    },
    parent,
  );
  span.setStatus({ code: SpanStatusCode.OK });
  span.end(clock.advance(random.int(80, 400)));
}

interface RetrievedDocument {
  id: string;
  content: string;
  score: number;
  metadata: Record<string, unknown>;
}

function recordRetriever(
  tracer: Tracer,
  random: SeededRandom,
  parent: ReturnType<typeof context.active>,
  query: string,
  clock: Clock,
): RetrievedDocument[] {
  const documents: RetrievedDocument[] = [];
  let score = 0.9 - random.float() * 0.1;
  for (let i = 0; i < 5; i++) {
    const id = `kb-${random.int(1, 40_000)}`;
    documents.push({
      id,
      content: prose(random, random.int(850, 1_150)),
      score: Math.round(score * 1e4) / 1e4,
      metadata: { source: `help-center/${id}.md`, section: random.int(1, 30), updated: "2026-01-12" },
    });
    score -= random.float() * 0.05;
  }
  const attributes: Attributes = {
    "openinference.span.kind": "RETRIEVER",
    "input.value": query,
    "input.mime_type": "text/plain",
    "output.value": JSON.stringify({ documents: documents.map((d) => ({ pageContent: d.content, metadata: d.metadata })) }),
    "output.mime_type": "application/json",
  };
  documents.forEach((d, i) => {
    attributes[`retrieval.documents.${i}.document.id`] = d.id;
    attributes[`retrieval.documents.${i}.document.content`] = d.content;
    attributes[`retrieval.documents.${i}.document.score`] = d.score;
    attributes[`retrieval.documents.${i}.document.metadata`] = JSON.stringify(d.metadata);
  });
  const span = tracer.startSpan("VectorStoreRetriever", { attributes, startTime: clock.advance(1) }, parent);
  span.end(clock.advance(random.int(20, 150)));
  return documents;
}

function recordLlm(
  tracer: Tracer,
  random: SeededRandom,
  parent: ReturnType<typeof context.active>,
  convention: LlmConvention,
  model: string,
  messages: readonly Message[],
  answer: Message,
  clock: Clock,
  finishReason: string,
): void {
  const promptChars = messages.reduce((n, m) => n + (m.content?.length ?? 0) + (m.toolCall?.arguments.length ?? 0), 0);
  const usage: Usage = { prompt: Math.ceil(promptChars / 4), completion: Math.ceil((answer.content?.length ?? 40) / 4) };
  const parameters = { temperature: Math.round(random.float() * 10) / 10, max_tokens: 1_024, top_p: 1 };
  const start = clock.advance(2);
  const attributes =
    convention === "openinference"
      ? openInferenceLlm(random, model, parameters, messages, answer, usage, finishReason)
      : genAiLlm(random, model, parameters, messages, answer, usage, finishReason);
  const name = convention === "openinference" ? "OpenAI Chat Completions" : `chat ${model.replace(/-\d{4}-\d{2}-\d{2}$/, "")}`;
  const span = tracer.startSpan(
    name,
    { kind: convention === "openinference" ? SpanKind.INTERNAL : SpanKind.CLIENT, attributes, startTime: start },
    parent,
  );
  span.setStatus({ code: SpanStatusCode.OK });
  span.end(clock.advance(random.int(600, 3_000)));
}

function openInferenceLlm(
  random: SeededRandom,
  model: string,
  parameters: Record<string, number>,
  messages: readonly Message[],
  answer: Message,
  usage: Usage,
  finishReason: string,
): Attributes {
  const request = { model: model.replace(/-\d{4}-\d{2}-\d{2}$/, ""), ...parameters, tools: TOOLS, messages: messages.map(openAiMessage) };
  const a: Attributes = {
    "openinference.span.kind": "LLM",
    "llm.model_name": model,
    "input.value": JSON.stringify(request),
    "input.mime_type": "application/json",
    "llm.invocation_parameters": JSON.stringify({ model: request.model, ...parameters }),
    "llm.system": "openai",
    "llm.provider": "openai",
  };
  messages.forEach((m, i) => writeOpenInferenceMessage(a, `llm.input_messages.${i}.message.`, m));
  TOOLS.forEach((tool, i) => (a[`llm.tools.${i}.tool.json_schema`] = JSON.stringify(tool)));
  const response = {
    id: `chatcmpl-${random.hex(29)}`,
    object: "chat.completion",
    created: 1_767_268_800,
    model,
    choices: [{ index: 0, message: { ...openAiMessage(answer), refusal: null }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  };
  a["output.value"] = JSON.stringify(response);
  a["output.mime_type"] = "application/json";
  writeOpenInferenceMessage(a, "llm.output_messages.0.message.", answer);
  a["llm.finish_reason"] = finishReason;
  a["llm.token_count.completion"] = usage.completion;
  a["llm.token_count.prompt"] = usage.prompt;
  a["llm.token_count.total"] = usage.prompt + usage.completion;
  a["llm.token_count.prompt_details.cache_read"] = random.int(0, usage.prompt);
  a["llm.token_count.completion_details.reasoning"] = 0;
  return a;
}

function writeOpenInferenceMessage(a: Attributes, prefix: string, m: Message): void {
  a[`${prefix}role`] = m.role;
  if (m.content !== undefined) a[`${prefix}content`] = m.content;
  if (m.toolCallId !== undefined) a[`${prefix}tool_call_id`] = m.toolCallId;
  if (m.toolCall) {
    a[`${prefix}tool_calls.0.tool_call.id`] = m.toolCall.id;
    a[`${prefix}tool_calls.0.tool_call.function.name`] = m.toolCall.name;
    a[`${prefix}tool_calls.0.tool_call.function.arguments`] = m.toolCall.arguments;
  }
}

function openAiMessage(m: Message): Record<string, unknown> {
  if (m.toolCall) {
    return {
      role: m.role,
      content: null,
      tool_calls: [{ id: m.toolCall.id, type: "function", function: { name: m.toolCall.name, arguments: m.toolCall.arguments } }],
    };
  }
  return m.toolCallId ? { role: m.role, content: m.content, tool_call_id: m.toolCallId } : { role: m.role, content: m.content };
}

function genAiLlm(
  random: SeededRandom,
  model: string,
  parameters: Record<string, number>,
  messages: readonly Message[],
  answer: Message,
  usage: Usage,
  finishReason: string,
): Attributes {
  return {
    "gen_ai.provider.name": "openai",
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": model.replace(/-\d{4}-\d{2}-\d{2}$/, ""),
    "gen_ai.request.max_tokens": parameters.max_tokens,
    "gen_ai.request.temperature": parameters.temperature,
    "gen_ai.request.top_p": parameters.top_p,
    "gen_ai.input.messages": JSON.stringify(messages.filter((m) => m.role !== "system").map(genAiMessage)),
    "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: messages.find((m) => m.role === "system")?.content ?? "" }]),
    "gen_ai.tool.definitions": JSON.stringify(TOOLS),
    "gen_ai.response.model": model,
    "gen_ai.response.id": `chatcmpl-${random.hex(29)}`,
    "gen_ai.usage.input_tokens": usage.prompt,
    "gen_ai.usage.output_tokens": usage.completion,
    "gen_ai.usage.total_tokens": usage.prompt + usage.completion,
    "gen_ai.response.finish_reasons": [finishReason],
    "gen_ai.output.messages": JSON.stringify([{ ...genAiMessage(answer), finish_reason: finishReason }]),
  };
}

function genAiMessage(m: Message): Record<string, unknown> {
  const parts: Array<Record<string, unknown>> = [];
  if (m.toolCall) parts.push({ type: "tool_call", id: m.toolCall.id, name: m.toolCall.name, arguments: JSON.parse(m.toolCall.arguments) as unknown });
  else if (m.toolCallId) parts.push({ type: "tool_call_response", id: m.toolCallId, response: m.content });
  else parts.push({ type: "text", content: m.content });
  return { role: m.role, parts };
}

function toolArguments(random: SeededRandom, tool: string): Record<string, unknown> {
  return tool === "lookup_order"
    ? { order_id: `A-${random.int(10_000, 99_999)}` }
    : { summary: prose(random, random.int(60, 200)), priority: random.pick(["low", "normal", "high"]) };
}

function recordTool(
  tracer: Tracer,
  random: SeededRandom,
  parent: ReturnType<typeof context.active>,
  convention: LlmConvention,
  call: { id: string; name: string; arguments: string },
  clock: Clock,
): string {
  const result = JSON.stringify({
    status: random.pick(["pending", "shipped", "delivered"]),
    items: Array.from({ length: random.int(1, 4) }, () => ({ sku: `SKU-${random.int(1_000, 9_999)}`, quantity: random.int(1, 3), title: prose(random, 40, 0) })),
    notes: prose(random, random.int(100, 500)),
  });
  const attributes: Attributes =
    convention === "openinference"
      ? {
          "openinference.span.kind": "TOOL",
          "tool.name": call.name,
          "input.value": call.arguments,
          "input.mime_type": "application/json",
          "output.value": result,
          "output.mime_type": "application/json",
        }
      : {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": call.name,
          "gen_ai.tool.type": "function",
          "gen_ai.tool.call.id": call.id,
          "gen_ai.tool.call.arguments": call.arguments,
          "gen_ai.tool.call.result": result,
        };
  const span = tracer.startSpan(convention === "openinference" ? call.name : `execute_tool ${call.name}`, { attributes, startTime: clock.advance(1) }, parent);
  if (random.chance(0.05)) {
    const error = new Error(`upstream order service timed out after 5000 ms (${call.id})`);
    span.recordException(error, clock.now);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.setStatus({ code: SpanStatusCode.OK });
  }
  span.end(clock.advance(random.int(30, 400)));
  return result;
}
