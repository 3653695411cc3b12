import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { PhoenixSpanExporter, type PhoenixSpanExporterOptions } from "../../src/index.js";
import { mapSpan, type PhoenixSpan } from "../../src/mapping/index.js";
import { instantClock } from "../exporter/delivery/support.js";
import { toReadableSpan } from "../mapping/producers/captured-span.js";
import { loadFixtures } from "../mapping/producers/fixture.js";
import type { PhoenixTestServer } from "../servers/phoenix-server.js";

/** The mapping corpus: every producer's captured spans, as real ReadableSpans. */
export function corpus(): Array<{ producer: string; spans: ReadableSpan[] }> {
  return loadFixtures().map((f) => ({ producer: f.producer, spans: f.spans.map(toReadableSpan) }));
}

/** Exports `spans` through a real exporter to `server` and returns the Phoenix spans the server received, in request order. */
export async function exportThrough(
  server: PhoenixTestServer,
  spans: ReadableSpan[],
  options: PhoenixSpanExporterOptions = {},
): Promise<{ sent: PhoenixSpan[]; bodies: string[]; exporter: PhoenixSpanExporter }> {
  const before = server.spanRequests().length;
  const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "privacy", ...options }, { clock: instantClock() });
  await new Promise<void>((resolve) => exporter.export(spans, () => resolve()));
  await exporter.shutdown();
  const requests = server.spanRequests().slice(before).filter((r) => r.status === 202);
  return {
    sent: requests.flatMap((r) => (r.json as { data: PhoenixSpan[] }).data),
    bodies: requests.map((r) => JSON.stringify(r.json)),
    exporter,
  };
}

/** The texts a span carries under OpenInference's keys, by what they are, from the unmasked mapping. */
export function contentOf(span: ReadableSpan): {
  inputValue: string[];
  outputValue: string[];
  inputText: string[];
  outputText: string[];
  prompts: string[];
} {
  const attributes = mapSpan(span).attributes;
  const texts = { inputValue: [] as string[], outputValue: [] as string[], inputText: [] as string[], outputText: [] as string[], prompts: [] as string[] };
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== "string" || value.length < 8) continue;
    const text = key.endsWith("message.content") || key.endsWith("message_content.text");
    if (key === "input.value") texts.inputValue.push(value);
    else if (key === "output.value") texts.outputValue.push(value);
    else if (text && key.startsWith("llm.input_messages.")) texts.inputText.push(value);
    else if (text && key.startsWith("llm.output_messages.")) texts.outputText.push(value);
    else if (/^embedding\.embeddings\.\d+\.embedding\.text$/.test(key)) texts.inputText.push(value);
    else if (key === "llm.prompts" || key.startsWith("llm.prompts.")) texts.prompts.push(value);
  }
  return texts;
}

/** `text` is in `body` as itself or JSON-escaped (inside a JSON string, or inside JSON inside a JSON string). */
export function reveals(body: string, text: string): boolean {
  const once = JSON.stringify(text).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  return body.includes(once) || body.includes(twice) || body.includes(text);
}
