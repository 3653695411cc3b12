import { createRequire } from "node:module";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Tracer, TracerProvider } from "@opentelemetry/api";
import { Client } from "langsmith";
import { traceable } from "langsmith/traceable";

/**
 * `langsmith/experimental/otel/setup` loaded as CommonJS. Its ES module does
 * `import { AsyncHooksContextManager } from "@opentelemetry/context-async-hooks"`,
 * a class OpenTelemetry JS 3 removed (3.x exports only
 * AsyncLocalStorageContextManager), so under OTel 3 the import fails to
 * link and nothing loads. As CommonJS the missing class is only an
 * undefined property, and it is never constructed here: our own context
 * manager is already global (skipGlobalContextManagerSetup). This is what an
 * application on OTel 3 has to do too, until langsmith stops importing it.
 */
const { initializeOTEL } = createRequire(import.meta.url)("langsmith/experimental/otel/setup") as typeof import("langsmith/experimental/otel/setup");

/**
 * The `langsmith` SDK in its OpenTelemetry mode (`tracingMode: "otel"`),
 * where `traceable` runs become OpenTelemetry spans carrying
 * `langsmith.span.kind` and GenAI attributes instead of being posted to
 * LangSmith. The one call the client still makes is GET /info (its batch
 * limits); a stub on 127.0.0.1 answers it with `{}`, as a server without
 * extra features would, since a refused connection is retried with
 * back-off for half a minute.
 * `initializeOTEL` with our own provider only registers the OTel API with
 * the SDK: its LangSmith exporter is built but attached to nothing.
 */
export async function runLangSmith(provider: TracerProvider): Promise<void> {
  initializeOTEL({ globalTracerProvider: provider, skipGlobalContextManagerSetup: true });
  const tracer: Tracer = provider.getTracer("langsmith");
  const stub = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  try {
    await runTraceables(tracer, `http://127.0.0.1:${(stub.address() as AddressInfo).port}`);
  } finally {
    stub.closeAllConnections();
    await new Promise<void>((resolve) => stub.close(() => resolve()));
  }
}

async function runTraceables(tracer: Tracer, apiUrl: string): Promise<void> {
  const client = new Client({ tracingMode: "otel", apiKey: "lsv2-test-not-a-key", apiUrl });
  const options = { client, tracer, tracingEnabled: true, project_name: "weather" } as const;

  const retrieve = traceable(
    async (query: string) => [{ page_content: `Paris is sunny (${query}).`, metadata: { source: "weather.txt" } }],
    { ...options, name: "search-weather", run_type: "retriever" },
  );
  const getWeather = traceable(async (city: string) => ({ city, temperature: 21 }), {
    ...options,
    name: "get_weather",
    run_type: "tool",
  });
  const chat = traceable(
    async (input: { model: string; messages: Array<{ role: string; content: string }> }) => ({
      id: "chatcmpl-ls-1",
      model: "gpt-4o-mini-2024-07-18",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Paris is sunny, 21 °C." } }],
      usage_metadata: { input_tokens: 21, output_tokens: 9, total_tokens: 30 },
      input: input.messages.length,
    }),
    {
      ...options,
      name: "ChatOpenAI",
      run_type: "llm",
      metadata: { ls_model_name: "gpt-4o-mini", ls_provider: "openai" },
    },
  );
  const pipeline = traceable(
    async (question: string) => {
      const docs = await retrieve(question);
      const weather = await getWeather("Paris");
      const answer = await chat({
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: `Context: ${docs.map((d) => d.page_content).join(" ")} ${JSON.stringify(weather)}` },
          { role: "user", content: question },
        ],
      });
      return answer.choices[0]!.message.content;
    },
    { ...options, name: "weather-pipeline", run_type: "chain", tags: ["rag"], metadata: { session_id: "session-42", user_id: "user-7" } },
  );
  await pipeline("What is the weather in Paris?");
  await client.awaitPendingTraceBatches();
}
