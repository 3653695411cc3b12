import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PhoenixSpanExporter } from "../../src/index.js";
import { PHOENIX_SPAN_KINDS, type PhoenixSpan } from "../../src/mapping/index.js";
import type { PhoenixPrivacyOptions } from "../../src/privacy/index.js";
import { createPrepareStage } from "../../src/privacy/prepare-stage.js";
import { captureDiag, instantClock } from "../exporter/delivery/support.js";
import { schemaValidator } from "../servers/phoenix-schema.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { anyPrivacy, anySpan } from "./arbitraries.js";
import { reveals } from "./support.js";

const validate = schemaValidator("CreateSpansRequestBody");
const KINDS: ReadonlySet<string> = new Set(PHOENIX_SPAN_KINDS);
const LIMITS = { maxAttributeValueLength: 64, maxSpanBytes: 4_096, maxRequestBytes: 8_192 };
const MARKER_ROOM = 40;

/** Everything that would make Phoenix refuse the span, store it altered, or lose it from its trace. */
function problemsOf(span: PhoenixSpan): string[] {
  const problems: string[] = [];
  const wire = JSON.parse(JSON.stringify(span)) as PhoenixSpan;
  if (!validate({ data: [wire] })) problems.push(`schema: ${JSON.stringify(validate.errors)}`);
  if (!/^[0-9a-f]{32}$/.test(wire.context.trace_id)) problems.push(`trace_id ${wire.context.trace_id}`);
  if (!/^[0-9a-f]{16}$/.test(wire.context.span_id)) problems.push(`span_id ${wire.context.span_id}`);
  if (wire.parent_id !== null && !/^[0-9a-f]{16}$/.test(wire.parent_id)) problems.push(`parent_id ${wire.parent_id}`);
  if (!KINDS.has(wire.span_kind)) problems.push(`span_kind ${wire.span_kind}`);
  if (!["OK", "ERROR", "UNSET"].includes(wire.status_code)) problems.push(`status_code ${wire.status_code}`);
  if (wire.end_time < wire.start_time) problems.push("end before start");
  const bytes = Buffer.byteLength(JSON.stringify(span));
  if (bytes > LIMITS.maxSpanBytes) problems.push(`${bytes} bytes`);
  const text = (where: string, s: string) => {
    if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) problems.push(`${where}: lone surrogate`);
    if (s.includes("\0")) problems.push(`${where}: NUL`);
    if (s.length > LIMITS.maxAttributeValueLength + MARKER_ROOM) problems.push(`${where}: ${s.length} chars`);
  };
  text("name", wire.name);
  text("status_message", wire.status_message);
  for (const [owner, attributes] of [["span", wire.attributes], ...wire.events.map((e, i) => [`event ${i}`, e.attributes] as const)] as const) {
    for (const [key, value] of Object.entries(attributes)) {
      text(`${owner} key`, key);
      const where = `${owner} ${JSON.stringify(key)}`;
      if (typeof value === "string") text(where, value);
      else if (typeof value === "number") {
        if (!Number.isFinite(value)) problems.push(`${where}: ${value}`);
      } else if (typeof value === "boolean") continue;
      else if (Array.isArray(value)) {
        const types = new Set(value.map((v) => typeof v));
        if (types.size > 1 || [...types].some((t) => t !== "string" && t !== "number" && t !== "boolean")) problems.push(`${where}: mixed array`);
        for (const item of value) if (typeof item === "string") text(where, item);
      } else problems.push(`${where}: ${typeof value}`);
    }
  }
  return problems;
}

describe("hostile spans, any settings: the prepare step never throws, never changes its input, and sends only what Phoenix stores as sent", () => {
  it("holds for arbitrary attribute maps and span shapes", () => {
    fc.assert(
      fc.property(anySpan, anyPrivacy, (span, privacy) => {
        const { prepare } = createPrepareStage(privacy, LIMITS, {});
        const before = inspect(span, { depth: null });
        const out = prepare(span);
        expect(inspect(span, { depth: null })).toBe(before);
        expect(problemsOf(out)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it("a user mask that throws, returns garbage or returns hostile values still yields a sendable span", () => {
    const log = captureDiag();
    try {
      const masks: Array<PhoenixPrivacyOptions["mask"]> = [
        () => {
          throw new Error("boom");
        },
        () => 42 as unknown as PhoenixSpan,
        (s) => ({ ...s, attributes: { x: { nested: true }, y: Number.NaN, z: "\ud800", w: [1, "a"] } as never }),
        (s) => void (s.attributes["added"] = "\0"),
      ];
      fc.assert(
        fc.property(anySpan, fc.constantFrom(...masks), (span, mask) => {
          const out = createPrepareStage({ ...(mask ? { mask } : {}) }, LIMITS, {}).prepare(span);
          expect(problemsOf(out)).toEqual([]);
        }),
        { numRuns: 200 },
      );
    } finally {
      log.restore();
    }
  });
});

/** Where each kind of content can be written, under OpenInference's keys, the source conventions' and none at all. */
const PLACES = {
  inputValue: (t: string) => ({
    "input.value": t,
    "traceloop.entity.input": JSON.stringify({ inputs: { question: t } }),
    "ai.prompt": JSON.stringify({ prompt: t }),
    "gen_ai.prompt": JSON.stringify({ messages: [{ role: "user", content: t }] }),
    "gen_ai.tool.call.arguments": JSON.stringify({ q: t }),
    "app.request": JSON.stringify({ body: { text: t } }),
  }),
  inputText: (t: string) => ({
    "llm.input_messages.1.message.content": t,
    "llm.input_messages.2.message.contents.0.message_content.text": t,
    "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: t }] }]),
    "gen_ai.prompt.0.content": t,
    "ai.prompt.messages": JSON.stringify([{ role: "user", content: [{ type: "text", text: t }] }]),
    "embedding.embeddings.0.embedding.text": t,
    "ai.values": [JSON.stringify(t)],
  }),
  outputValue: (t: string) => ({
    "output.value": t,
    "traceloop.entity.output": JSON.stringify({ outputs: t }),
    "gen_ai.completion": JSON.stringify({ choices: [{ message: { content: t } }] }),
    "ai.toolCall.result": JSON.stringify({ result: t }),
  }),
  outputText: (t: string) => ({
    "llm.output_messages.0.message.content": t,
    "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: t }] }]),
    "gen_ai.completion.0.content": t,
    "ai.response.text": t,
  }),
  prompts: (t: string) => ({ "llm.prompts": [t, `${t} again`] }),
  tools: (t: string) => ({
    "llm.tools.0.tool.json_schema": JSON.stringify({ name: t }),
    "gen_ai.tool.definitions": JSON.stringify([{ name: t }]),
    "ai.prompt.tools": [JSON.stringify({ name: t })],
    "llm.request.functions.0.name": t,
  }),
  parameters: (t: string) => ({
    "llm.invocation_parameters": JSON.stringify({ stop: [t] }),
    "gen_ai.request.stop_sequences": [t],
    "ai.settings.stopSequences": [t],
  }),
} as const;
type Place = keyof typeof PLACES;

const EVENT_PLACES: Partial<Record<Place, (t: string) => { name: string; attributes: Record<string, string> }>> = {
  inputText: (t) => ({ name: "gen_ai.user.message", attributes: { content: t, "gen_ai.system": "openai" } }),
  outputText: (t) => ({ name: "gen_ai.choice", attributes: { message: JSON.stringify({ content: t }), index: "0" } }),
  inputValue: (t) => ({ name: "gen_ai.content.prompt", attributes: { "gen_ai.prompt": t } }),
};

/** What each setting must keep from the wire. */
function mustHide(privacy: PhoenixPrivacyOptions): Set<Place> {
  const hide = new Set<Place>();
  const add = (on: boolean | undefined, ...places: Place[]) => on && places.forEach((p) => hide.add(p));
  add(privacy.hideInputs, "inputValue", "inputText", "prompts", "tools");
  add(privacy.hideOutputs, "outputValue", "outputText");
  add(privacy.hideInputMessages || privacy.hideInputText, "inputText");
  add(privacy.hideOutputMessages || privacy.hideOutputText, "outputText");
  add(privacy.hidePrompts, "prompts");
  add(privacy.hideLLMTools, "tools");
  add(privacy.hideLLMInvocationParameters, "parameters");
  return hide;
}

const token = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), minLength: 16, maxLength: 16 });
const PLACE_NAMES = Object.keys(PLACES) as Place[];
const maskingCase = fc.record({
  privacy: anyPrivacy,
  tokens: fc
    .uniqueArray(token, { minLength: PLACE_NAMES.length, maxLength: PLACE_NAMES.length })
    .map((list) => Object.fromEntries(PLACE_NAMES.map((p, i) => [p, list[i]!])) as Record<Place, string>),
  kind: fc.constantFrom("LLM", "CHAIN", "RETRIEVER", "EMBEDDING", "TOOL"),
  keep: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
});

function spanFor(c: { tokens: Record<Place, string>; kind: string; keep: boolean[] }, id: number): PhoenixSpan {
  const attributes: Record<string, unknown> = Object.create(null);
  let k = 0;
  for (const place of Object.keys(PLACES) as Place[]) {
    for (const [key, value] of Object.entries(PLACES[place](c.tokens[place]))) if (c.keep[k++ % c.keep.length] !== false) attributes[key] = value;
  }
  attributes["llm.model_name"] = "gpt-x";
  const events = (Object.keys(EVENT_PLACES) as Place[]).map((place) => ({ ...EVENT_PLACES[place]!(c.tokens[place]), timestamp: "2026-01-01T00:00:00.500000Z" }));
  return {
    name: "call",
    context: { trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: id.toString(16).padStart(16, "0") },
    span_kind: c.kind as PhoenixSpan["span_kind"],
    parent_id: null,
    start_time: "2026-01-01T00:00:00.000000Z",
    end_time: "2026-01-01T00:00:01.000000Z",
    status_code: "OK",
    status_message: "",
    attributes: attributes as PhoenixSpan["attributes"],
    events,
  };
}

describe("masking is complete: no hidden text is reachable anywhere in the serialised request", () => {
  it("holds in the prepare step, for any combination of settings and any placement", () => {
    fc.assert(
      fc.property(maskingCase, (c) => {
        const out = createPrepareStage(c.privacy, undefined, {}).prepare(spanFor(c, 1));
        const json = JSON.stringify(out);
        const leaks = [...mustHide(c.privacy)].filter((place) => reveals(json, c.tokens[place]));
        expect(leaks).toEqual([]);
        // …and with no setting on, everything placed is sent.
        const placed = JSON.stringify(spanFor(c, 1));
        if (!hidesAnything(c.privacy)) {
          for (const place of PLACE_NAMES) if (placed.includes(c.tokens[place])) expect(reveals(json, c.tokens[place]), place).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  let server: PhoenixTestServer;
  beforeAll(async () => {
    server = await startPhoenixServer();
  });
  afterAll(async () => {
    await server.close();
    expect(server.violations).toEqual([]);
  });

  it("holds on the wire: imports through a real exporter to the strict test server", async () => {
    let id = 1;
    await fc.assert(
      fc.asyncProperty(maskingCase, async (c) => {
        const exporter = new PhoenixSpanExporter({ endpoint: server.url, privacy: c.privacy }, { clock: instantClock() });
        const before = server.spanRequests().length;
        const outcome = await exporter.sendPhoenixSpans("masking", [spanFor(c, id++)]);
        await exporter.shutdown();
        expect(outcome.delivered).toBe(1);
        const body = server.spanRequests().slice(before).map((r) => JSON.stringify(r.json)).join("\n");
        expect([...mustHide(c.privacy)].filter((place) => reveals(body, c.tokens[place]))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

function hidesAnything(privacy: PhoenixPrivacyOptions): boolean {
  return Object.entries(privacy).some(([k, v]) => k.startsWith("hide") && v === true);
}
