import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { Agent } from "undici";
import { parseRetryAfter } from "../../src/http/retry-after.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  detectHallucination,
  llmJudge,
  LlmJudgeConfigError,
  LlmJudgeConnectionError,
  LlmJudgeHttpError,
  LlmJudgeParseError,
  LlmJudgeTimeoutError,
  parseJudgeAnswer,
  type LlmJudgeOptions,
} from "../../src/hallucination/index.js";

// A fake OpenAI-compatible endpoint on loopback: each request is answered by the next
// queued handler (or the default one), and every request is recorded.
interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: {
    model?: string;
    temperature?: number;
    messages?: { role: string; content: string }[];
    logprobs?: boolean;
  };
}
type Handler = (request: Recorded, response: ServerResponse) => void;

const API_KEY = "sk-test-4f8a2c9e1b7d6053";
const CONTEXT = "The Eiffel Tower is located in Paris, France. It was completed in 1889.";
const QUERY = "Where is the Eiffel Tower?";
const RESPONSE = "The Eiffel Tower is located in London, England.";

let server: Server;
let baseURL: string;
const requests: Recorded[] = [];
const queue: Handler[] = [];

function completion(content: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: "chatcmpl-test",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", ...extra }],
  });
}

function reply(content: unknown, extra?: Record<string, unknown>): Handler {
  return (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(completion(content, extra));
  };
}

function status(code: number, body = "", headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(code, { "content-type": "application/json", ...headers });
    response.end(body);
  };
}

/** Never answers: for timeouts. Its socket is destroyed when the test ends. */
const hanging: ServerResponse[] = [];
const hang: Handler = (_request, response) => {
  hanging.push(response);
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const recorded: Recorded = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: text === "" ? {} : (JSON.parse(text) as Recorded["body"]),
      };
      requests.push(recorded);
      const handler = queue.shift() ?? reply("EXPLANATION: The reference text supports the answer.\nLABEL: factual");
      handler(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseURL = `http://127.0.0.1:${port}/v1`;
});

afterEach(() => {
  requests.length = 0;
  queue.length = 0;
  // Only the hung exchanges: closing idle keep-alive sockets too would make the next test's
  // first request meet a closed socket (which the judge retries, muddling the request counts).
  for (const response of hanging.splice(0)) response.socket?.destroy();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function judge(options: Partial<LlmJudgeOptions> = {}) {
  return llmJudge({ baseURL, apiKey: API_KEY, model: "gpt-4o-mini", retryDelayMs: () => 0, ...options });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function everythingAbout(error: unknown): string {
  return [String(error), inspect(error, { depth: 5 }), JSON.stringify(error), (error as Error).stack ?? ""].join("\n");
}

describe("llmJudge: the request", () => {
  it("posts the model, temperature 0 and a prompt holding the query, the context and the response", async () => {
    queue.push(reply("EXPLANATION: The reference text says Paris, not London.\nLABEL: hallucinated"));
    const result = await detectHallucination({ context: CONTEXT, response: RESPONSE, query: QUERY }, judge());

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/chat/completions");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body.model).toBe("gpt-4o-mini");
    expect(request?.body.temperature).toBe(0);
    const prompt = request?.body.messages?.map((m) => m.content).join("\n") ?? "";
    expect(prompt).toContain(CONTEXT);
    expect(prompt).toContain(RESPONSE);
    expect(prompt).toContain(QUERY);
    expect(prompt).toMatch(/"factual" or "hallucinated"/);
    expect(prompt).toMatch(/LABEL:/);

    expect(result).toMatchObject({
      label: "hallucinated",
      isHallucination: true,
      score: 1,
      detector: "llm-judge",
      explanation: "The reference text says Paris, not London.",
      unsupported: [],
    });
  });

  it("reads a factual verdict as score 0 with the documented confidence", async () => {
    queue.push(reply("EXPLANATION: The reference text states Paris.\nLABEL: factual"));
    const detector = judge({ unscoredConfidence: 0.7 });
    expect(detector.annotatorKind).toBe("LLM");
    const result = await detectHallucination({ context: CONTEXT, response: "It is in Paris.", query: QUERY }, detector);
    expect(result).toMatchObject({ label: "factual", isHallucination: false, score: 0, confidence: 0.7 });
  });

  it("works with Phoenix's endpoint: provider:model names and no API key", async () => {
    queue.push(reply("LABEL: factual"));
    const result = await detectHallucination(
      { context: CONTEXT, response: "It is in Paris." },
      llmJudge({ baseURL, model: "openai:gpt-4o-mini", retryDelayMs: () => 0 }),
    );
    expect(requests[0]?.headers.authorization).toBeUndefined();
    expect(requests[0]?.body.model).toBe("openai:gpt-4o-mini");
    expect(requests[0]?.body.messages?.[0]?.content).toContain("no query was given");
    expect(result.label).toBe("factual");
  });

  it("sends extra headers and accepts a base URL with a trailing slash", async () => {
    queue.push(reply("LABEL: factual"));
    await judge({ baseURL: `${baseURL}/`, headers: { "x-gateway-route": "judges" } }).detect(
      { context: CONTEXT, response: "Paris.", query: undefined, threshold: 0.5 },
      {},
    );
    expect(requests[0]?.url).toBe("/v1/chat/completions");
    expect(requests[0]?.headers["x-gateway-route"]).toBe("judges");
  });

  it("turns log probabilities into a score when asked to", async () => {
    queue.push(
      reply("EXPLANATION: London is not in the reference text.\nLABEL: hallucinated", {
        logprobs: {
          content: [
            { token: "LABEL", logprob: -0.01, top_logprobs: [] },
            { token: ":", logprob: -0.01, top_logprobs: [] },
            {
              token: " halluc",
              logprob: Math.log(0.9),
              top_logprobs: [
                { token: " halluc", logprob: Math.log(0.9) },
                { token: " factual", logprob: Math.log(0.1) },
              ],
            },
            { token: "inated", logprob: -0.001, top_logprobs: [] },
          ],
        },
      }),
    );
    const result = await detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ logprobs: true }));
    expect(requests[0]?.body.logprobs).toBe(true);
    expect(result.score).toBeCloseTo(0.9, 5);
    expect(result.confidence).toBeCloseTo(0.9, 5);
    expect(result.label).toBe("hallucinated");
  });
});

describe("llmJudge: unparseable answers", () => {
  const malformed: [string, Handler][] = [
    ["no label at all", reply("The answer looks mostly fine to me.")],
    ["a label outside the two allowed", reply("EXPLANATION: Some of it is supported.\nLABEL: partially")],
    ["two different labels", reply("LABEL: factual\nEXPLANATION: on reflection...\nLABEL: hallucinated")],
    ["an empty answer", reply("")],
    ["no message content", (_r, response) => response.end(JSON.stringify({ choices: [{ message: {} }] }))],
    ["a body that is not JSON", (_r, response) => response.end("<html>gateway page</html>")],
  ];
  for (const [name, handler] of malformed) {
    it(`rejects ${name} with a typed error and an excerpt`, async () => {
      queue.push(handler);
      const error = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge()));
      expect(error).toBeInstanceOf(LlmJudgeParseError);
      expect((error as LlmJudgeParseError).code).toBe("HALLUCINATION_JUDGE_UNPARSEABLE");
      expect(typeof (error as LlmJudgeParseError).excerpt).toBe("string");
      expect(requests).toHaveLength(1);
    });
  }

  it("quotes the start of the answer in the error", async () => {
    queue.push(reply("I think the answer is probably right but I am not sure."));
    const error = (await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge()))) as LlmJudgeParseError;
    expect(error.message).toContain("I think the answer is probably right");
  });

  it("accepts the forms Phoenix's templates produce", () => {
    expect(parseJudgeAnswer("factual")).toMatchObject({ label: "factual" });
    expect(parseJudgeAnswer('"hallucinated"')).toMatchObject({ label: "hallucinated" });
    expect(parseJudgeAnswer("EXPLANATION: Supported.\n**LABEL:** Factual.")).toEqual({ label: "factual", explanation: "Supported." });
    expect(parseJudgeAnswer("LABEL: hallucinated\nEXPLANATION: London is not in the text.")).toEqual({
      label: "hallucinated",
      explanation: "London is not in the text.",
    });
    expect(parseJudgeAnswer("<think>hmm</think>\nEXPLANATION: Not in the text.\nLABEL: hallucinated")).toEqual({
      label: "hallucinated",
      explanation: "Not in the text.",
    });
  });
});

describe("llmJudge: retries and timeouts", () => {
  it("retries a 500 and succeeds, without sleeping when the delay is injected", async () => {
    queue.push(status(500, '{"error":"boom"}'), reply("LABEL: hallucinated"));
    const delays: number[] = [];
    const result = await detectHallucination(
      { context: CONTEXT, response: RESPONSE },
      judge({ retryDelayMs: (attempt) => (delays.push(attempt), 0) }),
    );
    expect(result.label).toBe("hallucinated");
    expect(requests).toHaveLength(2);
    expect(delays).toEqual([1]);
  });

  it("passes Retry-After of a 429 to the delay function", async () => {
    queue.push(status(429, '{"error":"slow down"}', { "retry-after": "2" }), reply("LABEL: factual"));
    const seen: (number | undefined)[] = [];
    await judge({ retryDelayMs: (_attempt, retryAfterMs) => (seen.push(retryAfterMs), 0) }).detect(
      { context: CONTEXT, response: "Paris.", query: undefined, threshold: 0.5 },
      {},
    );
    expect(seen).toEqual([2000]);
    expect(requests).toHaveLength(2);
  });

  it("gives up after maxRetries with a typed HTTP error", async () => {
    queue.push(status(503), status(503), status(503), status(503));
    const error = (await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ maxRetries: 2 })))) as LlmJudgeHttpError;
    expect(error).toBeInstanceOf(LlmJudgeHttpError);
    expect(error.statusCode).toBe(503);
    expect(error.attempts).toBe(3);
    expect(requests).toHaveLength(3);
  });

  it("does not retry a 400", async () => {
    queue.push(status(400, '{"error":{"message":"unknown model"}}'));
    const error = (await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge()))) as LlmJudgeHttpError;
    expect(error.statusCode).toBe(400);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain("unknown model");
    expect(error.message).toMatch(/model name/);
    expect(requests).toHaveLength(1);
  });

  it("times out each attempt and then fails with a typed error", async () => {
    queue.push(hang, hang);
    const started = Date.now();
    const error = (await caught(
      detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ timeoutMs: 100, maxRetries: 1 })),
    )) as LlmJudgeTimeoutError;
    expect(error).toBeInstanceOf(LlmJudgeTimeoutError);
    expect(error.code).toBe("HALLUCINATION_JUDGE_TIMEOUT");
    expect(error.attempts).toBe(2);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("reports a refused connection after its retries", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = (await caught(
      detectHallucination(
        { context: CONTEXT, response: RESPONSE },
        judge({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 1 }),
      ),
    )) as LlmJudgeConnectionError;
    expect(error).toBeInstanceOf(LlmJudgeConnectionError);
    expect(error.attempts).toBe(2);
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it("stops when the caller aborts", async () => {
    queue.push(hang);
    const controller = new AbortController();
    const pending = detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ timeoutMs: 10_000 }), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const error = await caught(pending);
    expect((error as Error).name).toBe("AbortError");
  });
});

describe("llmJudge: the API key never leaks", () => {
  it("is absent from an HTTP error even when the endpoint echoes it", async () => {
    queue.push((request, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${request.headers.authorization ?? ""}` } }));
    });
    const error = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge()));
    expect(error).toBeInstanceOf(LlmJudgeHttpError);
    expect(everythingAbout(error)).not.toContain(API_KEY);
    expect((error as Error).message).toMatch(/apiKey/);
  });

  it("is absent from a parse error whose answer repeats it", async () => {
    queue.push(reply(`My key is ${API_KEY} and I refuse to label this.`));
    const error = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge()));
    expect(error).toBeInstanceOf(LlmJudgeParseError);
    expect(everythingAbout(error)).not.toContain(API_KEY);
    expect((error as LlmJudgeParseError).excerpt).toContain("[redacted]");
  });

  it("is absent from timeout and connection errors", async () => {
    queue.push(hang);
    const timeout = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ timeoutMs: 50, maxRetries: 0 })));
    expect(timeout).toBeInstanceOf(LlmJudgeTimeoutError);
    expect(everythingAbout(timeout)).not.toContain(API_KEY);

    const refused = await caught(
      detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ baseURL: "http://127.0.0.1:1/v1", maxRetries: 0 })),
    );
    expect(refused).toBeInstanceOf(LlmJudgeConnectionError);
    expect(everythingAbout(refused)).not.toContain(API_KEY);
  });

  it("is absent from the detector object itself", () => {
    expect(everythingAbout(judge())).not.toContain(API_KEY);
  });
});

describe("llmJudge: configuration", () => {
  it("rejects unusable options when created", () => {
    expect(() => llmJudge({ baseURL: "not a url", model: "m" })).toThrow(LlmJudgeConfigError);
    expect(() => llmJudge({ baseURL: "ftp://example.com/v1", model: "m" })).toThrow(/http or https/);
    expect(() => llmJudge({ baseURL: "http://user:secret@127.0.0.1/v1", model: "m" })).toThrow(/credentials/);
    expect(() => llmJudge({ baseURL, model: " " })).toThrow(/provider:model/);
    expect(() => llmJudge({ baseURL, model: "m", timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => llmJudge({ baseURL, model: "m", maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => llmJudge({ baseURL, model: "m", unscoredConfidence: 2 })).toThrow(/unscoredConfidence/);
  });
});

describe("llmJudge: the package's one retry policy (src/http)", () => {
  it("does not retry a 501 (only 408, 429, 500, 502, 503, 504 are retried; the judge used to retry every 5xx)", async () => {
    queue.push(status(501, '{"error":"not implemented"}'), reply("LABEL: factual"));
    const error = (await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge()))) as LlmJudgeHttpError;
    expect(error).toBeInstanceOf(LlmJudgeHttpError);
    expect(error.statusCode).toBe(501);
    expect(error.attempts).toBe(1);
    expect(error.message).toMatch(/baseURL/);
    expect(requests).toHaveLength(1);
  });

  it("retries 408, 429, 500, 502, 503 and 504", async () => {
    for (const code of [408, 429, 500, 502, 503, 504]) {
      requests.length = 0;
      queue.push(status(code), reply("LABEL: factual"));
      const result = await detectHallucination({ context: CONTEXT, response: "Paris." }, judge());
      expect(result.label, `after a ${code}`).toBe("factual");
      expect(requests, `after a ${code}`).toHaveLength(2);
    }
  });

  it("reads Retry-After with src/http's parseRetryAfter: whole seconds or an HTTP date; \"1.5\" is not 1.5 s", async () => {
    queue.push(status(429, "", { "retry-after": "1.5" }), status(503, "", { "retry-after": new Date(Date.now() + 20_000).toUTCString() }), reply("LABEL: factual"));
    const seen: (number | undefined)[] = [];
    await judge({ retryDelayMs: (_attempt, retryAfterMs) => (seen.push(retryAfterMs), 0) }).detect(
      { context: CONTEXT, response: "Paris.", query: undefined, threshold: 0.5 },
      {},
    );
    expect(seen).toHaveLength(2);
    // The judge used to read "1.5" as 1 500 ms; the shared reader does not take fractional seconds.
    expect(seen[0]).toBe(parseRetryAfter("1.5"));
    expect(seen[0]).not.toBe(1_500);
    expect(seen[1]).toBeGreaterThan(15_000);
    expect(seen[1]).toBeLessThanOrEqual(20_000);
    expect(requests).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than 30 s: the 429 is the answer", async () => {
    queue.push(status(429, '{"error":"quota"}', { "retry-after": "120" }), reply("LABEL: factual"));
    const error = (await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge()))) as LlmJudgeHttpError;
    expect(error).toBeInstanceOf(LlmJudgeHttpError);
    expect(error.statusCode).toBe(429);
    expect(error.attempts).toBe(1);
    expect(error.message).toMatch(/rate-limiting/);
    expect(requests).toHaveLength(1);
  });

  it("without retryDelayMs, backs off with the shared full-jitter policy (first wait under 250 ms)", async () => {
    queue.push(status(503), reply("LABEL: hallucinated"));
    const started = Date.now();
    const result = await detectHallucination({ context: CONTEXT, response: RESPONSE }, llmJudge({ baseURL, apiKey: API_KEY, model: "m" }));
    expect(result.label).toBe("hallucinated");
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("maxRetries: 0 is one attempt", async () => {
    queue.push(status(503), reply("LABEL: factual"));
    const error = (await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ maxRetries: 0 })))) as LlmJudgeHttpError;
    expect(error.attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it("keeps concurrent calls' custom delays apart", async () => {
    queue.push(status(500), status(500));
    const attemptsSeen: number[] = [];
    const detector = judge({ retryDelayMs: (attempt) => (attemptsSeen.push(attempt), 0) });
    const results = await Promise.all([
      detectHallucination({ context: CONTEXT, response: "Paris." }, detector),
      detectHallucination({ context: CONTEXT, response: "Paris." }, detector),
    ]);
    expect(results.map((r) => r.label)).toEqual(["factual", "factual"]);
    expect(attemptsSeen).toEqual([1, 1]);
    expect(requests).toHaveLength(4);
  });

  it("says what timed out", async () => {
    queue.push(hang);
    const error = (await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ timeoutMs: 60, maxRetries: 0 })))) as LlmJudgeTimeoutError;
    expect(error).toBeInstanceOf(LlmJudgeTimeoutError);
    expect(error.timeoutMs).toBe(60);
    expect(error.message).toMatch(/timed out after \d+ ms/);
    expect(error.message).toMatch(/Raise timeoutMs/);
  });

  it("stops when the caller aborts during a backoff, without waiting it out", async () => {
    queue.push(status(503));
    const controller = new AbortController();
    const started = Date.now();
    const pending = detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ retryDelayMs: () => 60_000 }), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 30);
    const error = await caught(pending);
    expect((error as Error).name).toBe("AbortError");
    expect(requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge(), { signal: AbortSignal.abort() }));
    expect((error as Error).name).toBe("AbortError");
    expect(requests).toHaveLength(0);
  });

  it("keeps the base URL's query string on the request, not in errors", async () => {
    queue.push(status(400, '{"error":"bad"}'));
    const error = (await caught(
      detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ baseURL: `${baseURL}?api-version=2024-06-01&token=qs-secret` })),
    )) as LlmJudgeHttpError;
    expect(requests[0]?.url).toBe("/v1/chat/completions?api-version=2024-06-01&token=qs-secret");
    expect(everythingAbout(error)).not.toContain("qs-secret");
  });

  it("no retry loop, timer or HTTP client of its own is left in src/hallucination/llm-judge", () => {
    const dir = new URL("../../src/hallucination/llm-judge/", import.meta.url);
    const sources = readdirSync(dir)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => [name, readFileSync(new URL(name, dir), "utf8")] as const);
    for (const [name, source] of sources) {
      expect(source, name).not.toMatch(/from "undici"(?!;\s*$)|import \{[^}]*\brequest\b[^}]*\} from "undici"/m);
      expect(source, name).not.toMatch(/node:timers|setTimeout\(|\bfor \(let attempt\b/);
    }
    const client = sources.find(([name]) => name === "chat-completions.ts")?.[1] ?? "";
    expect(client).toContain("../../http/retrying-transport.js");
    expect(client).toContain("../../http/http-transport.js");
  });
});

describe("llmJudge: TLS through the shared transport", () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));

  async function withTlsEndpoint(run: (httpsURL: string) => Promise<void>): Promise<void> {
    const https = createHttpsServer({ key: fixture("server.key"), cert: fixture("server.crt") }, (request, response) => {
      request.resume();
      request.on("end", () => {
        requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: {} });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(completion("LABEL: factual"));
      });
    });
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    try {
      await run(`https://127.0.0.1:${(https.address() as AddressInfo).port}/v1`);
    } finally {
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    }
  }

  it("a certificate of an unknown CA is a connection error at once (not retried), saying to pass ca", async () => {
    await withTlsEndpoint(async (httpsURL) => {
      const error = (await caught(
        detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ baseURL: httpsURL, maxRetries: 3 })),
      )) as LlmJudgeConnectionError;
      expect(error).toBeInstanceOf(LlmJudgeConnectionError);
      expect(error.attempts).toBe(1);
      expect(error.message).toMatch(/TLS certificate not trusted/);
      expect(error.message).toMatch(/ca option/);
      expect(everythingAbout(error)).not.toContain(API_KEY);
      expect(requests).toHaveLength(0);
    });
  });

  it("with the private CA in ca, judges over TLS", async () => {
    await withTlsEndpoint(async (httpsURL) => {
      const result = await detectHallucination({ context: CONTEXT, response: "Paris." }, judge({ baseURL: httpsURL, ca: fixture("ca.crt") }));
      expect(result.label).toBe("factual");
      expect(requests[0]?.url).toBe("/v1/chat/completions");
      expect(requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    });
  });
});

describe("llmJudge: the API key never reaches a log", () => {
  it("is absent from every diag line of retries, failures and timeouts", async () => {
    const lines: string[] = [];
    const capture = (level: string) => (message: string, ...args: unknown[]) => lines.push(`${level} ${message} ${args.map((a) => inspect(a, { depth: 5 })).join(" ")}`);
    const logger: DiagLogger = { error: capture("error"), warn: capture("warn"), info: capture("info"), debug: capture("debug"), verbose: capture("verbose") };
    diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
    try {
      const echo: Handler = (request, response) => {
        response.writeHead(503, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: `overloaded; you sent ${request.headers.authorization ?? ""}` }));
      };
      queue.push(echo, echo, reply(`EXPLANATION: the caller's key is ${API_KEY}.\nLABEL: factual`));
      const result = await detectHallucination({ context: CONTEXT, response: "Paris." }, judge({ maxRetries: 2 }));
      // What the judge explains is logged to Phoenix as the annotation's explanation: scrubbed too.
      expect(result.explanation).toContain("[redacted]");
      expect(JSON.stringify(result)).not.toContain(API_KEY);
      queue.push(echo, echo);
      await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ maxRetries: 1 })));
      queue.push(hang, hang);
      await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ timeoutMs: 50, maxRetries: 1 })));
      await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ baseURL: "http://127.0.0.1:1/v1", maxRetries: 1 })));
    } finally {
      diag.disable();
    }
    expect(lines.some((line) => /retrying POST/.test(line))).toBe(true);
    expect(lines.join("\n")).not.toContain(API_KEY);
    expect(lines.join("\n")).not.toContain(API_KEY.slice(3));
  });

  it("extra headers are treated as secrets too: scrubbed from an echoing error answer", async () => {
    const gatewayKey = "gw-key-5c1e9a7f3b";
    queue.push((request, response) => {
      response.writeHead(403, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: `bad api-key ${String(request.headers["api-key"])}` }));
    });
    const error = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, judge({ headers: { "api-key": gatewayKey } })));
    expect(error).toBeInstanceOf(LlmJudgeHttpError);
    expect(requests[0]?.headers["api-key"]).toBe(gatewayKey);
    expect(everythingAbout(error)).not.toContain(gatewayKey);
  });
});

describe("llmJudge: options that changed", () => {
  it("refuses a dispatcher, saying what to use instead", async () => {
    const agent = new Agent();
    try {
      expect(() => llmJudge({ baseURL, model: "m", dispatcher: agent })).toThrow(LlmJudgeConfigError);
      expect(() => llmJudge({ baseURL, model: "m", dispatcher: agent })).toThrow(/no longer takes a dispatcher.*ca/);
    } finally {
      await agent.close();
    }
  });

  it("refuses header values and keys that would split the request, without quoting them", () => {
    expect(() => llmJudge({ baseURL, model: "m", headers: { "x-a": "ok\r\nx-evil: 1" } })).toThrow(LlmJudgeConfigError);
    expect(() => llmJudge({ baseURL, model: "m", apiKey: "sk-abc\ndef" })).toThrow(/apiKey/);
    try {
      llmJudge({ baseURL, model: "m", headers: { "x-a": "secret-value\r\n" } });
    } catch (error) {
      expect(String(error)).not.toContain("secret-value");
    }
    expect(() => llmJudge({ baseURL, model: "m", ca: 42 as unknown as string })).toThrow(/ca must be/);
    expect(() => llmJudge({ baseURL, model: "m", retryDelayMs: 0 as unknown as () => number })).toThrow(/retryDelayMs/);
  });
});
