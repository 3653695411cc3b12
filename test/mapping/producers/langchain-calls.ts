import { Document } from "@langchain/core/documents";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { FakeListChatModel, FakeRetriever } from "@langchain/core/utils/testing";
import { tool } from "@langchain/core/tools";

/**
 * A small retrieval-augmented LangChain app on LangChain's own fakes (no
 * network): a retriever, a prompt, a chat model and a parser in one
 * sequence, then a tool invoked on its own.
 */
export async function runLangChainApp(): Promise<void> {
  const retriever = new FakeRetriever({
    output: [
      new Document({ pageContent: "Paris is sunny today.", metadata: { source: "weather.txt", id: "doc-1" } }),
      new Document({ pageContent: "London is rainy.", metadata: { source: "weather.txt", id: "doc-2" } }),
    ],
  });
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", "Answer from the context: {context}"],
    ["human", "{question}"],
  ]);
  const model = new FakeListChatModel({ responses: ["Paris is sunny, 21 °C."] });
  const chain = RunnableSequence.from([
    {
      context: RunnableLambda.from(async (input: { question: string }) =>
        (await retriever.invoke(input.question)).map((d) => d.pageContent).join("\n"),
      ),
      question: RunnableLambda.from((input: { question: string }) => input.question),
    },
    prompt,
    model,
    new StringOutputParser(),
  ]).withConfig({ runName: "weather-rag", metadata: { tenant: "acme" }, tags: ["rag"] });
  await chain.invoke({ question: "What is the weather in Paris?" });

  const weather = tool(async ({ city }: { city: string }) => JSON.stringify({ city, temperature: 21 }), {
    name: "get_weather",
    description: "Current weather in a city",
    schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  });
  // The JSON-schema overload of tool() types invoke() as a union TypeScript cannot call.
  await (weather as unknown as { invoke(input: { city: string }): Promise<string> }).invoke({ city: "Paris" });
}
