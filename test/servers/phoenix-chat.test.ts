import { afterEach, describe, expect, it } from "vitest";
import { request } from "undici";
import type { ChatCompletionRequest } from "./phoenix-chat.js";
import { schemaValidator } from "./phoenix-schema.js";
import { startPhoenixServer, type PhoenixTestServer, type PhoenixTestServerOptions } from "./phoenix-server.js";

/** POST /v1/chat/completions with a scripted answer (phoenix-chat.ts). */
let server: PhoenixTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function chat(options: PhoenixTestServerOptions, body: unknown) {
  server ??= await startPhoenixServer(options);
  const res = await request(`${server.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  let json: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    // event stream
  }
  return { status: res.statusCode, text, json, headers: res.headers };
}

const judge = {
  model: "openai:gpt-4o",
  messages: [
    { role: "system", content: "You are a judge. Answer 'factual' or 'hallucinated'." },
    { role: "user", content: [{ type: "text", text: "Context: Paris is the capital of France. Answer: Lyon is the capital." }] },
  ],
  temperature: 0,
};

describe("POST /v1/chat/completions", () => {
  it("answers with the script's text as a ChatCompletion in the schema's shape; the script sees the body", async () => {
    const seen: ChatCompletionRequest[] = [];
    const res = await chat(
      {
        chatCompletion: (body) => {
          seen.push(body);
          const user = body.messages.at(-1)!.content;
          return JSON.stringify(user).includes("Lyon") ? "hallucinated" : "factual";
        },
      },
      judge,
    );
    expect(res.status).toBe(200);
    const validate = schemaValidator("ChatCompletion");
    expect(validate(res.json), JSON.stringify(validate.errors)).toBe(true);
    expect(res.json.choices[0].message).toEqual({ role: "assistant", content: "hallucinated" });
    expect(res.json).toMatchObject({ object: "chat.completion", model: "gpt-4o" });
    expect(res.json.usage.total_tokens).toBe(res.json.usage.prompt_tokens + res.json.usage.completion_tokens);
    expect(seen[0]).toMatchObject({ model: "openai:gpt-4o", temperature: 0 });
  });

  it("a script may return a partial completion or an error", async () => {
    const partial = await chat({ chatCompletion: () => ({ usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 } }) }, judge);
    expect(partial.json.usage).toEqual({ prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 });
    await server!.close();
    server = undefined;
    const failed = await chat({ chatCompletion: async () => ({ status: 429, error: { message: "rate limited", type: "rate_limit_error" } }) }, judge);
    expect(failed.status).toBe(429);
    expect(schemaValidator("ChatCompletionErrorResponse")(failed.json)).toBe(true);
    expect(failed.json.error).toMatchObject({ message: "rate limited", type: "rate_limit_error" });
  });

  it("streams chat.completion.chunk events ending with [DONE]", async () => {
    const res = await chat({ chatCompletion: () => "factual" }, { ...judge, stream: true, stream_options: { include_usage: true } });
    expect(String(res.headers["content-type"])).toMatch(/^text\/event-stream/);
    const events = res.text.split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("factual");
    expect(chunks.at(-1)!.usage.total_tokens).toBeGreaterThan(0);
  });

  it("validates bodies against the schema (422) and the model's form (400); refuses tools", async () => {
    const options = { chatCompletion: () => "x" };
    const noMessages = await chat(options, { model: "openai:gpt-4o", messages: [] });
    expect(noMessages.status).toBe(422);
    expect(schemaValidator("ChatCompletionErrorResponse")(noMessages.json)).toBe(true);
    expect((await chat(options, { ...judge, messages: [{ role: "tool", content: "x" }] })).status).toBe(422);
    expect((await chat(options, { messages: judge.messages })).status).toBe(422);
    expect((await chat(options, { ...judge, model: "gpt-4o" })).status).toBe(400);
    expect((await chat(options, { ...judge, model: "madeup:model" })).status).toBe(400);
    expect((await chat(options, { ...judge, model: "custom:my-provider:llama-3" })).status).toBe(200);
    expect((await chat(options, { ...judge, tools: [{ type: "function", function: { name: "f" } }] })).status).toBe(400);
  });

  it("without a script answers as a Phoenix without provider credentials", async () => {
    const res = await chat({}, judge);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/openai/);
  });
});
