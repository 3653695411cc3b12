import OpenAI from "openai";
import type * as AgentsModule from "@openai/agents";
import { startFakeOpenAIServer } from "./fake-openai-server.js";

/**
 * An OpenAI Agents SDK run against the fake OpenAI server: an agent with one
 * function tool, so the run is a Responses API call that asks for the tool,
 * the tool call, and a second call that answers. The SDK's default client
 * is pointed at 127.0.0.1 and its own trace export is replaced by the
 * instrumentation's processor (exclusive mode), so nothing leaves loopback.
 */
export async function runOpenAIAgents(agents: typeof AgentsModule): Promise<void> {
  const server = await startFakeOpenAIServer();
  // The SDK's trace provider turns itself off when NODE_ENV is "test" (as under vitest); the run is traced regardless.
  agents.getGlobalTraceProvider().setDisabled(false);
  try {
    agents.setDefaultOpenAIClient(new OpenAI({ apiKey: "sk-test-not-a-key", baseURL: server.baseURL, maxRetries: 0 }) as never);
    agents.setOpenAIAPI("responses");
    const getWeather = agents.tool({
      name: "get_weather",
      description: "Current weather in a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
      strict: true,
      execute: async (input: unknown) => JSON.stringify({ city: (input as { city?: string }).city, temperature: 21, sky: "sunny" }),
    });
    const agent = new agents.Agent({
      name: "Weather agent",
      instructions: "You are a weather assistant. Use the tool.",
      model: "gpt-4o-mini",
      tools: [getWeather],
    });
    await agents.run(agent, "What is the weather in Paris?");
  } finally {
    await server.close();
  }
}
