/**
 * The LLM judge through Phoenix's own `POST /v1/chat/completions` (Phoenix
 * 20.3, operationId createChatCompletion in test/fixtures/phoenix/openapi.json).
 *
 * The shared Phoenix test server (test/servers/phoenix-server.ts) has no
 * chat-completions route yet, so this file runs a small fake of that one
 * route on 127.0.0.1 that holds the request to the route's schema
 * (CreateChatCompletionRequestBody, a FastAPI 422 otherwise) and answers
 * bodies that the test checks against the ChatCompletion /
 * ChatCompletionErrorResponse schemas. Once the test server has the route
 * (a `chatCompletion` option), `startPhoenix` below should use it instead.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { detectHallucination, llmJudge, LlmJudgeHttpError } from "../../src/hallucination/index.js";
import { schemaValidator, validationDetail } from "../servers/phoenix-schema.js";

const PHOENIX_KEY = "phx-key-8d2f6a1c9e4b7035";
const CONTEXT = "The Eiffel Tower is located in Paris, France. It was completed in 1889.";
const RESPONSE = "The Eiffel Tower is located in London, England.";
/** Phoenix's built-in providers, from the route's description. */
const PROVIDERS = ["anthropic", "aws", "azure_openai", "cerebras", "deepseek", "fireworks", "google", "groq", "moonshot", "ollama", "openai", "perplexity", "together", "xai"];

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
  /** Schema errors of the request body; empty when it is what the route takes. */
  readonly schemaErrors: string[];
  status: number;
  answer: unknown;
}

interface FakePhoenix {
  readonly baseURL: string;
  readonly exchanges: Exchange[];
  close(): Promise<void>;
}

const running: FakePhoenix[] = [];
afterEach(async () => {
  for (const phoenix of running.splice(0)) await phoenix.close();
});

/** Phoenix 20.3's chat-completions route: auth (when `apiKey`), schema, "provider:model", then the model's `content`. */
async function startPhoenix(options: { apiKey?: string; viewerKey?: string; content?: string } = {}): Promise<FakePhoenix> {
  const exchanges: Exchange[] = [];
  const validateRequest = schemaValidator("CreateChatCompletionRequestBody");
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const valid = validateRequest(body);
      const exchange: Exchange = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
        schemaErrors: valid ? [] : (validateRequest.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`),
        status: 0,
        answer: undefined,
      };
      exchanges.push(exchange);
      answer(exchange, response, valid);
    });
  });

  function send(exchange: Exchange, response: ServerResponse, status: number, answer: unknown): void {
    exchange.status = status;
    exchange.answer = answer;
    if (typeof answer === "string") {
      response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      response.end(answer);
    } else {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    }
  }

  function answer(exchange: Exchange, response: ServerResponse, valid: boolean): void {
    if (exchange.method !== "POST" || exchange.url.split("?")[0] !== "/v1/chat/completions") {
      return send(exchange, response, 404, { detail: "Not Found" });
    }
    if (options.apiKey !== undefined) {
      const auth = exchange.headers.authorization;
      if (auth === `Bearer ${options.viewerKey ?? "\0"}`) return send(exchange, response, 403, "Forbidden");
      if (auth !== `Bearer ${options.apiKey}`) return send(exchange, response, 401, "Invalid token");
    }
    if (!valid) return send(exchange, response, 422, validationDetail(schemaValidator("CreateChatCompletionRequestBody").errors, exchange.body));
    const body = exchange.body as { model: string; stream?: boolean };
    const [provider, ...rest] = body.model.split(":");
    if (rest.length === 0 || rest.join(":") === "" || !(PROVIDERS.includes(provider ?? "") || (provider === "custom" && rest.length >= 2))) {
      return send(exchange, response, 400, {
        error: {
          message: `Invalid model '${body.model}': expected '{provider}:{model_name}' or 'custom:{provider_id}:{model_name}'`,
          type: "invalid_request_error",
          param: "model",
          code: null,
        },
      });
    }
    send(exchange, response, 200, {
      id: "chatcmpl-phoenix-1",
      object: "chat.completion",
      created: 1_764_000_000,
      model: rest.join(":"),
      choices: [{ index: 0, message: { role: "assistant", content: options.content ?? "EXPLANATION: The reference text says Paris.\nLABEL: hallucinated" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 310, completion_tokens: 14, total_tokens: 324 },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const phoenix: FakePhoenix = {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    exchanges,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  running.push(phoenix);
  return phoenix;
}

function expectAnswerMatchesContract(exchange: Exchange | undefined): void {
  const validate = schemaValidator(exchange?.status === 200 ? "ChatCompletion" : "ChatCompletionErrorResponse");
  expect(validate(exchange?.answer), JSON.stringify(validate.errors)).toBe(true);
}

describe("llmJudge through Phoenix's POST /v1/chat/completions", () => {
  it("sends a body the route's schema accepts, a provider:model name and no key; reads Phoenix's ChatCompletion", async () => {
    const phoenix = await startPhoenix();
    const result = await detectHallucination(
      { context: CONTEXT, response: RESPONSE, query: "Where is the Eiffel Tower?" },
      llmJudge({ baseURL: phoenix.baseURL, model: "openai:gpt-4o-mini", retryDelayMs: () => 0 }),
    );
    expect(phoenix.exchanges).toHaveLength(1);
    const [exchange] = phoenix.exchanges;
    expect(exchange?.method).toBe("POST");
    expect(exchange?.url).toBe("/v1/chat/completions");
    expect(exchange?.headers["content-type"]).toBe("application/json");
    expect(exchange?.headers.authorization).toBeUndefined();
    expect(exchange?.schemaErrors).toEqual([]);
    expect(exchange?.body).toMatchObject({ model: "openai:gpt-4o-mini", temperature: 0, messages: [{ role: "user" }] });
    expect((exchange?.body as { stream?: unknown }).stream).toBeUndefined();
    expectAnswerMatchesContract(exchange);
    expect(result).toMatchObject({ label: "hallucinated", score: 1, detector: "llm-judge", explanation: "The reference text says Paris." });
  });

  it("with Phoenix's auth on, sends the Phoenix API key as the bearer token", async () => {
    const phoenix = await startPhoenix({ apiKey: PHOENIX_KEY, content: "LABEL: factual" });
    const result = await detectHallucination(
      { context: CONTEXT, response: "It is in Paris." },
      llmJudge({ baseURL: phoenix.baseURL, apiKey: PHOENIX_KEY, model: "anthropic:claude-sonnet-4-5", retryDelayMs: () => 0 }),
    );
    expect(phoenix.exchanges[0]?.headers.authorization).toBe(`Bearer ${PHOENIX_KEY}`);
    expect(phoenix.exchanges[0]?.status).toBe(200);
    expect(result.label).toBe("factual");
  });

  it("logprobs: true still fits the route's schema; Phoenix returns none, so the confidence is the unscored one", async () => {
    const phoenix = await startPhoenix();
    const result = await detectHallucination(
      { context: CONTEXT, response: RESPONSE },
      llmJudge({ baseURL: phoenix.baseURL, model: "openai:gpt-4o-mini", logprobs: true, unscoredConfidence: 0.75, retryDelayMs: () => 0 }),
    );
    expect(phoenix.exchanges[0]?.schemaErrors).toEqual([]);
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
    expect((error as Error).message).toContain("Invalid model 'gpt-4o-mini'");
    expect((error as Error).message).toMatch(/"provider:model"/);
    expect(phoenix.exchanges).toHaveLength(1);
    expectAnswerMatchesContract(phoenix.exchanges[0]);
  });

  it("a wrong or read-only Phoenix key: 401/403 name apiKey, are not retried, and never show the key", async () => {
    const phoenix = await startPhoenix({ apiKey: PHOENIX_KEY, viewerKey: "phx-viewer-3a9c5e7d1f" });
    for (const [key, code] of [["phx-wrong-0000000000", 401], ["phx-viewer-3a9c5e7d1f", 403]] as const) {
      phoenix.exchanges.length = 0;
      const error = await detectHallucination(
        { context: CONTEXT, response: RESPONSE },
        llmJudge({ baseURL: phoenix.baseURL, apiKey: key, model: "openai:gpt-4o-mini", retryDelayMs: () => 0 }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmJudgeHttpError);
      expect((error as LlmJudgeHttpError).statusCode).toBe(code);
      expect((error as Error).message).toMatch(/apiKey/);
      expect(phoenix.exchanges).toHaveLength(1);
      expect([String(error), inspect(error, { depth: 5 }), JSON.stringify(error)].join("\n")).not.toContain(key);
    }
  });

  it("the fake holds requests to the schema: a body Phoenix would refuse gets FastAPI's 422", async () => {
    // Guards the guard: without this, a fake accepting anything would let the first test pass vacuously.
    const phoenix = await startPhoenix();
    const response = await fetch(`${phoenix.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "tool", content: 1 }] }),
    });
    expect(response.status).toBe(422);
    expect(phoenix.exchanges[0]?.schemaErrors.length).toBeGreaterThan(0);
  });
});
