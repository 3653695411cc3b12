import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { RunnableSequence } from "@langchain/core/runnables";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PhoenixSpanProcessor } from "../../src/index.js";
import { tracerProvider } from "../helpers/tracing.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";

let server: PhoenixTestServer;
beforeEach(async () => {
  // LangChain's default: callback handlers run in the background, after invoke() has returned.
  delete process.env.LANGCHAIN_CALLBACKS_BACKGROUND;
  server = await startPhoenixServer();
});
afterEach(async () => {
  await server.close();
  expect(server.violations).toEqual([]);
});

describe("LangChain with background callbacks", () => {
  it("shutdown right after invoke() still delivers the root RunnableSequence span", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "langchain" });
    const provider = tracerProvider([processor]);
    const instrumentation = new LangChainInstrumentation({ tracerProvider: provider });
    instrumentation.manuallyInstrument(CallbackManagerModule);
    try {
      const chain = RunnableSequence.from([
        ChatPromptTemplate.fromMessages([["human", "{question}"]]),
        new FakeListChatModel({ responses: ["Paris."] }),
        new StringOutputParser(),
      ]).withConfig({ runName: "root-sequence" });
      await chain.invoke({ question: "Capital of France?" });
      await provider.shutdown();
      await server.waitForSpans(1);
      const names = server.spans("langchain").map((s) => s.name);
      expect(names).toContain("root-sequence");
      expect(names).toContain("FakeListChatModel");
    } finally {
      instrumentation.disable();
    }
  });
});
