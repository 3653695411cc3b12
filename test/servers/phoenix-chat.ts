import { parseJson, type Answer } from "./phoenix-http.js";
import { schemaValidator } from "./phoenix-schema.js";

/**
 * POST /v1/chat/completions (Phoenix 20.3's OpenAI-format proxy, openapi.json
 * `createChatCompletion`), answered by a scripted hook instead of a provider,
 * so an LLM-judge test can run against the stand-in.
 *
 * - The body is validated against `CreateChatCompletionRequestBody`; errors
 *   are 422 in the schema's `ChatCompletionErrorResponse` shape.
 * - `model` must be `{provider}:{model}` for a built-in provider (the
 *   schema's list) or `custom:{provider_id}:{model}`; otherwise 400.
 * - `tools` are refused with 400 ("Tool calling is not supported").
 * - `stream: true` answers server-sent events of `chat.completion.chunk`
 *   payloads ending with `data: [DONE]` (a usage chunk first when
 *   `stream_options.include_usage`).
 * - Without a hook the server behaves as a Phoenix with no provider
 *   credentials: 400 naming the provider (a choice, not measured).
 * - Usage is estimated as one token per 4 characters, at least 1.
 */
export interface ChatCompletionRequest {
  model: string;
  messages: Array<{ role: "system" | "developer" | "user" | "assistant"; content: string | Array<{ type: "text"; text: string }> }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  temperature?: number | null;
  max_tokens?: number | null;
  [key: string]: unknown;
}

export interface ChatCompletionError {
  status: number;
  error: { message: string; type: string; param?: string | null; code?: string | null };
}

/**
 * What a script returns: the assistant's text, a partial ChatCompletion
 * merged over the default one (e.g. `{ usage: {...} }` or `choices`), or an
 * error to answer with.
 */
export type ChatCompletionResult = string | ChatCompletionError | Record<string, unknown>;
export type ChatCompletionScript = (body: ChatCompletionRequest) => ChatCompletionResult | Promise<ChatCompletionResult>;

const PROVIDERS = new Set(["anthropic", "aws", "azure_openai", "cerebras", "deepseek", "fireworks", "google", "groq", "moonshot", "ollama", "openai", "perplexity", "together", "xai"]);

function errorAnswer(status: number, message: string, param: string | null = null, code: string | null = null): Answer {
  return { status, body: { error: { message, type: "invalid_request_error", param, code } } };
}

const tokens = (textValue: string) => Math.max(1, Math.ceil(textValue.length / 4));

export function chatRoute(script: ChatCompletionScript | undefined) {
  let sequence = 0;
  return async function chat(raw: Buffer): Promise<Answer> {
    const parsed = parseJson(raw);
    if (!parsed.ok) return errorAnswer(422, "Request body is not valid JSON");
    const validate = schemaValidator("CreateChatCompletionRequestBody");
    if (!validate(parsed.value)) {
      const first = validate.errors?.[0];
      const param = first ? first.instancePath.split("/").filter(Boolean).join(".") || ((first.params as { missingProperty?: string }).missingProperty ?? null) : null;
      return errorAnswer(422, (validate.errors ?? []).map((e) => `${e.instancePath || "body"} ${e.message}`).join("; "), param);
    }
    const body = parsed.value as ChatCompletionRequest;
    const parts = body.model.split(":");
    const provider = parts[0]!;
    const valid = provider === "custom" ? parts.length >= 3 && parts[1] !== "" && parts.slice(2).join(":") !== "" : PROVIDERS.has(provider) && parts.length >= 2 && parts.slice(1).join(":") !== "";
    if (!valid) {
      return errorAnswer(400, `Model must be '{provider}:{model_name}' for a built-in provider or 'custom:{provider_id}:{model_name}', got '${body.model}'`, "model", "invalid_model");
    }
    const modelName = provider === "custom" ? parts.slice(2).join(":") : parts.slice(1).join(":");
    if (Array.isArray(body.tools) && body.tools.length > 0) return errorAnswer(400, "Tool calling is not supported", "tools");
    if (!script) return errorAnswer(400, `No API key found for provider ${provider === "custom" ? parts[1] : provider}`, "model", "missing_credentials");

    const result = await script(body);
    if (typeof result === "object" && result !== null && "error" in result && typeof (result as ChatCompletionError).status === "number") {
      const { status, error } = result as ChatCompletionError;
      return { status, body: { error: { param: null, code: null, ...error } } };
    }
    const content = typeof result === "string" ? result : "";
    const promptText = body.messages.map((m) => (typeof m.content === "string" ? m.content : m.content.map((p) => p.text).join(""))).join("\n");
    const completion: Record<string, unknown> = {
      id: `chatcmpl-phoenix-test-${++sequence}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: modelName,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: tokens(promptText), completion_tokens: tokens(content), total_tokens: tokens(promptText) + tokens(content) },
      ...(typeof result === "object" ? result : {}),
    };
    if (!body.stream) return { status: 200, body: completion };
    return { status: 200, body: streamOf(completion, body.stream_options?.include_usage === true), headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } };
  };
}

/** The completion as OpenAI-style server-sent events. */
function streamOf(completion: Record<string, unknown>, includeUsage: boolean): string {
  const choices = completion.choices as Array<{ index?: number; message: { content: string }; finish_reason: string }>;
  const base = { id: completion.id, object: "chat.completion.chunk", created: completion.created, model: completion.model };
  const events: unknown[] = [];
  for (const [i, choice] of choices.entries()) {
    const index = choice.index ?? i;
    events.push({ ...base, choices: [{ index, delta: { role: "assistant", content: choice.message.content }, finish_reason: null }] });
    events.push({ ...base, choices: [{ index, delta: {}, finish_reason: choice.finish_reason }] });
  }
  if (includeUsage) events.push({ ...base, choices: [], usage: completion.usage });
  return events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") + "data: [DONE]\n\n";
}
