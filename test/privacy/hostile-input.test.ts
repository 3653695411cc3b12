import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SpanKind, TraceFlags, type Attributes, type HrTime } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { PhoenixSpanExporter } from "../../src/index.js";
import { mapSpan, type PhoenixSpan } from "../../src/mapping/index.js";
import { captureDiag, instantClock, type CapturedDiag } from "../exporter/delivery/support.js";
import { recordSpans } from "../helpers/tracing.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { deepJson } from "./arbitraries.js";

/**
 * Spans as a buggy or hostile instrumentation hands them over: a
 * ReadableSpan built by hand, so nothing of the SDK's own validation stands
 * between the value and the exporter.
 */
function handBuilt(
  name: string,
  attributes: Record<string, unknown>,
  options: { traceId?: string; spanId?: string; parentSpanId?: string; start?: HrTime; end?: HrTime; events?: ReadableSpan["events"] } = {},
): ReadableSpan {
  const context = { traceId: options.traceId ?? "4bf92f3577b34da6a3ce929d0e0e4736", spanId: options.spanId ?? randomSpanId(), traceFlags: TraceFlags.SAMPLED };
  return {
    name,
    kind: SpanKind.INTERNAL,
    spanContext: () => context,
    ...(options.parentSpanId ? { parentSpanContext: { ...context, spanId: options.parentSpanId } } : {}),
    startTime: options.start ?? [1_767_225_600, 0],
    endTime: options.end ?? [1_767_225_601, 0],
    status: { code: 0 },
    attributes: attributes as Attributes,
    links: [],
    events: options.events ?? [],
    duration: [1, 0],
    ended: true,
    resource: resourceFromAttributes({}),
    instrumentationScope: { name: "hostile" },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

let counter = 0;
function randomSpanId(): string {
  return (++counter).toString(16).padStart(16, "a");
}

function protoKeys(): Record<string, unknown> {
  const attributes: Record<string, unknown> = Object.create(null);
  attributes["__proto__"] = "polluted?";
  attributes["constructor"] = "not a function";
  attributes["prototype"] = 1;
  attributes["toString"] = true;
  return attributes;
}

const manyMessages = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", parts: [{ type: "text", content: `message ${i}` }] })));

/** Every hostile case tried (listed in the closing note of issue 9). */
const CASES: Array<[string, () => ReadableSpan]> = [
  ["a 5 MB value", () => handBuilt("huge", { "openinference.span.kind": "LLM", "input.value": "x".repeat(5_000_000) })],
  ["empty values and an empty key", () => handBuilt("", { "": "", "input.value": "", "app.list": [] })],
  ["non-finite numbers", () => handBuilt("nan", { "llm.token_count.prompt": Number.NaN, a: Number.POSITIVE_INFINITY, b: Number.NEGATIVE_INFINITY, c: [1, Number.NaN, 3], d: -0 })],
  ["lone surrogates in values, keys, arrays and the name", () => handBuilt("bad \ud800 name", { "input.value": "half \ud83d emoji", "key \udfff": "v", list: ["ok", "\udc00"] })],
  ["NUL and control characters", () => handBuilt("nul\0name", { "input.value": "a\0b\u0001\u001f\u007f\u0085", "k\0ey": "v", list: ["\0"] })],
  ["__proto__ / constructor / prototype keys", () => handBuilt("proto", protoKeys())],
  ["objects, null, undefined, bigint, functions and symbols as values", () =>
    handBuilt("objects", { obj: { nested: { deep: true } }, nul: null, undef: undefined, big: 10n ** 30n, fn: () => 1, sym: Symbol("s"), date: new Date(0), map: new Map([[1, 2]]) })],
  ["a cycle and a throwing getter", () => {
    const cycle: Record<string, unknown> = { name: "cycle" };
    cycle.self = cycle;
    const getter = Object.defineProperty({}, "boom", { enumerable: true, get: () => { throw new Error("getter"); } });
    return handBuilt("cycle", { cycle, getter });
  }],
  ["mixed and nested arrays", () => handBuilt("arrays", { mixed: [1, "a", true], nested: [[1], [2]], holes: [1, null, undefined, 2] })],
  ["malformed JSON in message attributes", () =>
    handBuilt("chat gpt", { "gen_ai.operation.name": "chat", "gen_ai.input.messages": "[{\"role\": \"user\", \"parts\": [", "gen_ai.output.messages": "{not json", "ai.prompt.messages": "[1,2" })],
  ["50-level-deep JSON in message attributes", () =>
    handBuilt("chat deep", { "gen_ai.operation.name": "chat", "gen_ai.input.messages": deepJson(50), "gen_ai.output.messages": deepJson(50), "ai.operationId": "ai.generateText.doGenerate", "ai.prompt.messages": deepJson(50) })],
  ["10,000 messages in one span", () => handBuilt("chat long", { "gen_ai.operation.name": "chat", "gen_ai.input.messages": manyMessages })],
  ["invalid ids (not hex, upper case, too short, 0x-prefixed)", () => handBuilt("ids", {}, { traceId: "NOT-A-TRACE-ID", spanId: "0xABC", parentSpanId: "PARENT" })],
  ["upper-case ids of the right length", () => handBuilt("upper", {}, { traceId: "4BF92F3577B34DA6A3CE929D0E0E4736", spanId: "00F067AA0BA902B7" })],
  ["an end before the start", () => handBuilt("backwards", {}, { start: [1_767_225_601, 0], end: [1_767_225_600, 0] })],
  ["non-finite times", () => handBuilt("times", {}, { start: [Number.NaN, 0], end: [Number.POSITIVE_INFINITY, 0] })],
  ["hostile event attributes and names", () =>
    handBuilt("events", {}, { events: [{ name: "ev\ud800\0", time: [1_767_225_600, 5], attributes: { ...protoKeys(), v: Number.NaN, o: { a: 1 } as never, s: "\udfff" } }] })],
  ["a kind attribute Phoenix does not know", () => handBuilt("kind", { "openinference.span.kind": "not-a-kind" })],
];

let server: PhoenixTestServer;
let log: CapturedDiag;
beforeEach(async () => {
  server = await startPhoenixServer();
  log = captureDiag();
});
afterEach(async () => {
  log.restore();
  await server.close();
});

describe("hostile input never breaks the pipeline: mapped, exported, stored, and the strict server finds nothing wrong", () => {
  it.each(CASES)("%s", async (_what, make) => {
    const span = make();
    expect(() => mapSpan(span)).not.toThrow();
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "hostile" }, { clock: instantClock() });
    const result = await new Promise<{ code: number }>((resolve) => exporter.export([span], resolve));
    await exporter.shutdown();
    expect(server.violations).toEqual([]);
    expect(result.code).toBe(0);
    expect(exporter.stats()).toMatchObject({ exported: 1, invalid: 0, dropped: { total: 0 } });
    const stored = JSON.parse(JSON.stringify(server.spans("hostile"))) as PhoenixSpan[];
    expect(stored).toHaveLength(1);
    const body = server.spanRequests().map((r) => JSON.stringify(r.json)).join("");
    expect(body).not.toMatch(/\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i);
    expect(Buffer.byteLength(body)).toBeLessThan(8 * 1024 * 1024);
  });

  it("all of them in one batch, with well-behaved spans from the real SDK around them: every span stored, nothing polluted", async () => {
    const good = recordSpans((provider) => {
      for (let i = 0; i < 5; i++) provider.getTracer("good").startSpan(`good${i}`, { attributes: { "openinference.span.kind": "LLM", "input.value": `q${i}` } }).end();
    });
    const spans = [...good, ...CASES.map(([, make]) => make())];
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "hostile" }, { clock: instantClock() });
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(spans, resolve));
    await exporter.shutdown();
    expect(result.code).toBe(0);
    expect(server.violations).toEqual([]);
    expect(server.spans("hostile")).toHaveLength(spans.length);
    expect(({} as Record<string, unknown>)["polluted?"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted?");
    // Sent as plain keys (JSON.parse makes `__proto__` an own property, as Phoenix's parser does).
    const sent = server.spanRequests().flatMap((r) => (r.json as { data: PhoenixSpan[] }).data);
    const proto = sent.find((s) => s.name === "proto")!;
    expect(Object.getOwnPropertyDescriptor(proto.attributes, "__proto__")?.value).toBe("polluted?");
    expect(proto.attributes["constructor"]).toBe("not a function");
    expect(log.at("error")).toEqual([]);
  });

  it("lone surrogates become U+FFFD and NUL characters U+FFFD; other control characters are kept", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "hostile" }, { clock: instantClock() });
    await new Promise((resolve) => exporter.export([CASES[3]![1](), CASES[4]![1]()], resolve));
    await exporter.shutdown();
    const [surrogates, nul] = server.spans("hostile");
    expect(surrogates!.name).toBe("bad \ufffd name");
    expect(surrogates!.attributes["input.value"]).toBe("half \ufffd emoji");
    expect(surrogates!.attributes["key \ufffd"]).toBe("v");
    expect(nul!.attributes["input.value"]).toBe("a\ufffdb\u0001\u001f\u007f\u0085");
    expect(nul!.attributes["k\ufffdey"]).toBe("v");
  });
});

describe("imports of garbage", () => {
  it("a span without ids or times is reported and dropped as unmappable; the rest of the call is delivered", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url }, { clock: instantClock() });
    const good: PhoenixSpan = {
      name: "ok",
      context: { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7" },
      span_kind: "CHAIN",
      parent_id: null,
      start_time: "2026-01-01T00:00:00.000000Z",
      end_time: "2026-01-01T00:00:01.000000Z",
      status_code: "OK",
      status_message: "",
      attributes: {},
      events: [],
    };
    const garbage = [{ name: "no context" }, { ...good, start_time: 5 }, null] as unknown as PhoenixSpan[];
    const outcome = await exporter.sendPhoenixSpans("imports", [...garbage, good]);
    await exporter.shutdown();
    expect(outcome).toMatchObject({ delivered: 1, undelivered: 3 });
    expect(exporter.stats().dropped).toMatchObject({ unmappable: 3 });
    expect(log.at("error").filter((l) => /could not map span/.test(l))).toHaveLength(3);
    expect(server.violations).toEqual([]);
  });
});
