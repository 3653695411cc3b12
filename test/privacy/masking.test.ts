import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { PhoenixSpan } from "../../src/mapping/index.js";
import { captureDiag } from "../exporter/delivery/support.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { contentOf, corpus, exportThrough, reveals } from "./support.js";

/**
 * Each OpenInference variable, set in the environment as a user would, on
 * the spans of every producer of the mapping corpus, through a real exporter
 * to the strict test server. What each must hide is stated from the unmasked
 * mapping (OpenInference's keys), and searched for in the whole span as sent:
 * its own attributes, its events, and every source attribute kept beside.
 */
let server: PhoenixTestServer;
// A server per test: the corpus's span ids would be duplicates on a second run.
beforeEach(async () => {
  server = await startPhoenixServer();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
  expect(server.violations).toEqual([]);
});

const producers = corpus();

type Content = ReturnType<typeof contentOf>;
interface Case {
  variable: string;
  /** The texts of a span that must not be sent. */
  hidden: (c: Content) => string[];
  /** Keys (regular expressions) no sent span may carry. */
  absentKeys: RegExp[];
  /** Keys whose value, when sent, must be `__REDACTED__`. */
  redactedKeys?: RegExp[];
}

const CASES: Case[] = [
  {
    variable: "OPENINFERENCE_HIDE_INPUTS",
    hidden: (c) => [...c.inputValue, ...c.inputText, ...c.prompts],
    absentKeys: [/^input\.mime_type$/, /^llm\.input_messages\./, /^llm\.tools\./, /^gen_ai\.tool\.definitions$/, /^ai\.prompt\.tools$/],
    redactedKeys: [/^input\.value$/, /^gen_ai\.input\.messages$/, /^ai\.prompt(\.messages)?$/, /^traceloop\.entity\.input$/, /^gen_ai\.prompt(\.\d+\.content)?$/],
  },
  {
    variable: "OPENINFERENCE_HIDE_OUTPUTS",
    hidden: (c) => [...c.outputValue, ...c.outputText],
    absentKeys: [/^output\.mime_type$/, /^llm\.output_messages\./],
    redactedKeys: [/^output\.value$/, /^gen_ai\.output\.messages$/, /^ai\.response\.(text|object)$/, /^traceloop\.entity\.output$/, /^gen_ai\.completion(\.\d+\.content)?$/],
  },
  {
    variable: "OPENINFERENCE_HIDE_INPUT_MESSAGES",
    hidden: (c) => c.inputText,
    absentKeys: [/^llm\.input_messages\./],
    redactedKeys: [/^gen_ai\.input\.messages$/, /^gen_ai\.system_instructions$/, /^ai\.prompt\.messages$/],
  },
  {
    variable: "OPENINFERENCE_HIDE_OUTPUT_MESSAGES",
    hidden: (c) => c.outputText,
    absentKeys: [/^llm\.output_messages\./],
    redactedKeys: [/^gen_ai\.output\.messages$/],
  },
  {
    variable: "OPENINFERENCE_HIDE_INPUT_TEXT",
    hidden: (c) => c.inputText,
    absentKeys: [],
    redactedKeys: [/^llm\.input_messages\.\d+\.message\.content$/, /^embedding\.embeddings\.\d+\.embedding\.text$/, /^gen_ai\.prompt\.\d+\.content$/],
  },
  {
    variable: "OPENINFERENCE_HIDE_OUTPUT_TEXT",
    hidden: (c) => c.outputText,
    absentKeys: [],
    redactedKeys: [/^llm\.output_messages\.\d+\.message\.content$/, /^gen_ai\.completion\.\d+\.content$/],
  },
  { variable: "OPENINFERENCE_HIDE_INPUT_IMAGES", hidden: () => [], absentKeys: [/message_content\.image/, /^input\.images\./] },
  {
    variable: "OPENINFERENCE_HIDE_EMBEDDING_VECTORS",
    hidden: () => [],
    absentKeys: [/^embedding\.embeddings\.\d+\.embedding\.vector$/, /^ai\.embeddings?$/],
  },
  {
    variable: "OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS",
    hidden: () => [],
    absentKeys: [/^llm\.invocation_parameters$/, /^gen_ai\.request\.(?!model$)/, /^ai\.settings\./],
  },
  {
    variable: "OPENINFERENCE_HIDE_LLM_TOOLS",
    hidden: () => [],
    absentKeys: [/^llm\.tools\./, /^gen_ai\.tool\.definitions$/, /^ai\.prompt\.tools$/, /^llm\.request\.functions\./],
  },
  { variable: "OPENINFERENCE_HIDE_PROMPTS", hidden: (c) => c.prompts, absentKeys: [], redactedKeys: [/^llm\.prompts$/] },
];

function problemsOf(c: Case, original: ReadableSpan, sent: PhoenixSpan): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(sent);
  for (const text of c.hidden(contentOf(original))) {
    if (reveals(json, text)) problems.push(`${original.name}: sends ${JSON.stringify(text.slice(0, 60))}`);
  }
  const maps = [sent.attributes, ...sent.events.map((e) => e.attributes)];
  for (const attributes of maps) {
    for (const [key, value] of Object.entries(attributes)) {
      if (c.absentKeys.some((k) => k.test(key))) problems.push(`${original.name}: sends ${key}`);
      if (c.redactedKeys?.some((k) => k.test(key)) && value !== "__REDACTED__") problems.push(`${original.name}: ${key} = ${JSON.stringify(value).slice(0, 60)}`);
    }
  }
  return problems;
}

describe.each(CASES.map((c) => [c.variable, c] as const))("%s=true", (variable, c) => {
  it.each(producers.map((p) => [p.producer, p.spans] as const))("on %s spans, hides what it names, in every key", async (_producer, spans) => {
    vi.stubEnv(variable, "true");
    const { sent } = await exportThrough(server, spans);
    expect(sent).toHaveLength(spans.length);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const problems = sent.flatMap((s) => problemsOf(c, byId.get(s.context.span_id)!, s));
    expect(problems).toEqual([]);
  });
});

describe("what the settings leave alone", () => {
  it("without any setting, the corpus is sent with its content, unchanged by the prepare step", async () => {
    const spans = producers.flatMap((p) => p.spans);
    const { sent } = await exportThrough(server, spans);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    let texts = 0;
    for (const span of sent) {
      const c = contentOf(byId.get(span.context.span_id)!);
      const json = JSON.stringify(span);
      for (const text of [...c.inputValue, ...c.outputValue, ...c.inputText, ...c.outputText]) {
        texts++;
        expect(reveals(json, text)).toBe(true);
      }
    }
    expect(texts).toBeGreaterThan(50);
  });

  it("hideInputText keeps the messages' roles and tool calls, as OpenInference does", async () => {
    vi.stubEnv("OPENINFERENCE_HIDE_INPUT_TEXT", "true");
    const openai = producers.find((p) => p.producer === "openinference-openai")!;
    const { sent } = await exportThrough(server, openai.spans);
    const keys = sent.flatMap((s) => Object.keys(s.attributes));
    expect(keys.some((k) => /^llm\.input_messages\.\d+\.message\.role$/.test(k))).toBe(true);
    expect(sent.flatMap((s) => Object.entries(s.attributes)).filter(([k]) => /^llm\.input_messages\.\d+\.message\.role$/.test(k)).map(([, v]) => v)).toContain("user");
  });

  it("hideInputs leaves the output, the model and the token counts", async () => {
    vi.stubEnv("OPENINFERENCE_HIDE_INPUTS", "true");
    const otel = producers.find((p) => p.producer === "traceloop-openai")!;
    const { sent } = await exportThrough(server, otel.spans);
    const llm = sent.find((s) => s.attributes["llm.output_messages.0.message.content"] !== undefined)!;
    expect(llm.attributes["llm.model_name"]).toEqual(expect.any(String));
    expect(llm.attributes["llm.token_count.prompt"]).toEqual(expect.any(Number));
    expect(llm.attributes["input.value"]).toBe("__REDACTED__");
  });
});

describe("options and variables", () => {
  const llmSpans = () => producers.find((p) => p.producer === "openinference-openai")!.spans;

  it("an option wins over its variable, both ways", async () => {
    vi.stubEnv("OPENINFERENCE_HIDE_INPUTS", "true");
    const shown = await exportThrough(server, llmSpans(), { privacy: { hideInputs: false } });
    expect(shown.sent.every((s) => s.attributes["input.value"] !== "__REDACTED__")).toBe(true);
    vi.stubEnv("OPENINFERENCE_HIDE_INPUTS", "false");
    const hidden = await exportThrough(server, llmSpans(), { privacy: { hideInputs: true } });
    expect(hidden.sent.every((s) => s.attributes["input.value"] === "__REDACTED__")).toBe(true);
  });

  it("a variable that is not a boolean is warned about once and ignored", async () => {
    const log = captureDiag();
    try {
      vi.stubEnv("OPENINFERENCE_HIDE_OUTPUTS", "maybe");
      const { sent } = await exportThrough(server, llmSpans());
      expect(sent.some((s) => typeof s.attributes["output.value"] === "string" && s.attributes["output.value"] !== "__REDACTED__")).toBe(true);
      expect(log.at("warn").filter((l) => l.includes('OPENINFERENCE_HIDE_OUTPUTS="maybe"'))).toHaveLength(1);
    } finally {
      log.restore();
    }
  });

  it("bad options throw a PhoenixConfigurationError at construction", async () => {
    const { PhoenixSpanExporter, PhoenixConfigurationError } = await import("../../src/index.js");
    const bad: unknown[] = [
      { privacy: { hideInputs: "yes" } },
      { privacy: { base64ImageMaxLength: -1 } },
      { privacy: { mask: "nope" } },
      { privacy: { redact: { replacement: 3 } } },
      { privacy: 5 },
      { limits: { maxSpanBytes: 10 } },
      { limits: { maxAttributeValueLength: 1.5 } },
    ];
    for (const options of bad) {
      expect(() => new PhoenixSpanExporter({ endpoint: server.url, ...(options as object) }), JSON.stringify(options)).toThrow(PhoenixConfigurationError);
    }
  });
});

describe("OpenInference's base64 image cap", () => {
  it("a data URL longer than OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH under an image key is redacted; a short one and other keys are kept", async () => {
    const { recordSpans } = await import("../helpers/tracing.js");
    const long = `data:image/png;base64,${"A".repeat(2_000)}`;
    const short = "data:image/png;base64,AAAA";
    const spans = recordSpans((provider) => {
      const span = provider.getTracer("t").startSpan("vision", {
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.input_messages.0.message.contents.0.message_content.image.image.url": long,
          "llm.input_messages.0.message.contents.1.message_content.image.image.url": short,
          "app.thumbnail": long,
        },
      });
      span.end();
    });
    vi.stubEnv("OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH", "1000");
    const { sent } = await exportThrough(server, spans);
    const a = sent[0]!.attributes;
    expect(a["llm.input_messages.0.message.contents.0.message_content.image.image.url"]).toBe("__REDACTED__");
    expect(a["llm.input_messages.0.message.contents.1.message_content.image.image.url"]).toBe(short);
    expect(a["app.thumbnail"]).toBe(long);
  });
});
