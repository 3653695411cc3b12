import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the OpenAI REST API on 127.0.0.1, faithful to the shapes the
 * real API answers (chat completions with and without streaming and tool
 * calls, legacy completions, embeddings, the Responses API without streaming), so that real instrumentations see
 * real client objects. Answers are fixed, so captured spans are reproducible.
 *
 * Chat: when the request offers tools and the last message is not a tool
 * result, the answer is a call of the first tool with `{"city":"Paris"}`;
 * otherwise the text {@link FAKE_OPENAI.answer}.
 */
export const FAKE_OPENAI = {
  answer: "Paris is sunny, 21 °C.",
  model: "gpt-4o-mini-2024-07-18",
  usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 },
  cachedTokens: 4,
  reasoningTokens: 2,
  embeddingDimensions: 3,
} as const;

export interface FakeOpenAIServer {
  /** Base URL for the OpenAI client, ending in /v1. */
  readonly baseURL: string;
  /** Request bodies received, in order. */
  readonly requests: Array<{ path: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startFakeOpenAIServer(): Promise<FakeOpenAIServer> {
  const requests: FakeOpenAIServer["requests"] = [];
  let sequence = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        return json(res, 400, { error: { message: "invalid JSON", type: "invalid_request_error" } });
      }
      requests.push({ path, body });
      const id = ++sequence;
      if (req.method === "POST" && path === "/v1/chat/completions") return chat(req, res, body, id);
      if (req.method === "POST" && path === "/v1/completions") return completion(res, body, id);
      if (req.method === "POST" && path === "/v1/embeddings") return embeddings(res, body);
      if (req.method === "POST" && path === "/v1/responses") return response(res, body, id);
      json(res, 404, { error: { message: `Unknown path ${path}`, type: "invalid_request_error" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const CREATED = 1_767_268_800;

function usage(): Record<string, unknown> {
  return {
    ...FAKE_OPENAI.usage,
    prompt_tokens_details: { cached_tokens: FAKE_OPENAI.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: FAKE_OPENAI.reasoningTokens, audio_tokens: 0 },
  };
}

interface ToolCallAnswer {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

function toolCallFor(body: Record<string, unknown>): ToolCallAnswer | undefined {
  const tools = body.tools as Array<{ function?: { name?: string } }> | undefined;
  const messages = body.messages as Array<{ role?: string }> | undefined;
  const name = tools?.[0]?.function?.name;
  if (!name || messages?.at(-1)?.role === "tool") return undefined;
  return { id: "call_weather_1", type: "function", function: { name, arguments: '{"city":"Paris"}' } };
}

function chat(_req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, id: number): void {
  const toolCall = toolCallFor(body);
  const completionId = `chatcmpl-fake${id}`;
  if (body.stream !== true) {
    return json(res, 200, {
      id: completionId,
      object: "chat.completion",
      created: CREATED,
      model: FAKE_OPENAI.model,
      system_fingerprint: "fp_fake",
      choices: [
        {
          index: 0,
          message: toolCall
            ? { role: "assistant", content: null, tool_calls: [toolCall], refusal: null }
            : { role: "assistant", content: FAKE_OPENAI.answer, refusal: null },
          logprobs: null,
          finish_reason: toolCall ? "tool_calls" : "stop",
        },
      ],
      usage: usage(),
    });
  }
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const base = { id: completionId, object: "chat.completion.chunk", created: CREATED, model: FAKE_OPENAI.model, system_fingerprint: "fp_fake" };
  const events: unknown[] = [];
  if (toolCall) {
    events.push({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: null, tool_calls: [{ index: 0, id: toolCall.id, type: "function", function: { name: toolCall.function.name, arguments: "" } }] }, finish_reason: null }] });
    events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: toolCall.function.arguments } }] }, finish_reason: null }] });
    events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] });
  } else {
    events.push({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    for (const piece of ["Paris is sunny, ", "21 °C."]) {
      events.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    }
    events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  }
  if (includeUsage) events.push({ ...base, choices: [], usage: usage() });
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
  res.end("data: [DONE]\n\n");
}

function completion(res: ServerResponse, body: Record<string, unknown>, id: number): void {
  json(res, 200, {
    id: `cmpl-fake${id}`,
    object: "text_completion",
    created: CREATED,
    model: typeof body.model === "string" ? body.model : "gpt-3.5-turbo-instruct",
    choices: [{ text: FAKE_OPENAI.answer, index: 0, logprobs: null, finish_reason: "stop" }],
    usage: FAKE_OPENAI.usage,
  });
}

function embeddings(res: ServerResponse, body: Record<string, unknown>): void {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const base64 = body.encoding_format === "base64";
  json(res, 200, {
    object: "list",
    model: typeof body.model === "string" ? body.model : "text-embedding-3-small",
    data: inputs.map((_, index) => {
      const vector = Array.from({ length: FAKE_OPENAI.embeddingDimensions }, (_v, d) => (index + 1) / 10 + d / 100);
      return {
        object: "embedding",
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
      };
    }),
    usage: { prompt_tokens: 8, total_tokens: 8 },
  });
}

/**
 * Responses API: when the request offers function tools and its input has
 * no function_call_output yet, the answer is a function_call of the first
 * tool with `{"city":"Paris"}` (what an agent loop needs); otherwise the text.
 */
function responseOutput(body: Record<string, unknown>, id: number): unknown[] {
  const tools = body.tools as Array<{ type?: string; name?: string }> | undefined;
  const input = Array.isArray(body.input) ? (body.input as Array<{ type?: string }>) : [];
  const name = tools?.find((t) => t.type === "function")?.name;
  if (name && !input.some((item) => item?.type === "function_call_output")) {
    return [{ type: "function_call", id: `fc_fake${id}`, call_id: "call_weather_1", name, arguments: '{"city":"Paris"}', status: "completed" }];
  }
  return [
    {
      type: "message",
      id: `msg_fake${id}`,
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: FAKE_OPENAI.answer, annotations: [] }],
    },
  ];
}

function response(res: ServerResponse, body: Record<string, unknown>, id: number): void {
  json(res, 200, {
    id: `resp_fake${id}`,
    object: "response",
    created_at: CREATED,
    status: "completed",
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: FAKE_OPENAI.model,
    output: responseOutput(body, id),
    parallel_tool_calls: true,
    temperature: body.temperature ?? 1,
    tool_choice: "auto",
    tools: body.tools ?? [],
    top_p: 1,
    usage: {
      input_tokens: FAKE_OPENAI.usage.prompt_tokens,
      input_tokens_details: { cached_tokens: FAKE_OPENAI.cachedTokens },
      output_tokens: FAKE_OPENAI.usage.completion_tokens,
      output_tokens_details: { reasoning_tokens: FAKE_OPENAI.reasoningTokens },
      total_tokens: FAKE_OPENAI.usage.total_tokens,
    },
  });
}
