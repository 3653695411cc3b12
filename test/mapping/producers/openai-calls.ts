import { createRequire } from "node:module";
import type OpenAIClient from "openai";
import { startFakeOpenAIServer } from "./fake-openai-server.js";

/**
 * The OpenAI module as CommonJS, which is what the instrumentations patch:
 * under an ESM test runner `import "openai"` would give a different copy
 * that require-time hooks never see.
 */
export const openaiModule = createRequire(import.meta.url)("openai") as typeof import("openai");

export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
} as const;

/**
 * The calls every OpenAI-client producer makes, against the fake server:
 * a chat completion, a tool-calling round trip, a streamed completion with
 * usage, a legacy text completion, a Responses API call with instructions
 * and an embedding of two texts.
 */
export async function runOpenAICalls(): Promise<void> {
  const server = await startFakeOpenAIServer();
  try {
    const client: OpenAIClient = new openaiModule.OpenAI({ apiKey: "sk-test-not-a-key", baseURL: server.baseURL, maxRetries: 0 });
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      temperature: 0.2,
      max_tokens: 64,
      messages: [
        { role: "system", content: "You are a weather assistant." },
        { role: "user", content: "What is the weather in Paris?" },
      ],
    });
    const first = await client.chat.completions.create({
      model: "gpt-4o-mini",
      tools: [WEATHER_TOOL],
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    const call = first.choices[0]!.message.tool_calls![0]!;
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      tools: [WEATHER_TOOL],
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: '{"temperature":21,"sky":"sunny"}' },
      ],
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Stream the weather in Paris." }],
    });
    for await (const _chunk of stream) {
      // drain
    }
    await client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Weather in Paris:", max_tokens: 16 });
    await client.responses.create({ model: "gpt-4o-mini", instructions: "Answer in one sentence.", input: "Weather in Paris?" });
    await client.embeddings.create({ model: "text-embedding-3-small", input: ["sunny Paris", "rainy London"] });
  } finally {
    await server.close();
  }
}
