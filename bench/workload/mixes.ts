import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { prose } from "./prose.js";
import type { SeededRandom } from "./seeded-random.js";

/**
 * The seeded workload mixes (issue 16): each records spans through a real
 * SDK tracer, as the named instrumentations write them (attribute names and
 * shapes from test/fixtures/mapping/), and stresses a different part of the
 * mapping and serialising:
 *
 * - `oi-chat`: OpenInference-flattened chat (openinference-instrumentation-openai):
 *   long multi-turn histories (up to ~40 messages) with parallel tool calls,
 *   every message flattened (`llm.input_messages.N.message.*`) beside the JSON
 *   request in `input.value`; TOOL spans for each call; a CHAIN per turn.
 * - `genai-json`: the same conversations as GenAI / OpenLLMetry writes them:
 *   `gen_ai.input.messages`, `gen_ai.output.messages`,
 *   `gen_ai.system_instructions`, `gen_ai.tool.definitions` as JSON strings,
 *   which the mapping parses and flattens; `execute_tool` spans; Traceloop
 *   workflow / task spans around them.
 * - `rag`: embedding- and retriever-heavy RAG: batch document embeddings
 *   (2–8 vectors of 1,536 float32 values), query embeddings, retrievers with
 *   10–20 documents of 0.5–2 KB, rerankers, one short LLM call per query.
 * - `agent-small`: many small CHAIN / TOOL / AGENT spans from agent frameworks
 *   (LangGraph nodes, runnables, parsers, tools with small JSON in and out),
 *   an occasional short LLM call.
 */
export type ScopedTracer = (scope: string, version: string) => Tracer;

/** Milliseconds of simulated time. */
export class Clock {
  constructor(public now: number) {}
  advance(millis: number): number {
    this.now += millis;
    return this.now;
  }
}

interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

interface Message {
  role: "system" | "user" | "assistant" | "tool";
  content?: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

const MODELS = ["gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "gpt-5-mini-2025-08-07"];
const TOOL_NAMES = ["lookup_order", "search_kb", "create_ticket", "get_weather", "run_sql", "send_email"];

function toolDefinitions(random: SeededRandom, count: number): Array<Record<string, unknown>> {
  return TOOL_NAMES.slice(0, count).map((name) => ({
    type: "function",
    function: {
      name,
      description: prose(random, random.int(60, 200), 0),
      parameters: {
        type: "object",
        properties: {
          query: { type: "string", description: prose(random, 40, 0) },
          limit: { type: "integer", minimum: 1, maximum: 50 },
          filters: { type: "object", additionalProperties: { type: "string" } },
        },
        required: ["query"],
      },
    },
  }));
}

function toolArguments(random: SeededRandom): string {
  return JSON.stringify({ query: prose(random, random.int(20, 120), 0.1), limit: random.int(1, 20), filters: { region: random.pick(["eu", "us", "apac"]) } });
}

function toolResult(random: SeededRandom, min: number, max: number): string {
  return JSON.stringify({
    ok: true,
    rows: Array.from({ length: random.int(1, 5) }, () => ({ id: `r-${random.int(1, 99_999)}`, text: prose(random, random.int(40, 160)) })),
    note: prose(random, random.int(min, max)),
  });
}

/** A conversation's state: its history grows with every model call. */
class Conversation {
  readonly messages: Message[] = [];
  readonly tools: Array<Record<string, unknown>>;
  readonly model: string;
  readonly sessionId: string;

  constructor(readonly random: SeededRandom) {
    this.model = random.pick(MODELS);
    this.sessionId = `sess_${random.hex(16)}`;
    this.tools = toolDefinitions(random, random.int(2, 6));
    this.messages.push({ role: "system", content: `You are a helpful assistant. ${prose(random, random.int(500, 2_000))}` });
    // Earlier turns of a long chat, already answered.
    const prior = random.int(0, 12);
    for (let i = 0; i < prior; i++) this.#turn(false);
  }

  /** A finished earlier turn: user, maybe calls and results, answer. */
  #turn(current: boolean): void {
    const r = this.random;
    this.messages.push({ role: "user", content: prose(r, r.int(80, 800)) });
    if (!current && r.chance(0.4)) {
      const calls = this.calls();
      this.messages.push({ role: "assistant", toolCalls: calls });
      for (const c of calls) this.messages.push({ role: "tool", toolCallId: c.id, content: toolResult(r, 100, 800) });
    }
    if (!current) this.messages.push({ role: "assistant", content: prose(r, r.int(150, 1_500)) });
  }

  calls(): ToolCall[] {
    const r = this.random;
    return Array.from({ length: r.chance(0.3) ? r.int(2, 3) : 1 }, () => ({ id: `call_${r.hex(24)}`, name: r.pick(TOOL_NAMES), arguments: toolArguments(r) }));
  }

  userAsks(): void {
    this.#turn(true);
    // Keep histories long but bounded, as apps that window the context do: the system message and the last 40.
    if (this.messages.length > 41) this.messages.splice(1, this.messages.length - 41);
  }

  get lastUser(): string {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]!.role === "user") return this.messages[i]!.content!;
    return "";
  }
}

function usageOf(messages: readonly Message[], answer: Message): { prompt: number; completion: number } {
  const chars = messages.reduce((n, m) => n + (m.content?.length ?? 0) + (m.toolCalls?.reduce((k, c) => k + c.arguments.length, 0) ?? 0), 0);
  return { prompt: Math.ceil(chars / 4), completion: Math.ceil((answer.content?.length ?? 60) / 4) };
}

function openAiMessage(m: Message): Record<string, unknown> {
  if (m.toolCalls) return { role: m.role, content: null, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) };
  return m.toolCallId ? { role: m.role, content: m.content, tool_call_id: m.toolCallId } : { role: m.role, content: m.content };
}

function writeOiMessage(a: Attributes, prefix: string, m: Message): void {
  a[`${prefix}role`] = m.role;
  if (m.content !== undefined) a[`${prefix}content`] = m.content;
  if (m.toolCallId !== undefined) a[`${prefix}tool_call_id`] = m.toolCallId;
  m.toolCalls?.forEach((c, j) => {
    a[`${prefix}tool_calls.${j}.tool_call.id`] = c.id;
    a[`${prefix}tool_calls.${j}.tool_call.function.name`] = c.name;
    a[`${prefix}tool_calls.${j}.tool_call.function.arguments`] = c.arguments;
  });
}

function genAiMessage(m: Message): Record<string, unknown> {
  const parts: Array<Record<string, unknown>> = [];
  if (m.toolCalls) for (const c of m.toolCalls) parts.push({ type: "tool_call", id: c.id, name: c.name, arguments: JSON.parse(c.arguments) as unknown });
  else if (m.toolCallId) parts.push({ type: "tool_call_response", id: m.toolCallId, response: m.content });
  else parts.push({ type: "text", content: m.content });
  return { role: m.role, parts };
}

function endOk(span: Span, clock: Clock, min: number, max: number, random: SeededRandom): void {
  span.setStatus({ code: SpanStatusCode.OK });
  span.end(clock.advance(random.int(min, max)));
}

// ---------------------------------------------------------------- oi-chat

function oiLlm(tracer: Tracer, parent: Context, c: Conversation, answer: Message, clock: Clock, finish: string): void {
  const r = c.random;
  const params = { temperature: Math.round(r.float() * 10) / 10, max_tokens: 2_048 };
  const model = c.model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
  const a: Attributes = {
    "openinference.span.kind": "LLM",
    "llm.model_name": c.model,
    "input.value": JSON.stringify({ model, ...params, tools: c.tools, messages: c.messages.map(openAiMessage) }),
    "input.mime_type": "application/json",
    "llm.invocation_parameters": JSON.stringify({ model, ...params }),
    "llm.system": "openai",
    "llm.provider": "openai",
  };
  c.messages.forEach((m, i) => writeOiMessage(a, `llm.input_messages.${i}.message.`, m));
  c.tools.forEach((t, i) => (a[`llm.tools.${i}.tool.json_schema`] = JSON.stringify(t)));
  const usage = usageOf(c.messages, answer);
  a["output.value"] = JSON.stringify({
    id: `chatcmpl-${r.hex(29)}`,
    object: "chat.completion",
    created: 1_767_268_800,
    model: c.model,
    choices: [{ index: 0, message: { ...openAiMessage(answer), refusal: null }, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  });
  a["output.mime_type"] = "application/json";
  writeOiMessage(a, "llm.output_messages.0.message.", answer);
  a["llm.token_count.prompt"] = usage.prompt;
  a["llm.token_count.completion"] = usage.completion;
  a["llm.token_count.total"] = usage.prompt + usage.completion;
  a["llm.token_count.prompt_details.cache_read"] = r.int(0, usage.prompt);
  const span = tracer.startSpan("OpenAI Chat Completions", { kind: SpanKind.INTERNAL, attributes: a, startTime: clock.advance(2) }, parent);
  endOk(span, clock, 400, 4_000, r);
}

function oiTool(tracer: Tracer, parent: Context, call: ToolCall, result: string, clock: Clock, random: SeededRandom): void {
  const span = tracer.startSpan(
    call.name,
    {
      attributes: {
        "openinference.span.kind": "TOOL",
        "tool.name": call.name,
        "tool.parameters": call.arguments,
        "input.value": call.arguments,
        "input.mime_type": "application/json",
        "output.value": result,
        "output.mime_type": "application/json",
      },
      startTime: clock.advance(1),
    },
    parent,
  );
  if (random.chance(0.04)) {
    const error = new Error(`tool ${call.name} failed: upstream returned 503 (${call.id})`);
    span.recordException(error, clock.now);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.end(clock.advance(random.int(20, 300)));
  } else endOk(span, clock, 20, 300, random);
}

/** One user turn of an OpenInference chat: CHAIN → LLM (tool calls) → TOOLs → LLM (answer). */
function oiChatTurn(tracer: Tracer, c: Conversation, clock: Clock): void {
  const r = c.random;
  c.userAsks();
  const root = tracer.startSpan("ChatTurn", {
    attributes: {
      "openinference.span.kind": "CHAIN",
      "input.value": c.lastUser,
      "input.mime_type": "text/plain",
      "session.id": c.sessionId,
      "user.id": `user-${r.int(1, 5_000)}`,
      metadata: JSON.stringify({ app: "assistant", release: "2026.1", turn: c.messages.length }),
    },
    startTime: clock.now,
  });
  const inRoot = trace.setSpan(context.active(), root);
  const rounds = r.chance(0.6) ? r.int(1, 2) : 0;
  for (let i = 0; i < rounds; i++) {
    const calls = c.calls();
    const ask: Message = { role: "assistant", toolCalls: calls };
    oiLlm(tracer, inRoot, c, ask, clock, "tool_calls");
    c.messages.push(ask);
    for (const call of calls) {
      const result = toolResult(r, 100, 1_200);
      oiTool(tracer, inRoot, call, result, clock, r);
      c.messages.push({ role: "tool", toolCallId: call.id, content: result });
    }
  }
  const answer: Message = { role: "assistant", content: prose(r, r.int(200, 1_800)) };
  oiLlm(tracer, inRoot, c, answer, clock, "stop");
  c.messages.push(answer);
  root.setAttributes({ "output.value": answer.content!, "output.mime_type": "text/plain" });
  endOk(root, clock, 1, 5, r);
}

export function recordOiChat(tracerFor: ScopedTracer, random: SeededRandom, clock: Clock): void {
  const tracer = tracerFor("@arizeai/openinference-instrumentation-openai", "4.2.7");
  const c = new Conversation(random);
  const turns = random.int(2, 6);
  for (let t = 0; t < turns; t++) {
    oiChatTurn(tracer, c, clock);
    clock.advance(random.int(500, 20_000));
  }
}

// ---------------------------------------------------------------- genai-json

function genAiLlm(tracer: Tracer, parent: Context, c: Conversation, answer: Message, clock: Clock, finish: string): void {
  const r = c.random;
  const model = c.model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
  const usage = usageOf(c.messages, answer);
  const system = c.messages.find((m) => m.role === "system")?.content ?? "";
  const span = tracer.startSpan(
    `chat ${model}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.provider.name": "openai",
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": model,
        "gen_ai.request.max_tokens": 2_048,
        "gen_ai.request.temperature": Math.round(r.float() * 10) / 10,
        "gen_ai.input.messages": JSON.stringify(c.messages.filter((m) => m.role !== "system").map(genAiMessage)),
        "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: system }]),
        "gen_ai.tool.definitions": JSON.stringify(c.tools),
        "gen_ai.response.model": c.model,
        "gen_ai.response.id": `chatcmpl-${r.hex(29)}`,
        "gen_ai.usage.input_tokens": usage.prompt,
        "gen_ai.usage.output_tokens": usage.completion,
        "gen_ai.usage.total_tokens": usage.prompt + usage.completion,
        "gen_ai.response.finish_reasons": [finish],
        "gen_ai.output.messages": JSON.stringify([{ ...genAiMessage(answer), finish_reason: finish }]),
        "server.address": "api.openai.com",
        "server.port": 443,
      },
      startTime: clock.advance(2),
    },
    parent,
  );
  endOk(span, clock, 400, 4_000, r);
}

function genAiTool(tracer: Tracer, parent: Context, call: ToolCall, result: string, clock: Clock, random: SeededRandom): void {
  const span = tracer.startSpan(
    `execute_tool ${call.name}`,
    {
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": call.name,
        "gen_ai.tool.type": "function",
        "gen_ai.tool.call.id": call.id,
        "gen_ai.tool.call.arguments": call.arguments,
        "gen_ai.tool.call.result": result,
        "traceloop.span.kind": "tool",
        "traceloop.entity.name": call.name,
      },
      startTime: clock.advance(1),
    },
    parent,
  );
  endOk(span, clock, 20, 300, random);
}

export function recordGenAiChat(tracerFor: ScopedTracer, random: SeededRandom, clock: Clock): void {
  const openai = tracerFor("@traceloop/instrumentation-openai", "0.27.0");
  const sdk = tracerFor("@traceloop/node-server-sdk", "0.27.0");
  const c = new Conversation(random);
  const turns = random.int(2, 6);
  for (let t = 0; t < turns; t++) {
    c.userAsks();
    const root = sdk.startSpan("assistant.workflow", {
      attributes: {
        "traceloop.span.kind": "workflow",
        "traceloop.workflow.name": "assistant",
        "traceloop.entity.name": "assistant",
        "traceloop.entity.input": JSON.stringify({ args: [c.lastUser], kwargs: {} }),
        "traceloop.association.properties.session_id": c.sessionId,
        "traceloop.association.properties.user_id": `user-${random.int(1, 5_000)}`,
      },
      startTime: clock.now,
    });
    const inRoot = trace.setSpan(context.active(), root);
    const task = sdk.startSpan(
      "answer.task",
      { attributes: { "traceloop.span.kind": "task", "traceloop.entity.name": "answer", "traceloop.workflow.name": "assistant", "traceloop.entity.input": JSON.stringify({ args: [c.lastUser.slice(0, 200)] }) }, startTime: clock.advance(1) },
      inRoot,
    );
    const inTask = trace.setSpan(inRoot, task);
    const rounds = random.chance(0.6) ? random.int(1, 2) : 0;
    for (let i = 0; i < rounds; i++) {
      const calls = c.calls();
      const ask: Message = { role: "assistant", toolCalls: calls };
      genAiLlm(openai, inTask, c, ask, clock, "tool_calls");
      c.messages.push(ask);
      for (const call of calls) {
        const result = toolResult(random, 100, 1_200);
        genAiTool(sdk, inTask, call, result, clock, random);
        c.messages.push({ role: "tool", toolCallId: call.id, content: result });
      }
    }
    const answer: Message = { role: "assistant", content: prose(random, random.int(200, 1_800)) };
    genAiLlm(openai, inTask, c, answer, clock, "stop");
    c.messages.push(answer);
    task.setAttribute("traceloop.entity.output", JSON.stringify({ output: answer.content!.slice(0, 300) }));
    endOk(task, clock, 1, 3, random);
    root.setAttribute("traceloop.entity.output", JSON.stringify({ output: answer.content }));
    endOk(root, clock, 1, 3, random);
    clock.advance(random.int(500, 20_000));
  }
}

// ---------------------------------------------------------------- rag

function vector(random: SeededRandom): number[] {
  const v = new Array<number>(1_536);
  for (let i = 0; i < v.length; i++) v[i] = Math.fround(random.gaussian() * 0.025);
  return v;
}

function embeddingSpan(tracer: Tracer, parent: Context, texts: string[], clock: Clock, random: SeededRandom): void {
  const a: Attributes = {
    "openinference.span.kind": "EMBEDDING",
    "embedding.model_name": "text-embedding-3-small",
    "llm.system": "openai",
    "input.value": JSON.stringify(texts),
    "input.mime_type": "application/json",
    "llm.token_count.prompt": Math.ceil(texts.join("").length / 4),
    "llm.token_count.total": Math.ceil(texts.join("").length / 4),
  };
  texts.forEach((t, i) => {
    a[`embedding.embeddings.${i}.embedding.text`] = t;
    a[`embedding.embeddings.${i}.embedding.vector`] = vector(random);
  });
  const span = tracer.startSpan("OpenAI Embeddings", { attributes: a, startTime: clock.advance(1) }, parent);
  endOk(span, clock, 60, 400, random);
}

interface Doc {
  id: string;
  content: string;
  score: number;
  metadata: string;
}

function documents(random: SeededRandom, count: number): Doc[] {
  let score = 0.92 - random.float() * 0.1;
  return Array.from({ length: count }, () => {
    const id = `doc-${random.int(1, 500_000)}`;
    score -= random.float() * 0.03;
    return {
      id,
      content: prose(random, random.int(500, 2_000)),
      score: Math.round(score * 1e4) / 1e4,
      metadata: JSON.stringify({ source: `s3://kb/${id}.pdf`, page: random.int(1, 300), chunk: random.int(0, 40), lang: "en" }),
    };
  });
}

function writeDocs(a: Attributes, prefix: string, docs: readonly Doc[]): void {
  docs.forEach((d, i) => {
    a[`${prefix}.${i}.document.id`] = d.id;
    a[`${prefix}.${i}.document.content`] = d.content;
    a[`${prefix}.${i}.document.score`] = d.score;
    a[`${prefix}.${i}.document.metadata`] = d.metadata;
  });
}

export function recordRag(tracerFor: ScopedTracer, random: SeededRandom, clock: Clock): void {
  const lc = tracerFor("@arizeai/openinference-instrumentation-langchain", "4.1.1");
  const oai = tracerFor("@arizeai/openinference-instrumentation-openai", "4.2.7");
  // Ingestion: a document batch embedded (half the units).
  if (random.chance(0.5)) {
    const ingest = lc.startSpan("IngestDocuments", { attributes: { "openinference.span.kind": "CHAIN", "input.value": JSON.stringify({ files: random.int(1, 20) }), "input.mime_type": "application/json" }, startTime: clock.now });
    const inIngest = trace.setSpan(context.active(), ingest);
    const batches = random.int(1, 3);
    for (let b = 0; b < batches; b++) embeddingSpan(oai, inIngest, Array.from({ length: random.int(2, 8) }, () => prose(random, random.int(300, 1_200))), clock, random);
    endOk(ingest, clock, 1, 5, random);
  }
  const question = `${prose(random, random.int(60, 300))}?`;
  const root = lc.startSpan("RetrievalQA", { attributes: { "openinference.span.kind": "CHAIN", "input.value": JSON.stringify({ query: question }), "input.mime_type": "application/json", "session.id": `s-${random.hex(10)}` }, startTime: clock.advance(5) });
  const inRoot = trace.setSpan(context.active(), root);
  embeddingSpan(oai, inRoot, [question], clock, random);
  const docs = documents(random, random.int(10, 20));
  const ra: Attributes = {
    "openinference.span.kind": "RETRIEVER",
    "input.value": question,
    "input.mime_type": "text/plain",
    "output.value": JSON.stringify({ documents: docs.map((d) => ({ pageContent: d.content, metadata: JSON.parse(d.metadata) as unknown })) }),
    "output.mime_type": "application/json",
    metadata: JSON.stringify({ ls_retriever_name: "vectorstore", ls_vector_store_provider: "PGVector", k: docs.length }),
  };
  writeDocs(ra, "retrieval.documents", docs);
  endOk(lc.startSpan("VectorStoreRetriever", { attributes: ra, startTime: clock.advance(1) }, inRoot), clock, 10, 200, random);
  const top = [...docs].sort((x, y) => y.score - x.score).slice(0, 5);
  const rr: Attributes = {
    "openinference.span.kind": "RERANKER",
    "reranker.query": question,
    "reranker.model_name": "cross-encoder/ms-marco-MiniLM-L-6-v2",
    "reranker.top_k": 5,
  };
  writeDocs(rr, "reranker.input_documents", docs);
  writeDocs(rr, "reranker.output_documents", top);
  endOk(lc.startSpan("Reranker", { attributes: rr, startTime: clock.advance(1) }, inRoot), clock, 20, 200, random);
  const contextText = top.map((d) => d.content).join("\n\n");
  const c = new Conversation(random);
  c.messages.length = 1;
  c.messages.push({ role: "user", content: `Context:\n${contextText}\n\nQuestion: ${question}` });
  const answer: Message = { role: "assistant", content: prose(random, random.int(200, 1_000)) };
  oiLlm(oai, inRoot, c, answer, clock, "stop");
  root.setAttributes({ "output.value": answer.content!, "output.mime_type": "text/plain" });
  endOk(root, clock, 1, 5, random);
  clock.advance(random.int(100, 3_000));
}

// ---------------------------------------------------------------- agent-small

const NODES = ["agent", "tools", "should_continue", "RunnableSequence", "ChatPromptTemplate", "StrOutputParser", "RunnableLambda", "route"];

function smallJson(random: SeededRandom, min: number, max: number): string {
  return JSON.stringify({ messages: [{ type: random.pick(["human", "ai", "tool"]), content: prose(random, random.int(min, max), 0.1) }], step: random.int(1, 20) });
}

export function recordAgentSmall(tracerFor: ScopedTracer, random: SeededRandom, clock: Clock): void {
  const lc = tracerFor("@arizeai/openinference-instrumentation-langchain", "4.1.1");
  const agents = tracerFor("@arizeai/openinference-instrumentation-openai-agents", "0.2.15");
  const threadId = `thread-${random.hex(12)}`;
  const root = lc.startSpan("LangGraph", {
    attributes: { "openinference.span.kind": "CHAIN", "input.value": smallJson(random, 40, 200), "input.mime_type": "application/json", "session.id": threadId, metadata: JSON.stringify({ thread_id: threadId }) },
    startTime: clock.now,
  });
  const inRoot = trace.setSpan(context.active(), root);
  const steps = random.int(4, 12);
  for (let step = 1; step <= steps; step++) {
    const node = random.pick(NODES);
    const nodeSpan = lc.startSpan(
      node,
      {
        attributes: {
          "openinference.span.kind": "CHAIN",
          "input.value": smallJson(random, 20, 250),
          "input.mime_type": "application/json",
          "output.value": smallJson(random, 10, 200),
          "output.mime_type": "application/json",
          metadata: JSON.stringify({ langgraph_step: step, langgraph_node: node, langgraph_triggers: [`branch:to:${node}`], langgraph_path: ["__pregel_pull", node], langgraph_checkpoint_ns: `${node}:${random.hex(8)}`, thread_id: threadId }),
        },
        startTime: clock.advance(1),
      },
      inRoot,
    );
    const inNode = trace.setSpan(inRoot, nodeSpan);
    const children = random.int(0, 3);
    for (let k = 0; k < children; k++) {
      const roll = random.float();
      if (roll < 0.5) {
        const name = random.pick(TOOL_NAMES);
        const args = JSON.stringify({ query: prose(random, random.int(10, 60), 0), k: random.int(1, 5) });
        endOk(
          lc.startSpan(name, { attributes: { "openinference.span.kind": "TOOL", "tool.name": name, "tool.description": prose(random, random.int(30, 90), 0), "tool.parameters": args, "input.value": args, "input.mime_type": "application/json", "output.value": prose(random, random.int(20, 300)), "output.mime_type": "text/plain" }, startTime: clock.advance(1) }, inNode),
          clock,
          2,
          80,
          random,
        );
      } else if (roll < 0.75) {
        endOk(
          agents.startSpan(random.pick(["Planner", "Researcher", "Writer"]), { attributes: { "openinference.span.kind": "AGENT", "graph.node.id": `n-${random.int(1, 9)}`, "graph.node.parent_id": "n-0", "input.value": prose(random, random.int(20, 150), 0.1), "output.value": prose(random, random.int(20, 150), 0.1) }, startTime: clock.advance(1) }, inNode),
          clock,
          5,
          200,
          random,
        );
      } else if (roll < 0.9) {
        endOk(lc.startSpan("StrOutputParser", { attributes: { "openinference.span.kind": "CHAIN", "input.value": prose(random, random.int(20, 200)), "output.value": prose(random, random.int(20, 200)) }, startTime: clock.advance(1) }, inNode), clock, 0, 2, random);
      } else {
        const c = new Conversation(random);
        c.messages.length = 1;
        c.messages[0] = { role: "system", content: prose(random, random.int(80, 300)) };
        c.messages.push({ role: "user", content: prose(random, random.int(50, 300)) });
        oiLlm(lc, inNode, c, { role: "assistant", content: prose(random, random.int(30, 300)) }, clock, "stop");
      }
    }
    endOk(nodeSpan, clock, 1, 20, random);
  }
  root.setAttributes({ "output.value": smallJson(random, 40, 300), "output.mime_type": "application/json" });
  endOk(root, clock, 1, 5, random);
  clock.advance(random.int(50, 2_000));
}
