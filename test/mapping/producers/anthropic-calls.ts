import { createRequire } from "node:module";
import { startFakeAnthropicServer } from "./fake-anthropic-server.js";

/** The Anthropic SDK as CommonJS, the copy the instrumentation patches (as for openai in openai-calls.ts). */
export const anthropicModule = createRequire(import.meta.url)("@anthropic-ai/sdk") as typeof import("@anthropic-ai/sdk");

const WEATHER_TOOL = {
  name: "get_weather",
  description: "Current weather in a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

/**
 * The calls the Anthropic producer makes against the fake Messages API: a
 * message with a system prompt, a tool-use round trip, and a streamed message.
 */
export async function runAnthropicCalls(): Promise<void> {
  const server = await startFakeAnthropicServer();
  try {
    const client = new anthropicModule.Anthropic({ apiKey: "sk-ant-test-not-a-key", baseURL: server.baseURL, maxRetries: 0 });
    await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      system: "You are a weather assistant.",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
    });
    const first = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      tools: [WEATHER_TOOL],
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    const call = first.content.find((block) => block.type === "tool_use")!;
    await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      tools: [WEATHER_TOOL],
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: '{"temperature":21,"sky":"sunny"}' }] },
      ],
    });
    const stream = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      stream: true,
      messages: [{ role: "user", content: "Stream the weather in Paris." }],
    });
    for await (const _event of stream) {
      // drain
    }
  } finally {
    await server.close();
  }
}
