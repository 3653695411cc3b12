import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { tool } from "@langchain/core/tools";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";

export const LANGGRAPH_ANSWER = "It is sunny in Paris, 21 °C.";

/**
 * A chat model that plays an agent's part without a network: it asks for
 * the weather tool until a tool result is in the conversation, then answers.
 * Written on BaseChatModel, so LangChain's callbacks (and so the
 * instrumentation) see a real chat model run.
 */
class WeatherChatModel extends BaseChatModel {
  _llmType(): string {
    return "weather-fake";
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const answered = messages.some((m) => m instanceof ToolMessage);
    const message = answered
      ? new AIMessage({ content: LANGGRAPH_ANSWER, usage_metadata: { input_tokens: 21, output_tokens: 9, total_tokens: 30 } })
      : new AIMessage({
          content: "",
          tool_calls: [{ id: "call_weather_1", name: "get_weather", args: { city: "Paris" }, type: "tool_call" }],
          usage_metadata: { input_tokens: 12, output_tokens: 5, total_tokens: 17 },
        });
    return { generations: [{ text: typeof message.content === "string" ? message.content : "", message }] };
  }
}

/**
 * A small LangGraph agent: a StateGraph over messages with an `agent` node
 * (the chat model) and a `tools` node (ToolNode with one tool), looping
 * until the model stops asking for tools.
 */
export async function runLangGraphAgent(): Promise<void> {
  const weather = tool(async ({ city }: { city: string }) => JSON.stringify({ city, temperature: 21, sky: "sunny" }), {
    name: "get_weather",
    description: "Current weather in a city",
    schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  });
  const model = new WeatherChatModel({});
  const graph = new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state: typeof MessagesAnnotation.State) => ({ messages: [await model.invoke(state.messages)] }))
    .addNode("tools", new ToolNode([weather]))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (state: typeof MessagesAnnotation.State) => {
      const last = state.messages.at(-1) as AIMessage | undefined;
      return last?.tool_calls?.length ? "tools" : END;
    })
    .addEdge("tools", "agent")
    .compile();
  await graph.invoke(
    { messages: [new HumanMessage("What is the weather in Paris?")] },
    { runName: "weather-graph", metadata: { session_id: "session-42", user_id: "user-7" }, configurable: { thread_id: "thread-1" } },
  );
}
