/**
 * The LLM judge through Phoenix's own `POST /v1/chat/completions` (Phoenix
 * 20.3, operationId createChatCompletion in test/fixtures/phoenix/openapi.json),
 * served by the shared Phoenix test server (test/servers/phoenix-server.ts,
 * route in test/servers/phoenix-chat.ts). That route holds the request to the
 * schema's CreateChatCompletionRequestBody (422 otherwise), the model to
 * "{provider}:{model}" / "custom:{id}:{model}" (400 otherwise), runs Phoenix's
 * auth, and answers a ChatCompletion / ChatCompletionErrorResponse; the
 * `chatCompletion` script below stands in for the provider and only runs for
 * a request the route accepted.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { detectHallucination, llmJudge, LlmJudgeHttpError } from "../../src/hallucination/index.js";
import type { ChatCompletionRequest, ChatCompletionScript } from "../servers/phoenix-chat.js";
import { startPhoenixServer, type PhoenixTestServer, type PhoenixTestServerOptions } from "../servers/phoenix-server.js";

const PHOENIX_KEY = "phx-key-8d2f6a1c9e4b7035";
const VIEWER_KEY = "phx-viewer-3a9c5e7d1f";
const CONTEXT = "The Eiffel Tower is located in Paris, France. It was completed in 1889.";
const RESPONSE = "The Eiffel Tower is located in London, England.";
const HALLUCINATED = "EXPLANATION: The reference text says Paris.\nLABEL: hallucinated";

interface Phoenix {
  readonly server: PhoenixTestServer;
  /** `{url}/v1`, what a user passes as the judge's baseURL. */
  readonly baseURL: string;
  /** Bodies the route accepted and handed to the provider (the script). */
  readonly accepted: ChatCompletionRequest[];
  /** Requests to the chat-completions route, with the status Phoenix answered. */
  chatRequests(): PhoenixTestServer["requests"];
}

const running: PhoenixTestServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

async function startPhoenix(options: Omit<PhoenixTestServerOptions, "chatCompletion"> & { answer?: ChatCompletionScript | null } = {}): Promise<Phoenix> {
  const accepted: ChatCompletionRequest[] = [];
  const { answer = () => HALLUCINATED, ...serverOptions } = options;
  const server = await startPhoenixServer({
    ...serverOptions,
    ...(answer === null
      ? {}
      : {
          chatCompletion: (body) => {
            accepted.push(body);
            return answer(body);
          },
        }),
  });
  running.push(server);
  return {
    server,
    baseURL: `${server.url}/v1`,
    accepted,
    chatRequests: () => server.requests.filter((r) => r.path === "/v1/chat/completions"),
  };
}

describe("llmJudge through Phoenix's POST /v1/chat/completions (Phoenix test server)", () => {
  it("Phoenix accepts the judge's request (schema, provider:model, no key) and the judge reads its ChatCompletion", async () => {
    const phoenix = await startPhoenix();
    const result = await detectHallucination(
      { context: CONTEXT, response: RESPONSE, query: "Where is the Eiffel Tower?" },
      llmJudge({ baseURL: phoenix.baseURL, model: "openai:gpt-4o-mini", retryDelayMs: () => 0 }),
    );
    expect(result).toMatchObject({ label: "hallucinated", score: 1, detector: "llm-judge", explanation: "The reference text says Paris." });
    const requests = phoenix.chatRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: "POST", status: 200 });
    expect(requests[0]?.headers["content-type"]).toBe("application/json");
    expect(requests[0]?.headers.authorization).toBeUndefined();
    // The script runs only for a body the route validated against CreateChatCompletionRequestBody.
    expect(phoenix.accepted).toHaveLength(1);
    const body = phoenix.accepted[0]!;
    expect(body).toMatchObject({ model: "openai:gpt-4o-mini", temperature: 0 });
    expect(body.messages.at(-1)?.role).toBe("user");
    expect(JSON.stringify(body.messages)).toContain("Eiffel Tower");
    expect(body.stream).toBeUndefined();
  });

  it("a factual verdict from the provider comes back as factual; a custom provider's model name is accepted", async () => {
    const phoenix = await startPhoenix({ answer: () => "EXPLANATION: The context says Paris.\nLABEL: factual" });
    const result = await detectHallucination(
      { context: CONTEXT, response: "It is in Paris." },
      llmJudge({ baseURL: phoenix.baseURL, model: "custom:my-gateway:llama-3.1-8b", retryDelayMs: () => 0 }),
    );
    expect(result).toMatchObject({ label: "factual", score: 0, detector: "llm-judge" });
    expect(phoenix.chatRequests()[0]?.status).toBe(200);
  });

  it("with Phoenix's auth on, sends the Phoenix API key as the bearer token", async () => {
    const phoenix = await startPhoenix({ apiKey: PHOENIX_KEY, answer: () => "LABEL: factual" });
    const result = await detectHallucination(
      { context: CONTEXT, response: "It is in Paris." },
      llmJudge({ baseURL: phoenix.baseURL, apiKey: PHOENIX_KEY, model: "anthropic:claude-sonnet-4-5", retryDelayMs: () => 0 }),
    );
    expect(phoenix.chatRequests()[0]?.headers.authorization).toBe(`Bearer ${PHOENIX_KEY}`);
    expect(phoenix.chatRequests()[0]?.status).toBe(200);
    expect(result.label).toBe("factual");
  });

  it("logprobs: true still passes the route's schema; Phoenix returns none, so the confidence is the unscored one", async () => {
    const phoenix = await startPhoenix();
    const result = await detectHallucination(
      { context: CONTEXT, response: RESPONSE },
      llmJudge({ baseURL: phoenix.baseURL, model: "openai:gpt-4o-mini", logprobs: true, unscoredConfidence: 0.75, retryDelayMs: () => 0 }),
    );
    expect(phoenix.chatRequests()[0]?.status).toBe(200);
    expect(phoenix.accepted).toHaveLength(1);
    expect(result).toMatchObject({ label: "hallucinated", score: 1, confidence: 0.75 });
  });

  it("a model without a provider: Phoenix's 400 is quoted, with the provider:model hint, and not retried", async () => {
    const phoenix = await startPhoenix();
    const error = await detectHallucination(
      { context: CONTEXT, response: RESPONSE },
      llmJudge({ baseURL: phoenix.baseURL, model: "gpt-4o-mini", retryDelayMs: () => 0 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmJudgeHttpError);
    expect((error as LlmJudgeHttpError).statusCode).toBe(400);
    expect((error as LlmJudgeHttpError).attempts).toBe(1);
    expect((error as Error).message).toContain("got 'gpt-4o-mini'");
    expect((error as Error).message).toMatch(/"provider:model"/);
    expect(phoenix.chatRequests()).toHaveLength(1);
    expect(phoenix.accepted).toHaveLength(0);
  });

  it("Phoenix without credentials for the provider: its 400 naming the provider reaches the user", async () => {
    const phoenix = await startPhoenix({ answer: null });
    const error = await detectHallucination(
      { context: CONTEXT, response: RESPONSE },
      llmJudge({ baseURL: phoenix.baseURL, model: "openai:gpt-4o-mini", retryDelayMs: () => 0 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmJudgeHttpError);
    expect((error as LlmJudgeHttpError).statusCode).toBe(400);
    expect((error as Error).message).toContain("No API key found for provider openai");
  });

  it("the provider's 429 through Phoenix is retried and the judge then gets its verdict", async () => {
    let calls = 0;
    const phoenix = await startPhoenix({
      answer: () => (++calls === 1 ? { status: 429, error: { message: "rate limited", type: "rate_limit_error" } } : HALLUCINATED),
    });
    const result = await detectHallucination(
      { context: CONTEXT, response: RESPONSE },
      llmJudge({ baseURL: phoenix.baseURL, model: "openai:gpt-4o-mini", retryDelayMs: () => 0 }),
    );
    expect(result.label).toBe("hallucinated");
    expect(phoenix.chatRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it("a wrong or read-only Phoenix key: 401/403 name apiKey, are not retried, and never show the key", async () => {
    const phoenix = await startPhoenix({ apiKey: PHOENIX_KEY, viewerKeys: [VIEWER_KEY] });
    for (const [key, code] of [["phx-wrong-0000000000", 401], [VIEWER_KEY, 403]] as const) {
      const before = phoenix.chatRequests().length;
      const error = await detectHallucination(
        { context: CONTEXT, response: RESPONSE },
        llmJudge({ baseURL: phoenix.baseURL, apiKey: key, model: "openai:gpt-4o-mini", retryDelayMs: () => 0 }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmJudgeHttpError);
      expect((error as LlmJudgeHttpError).statusCode).toBe(code);
      expect((error as Error).message).toMatch(/apiKey/);
      expect(phoenix.chatRequests().length - before).toBe(1);
      expect([String(error), inspect(error, { depth: 5 }), JSON.stringify(error)].join("\n")).not.toContain(key);
    }
    expect(phoenix.accepted).toHaveLength(0);
  });

  it("the route holds requests to the schema: a body Phoenix would refuse gets 422 and never reaches the provider", async () => {
    // Guards the guard: a route accepting anything would let the first test pass vacuously.
    const phoenix = await startPhoenix();
    const response = await fetch(`${phoenix.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "tool", content: 1 }] }),
    });
    expect(response.status).toBe(422);
    expect(phoenix.accepted).toHaveLength(0);
  });
});
