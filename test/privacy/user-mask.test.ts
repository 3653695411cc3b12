import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PhoenixSpan } from "../../src/mapping/index.js";
import { createPrepareStage } from "../../src/privacy/prepare-stage.js";
import { captureDiag, type CapturedDiag } from "../exporter/delivery/support.js";
import { recordSpans } from "../helpers/tracing.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { exportThrough } from "./support.js";

const SECRET = "patient John Smith, 1970-01-01, diagnosis: confidential";

function span(): PhoenixSpan {
  return {
    name: "llm",
    context: { trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: "b7ad6b7169203331" },
    span_kind: "LLM",
    parent_id: null,
    start_time: "2026-01-01T00:00:00.000000Z",
    end_time: "2026-01-01T00:00:01.000000Z",
    status_code: "ERROR",
    status_message: `failed on ${SECRET}`,
    attributes: Object.assign(Object.create(null), { "input.value": SECRET, "llm.token_count.prompt": 12, "user.email": "a@b.example" }),
    events: [{ name: "note", timestamp: "2026-01-01T00:00:00.500000Z", attributes: Object.assign(Object.create(null), { text: SECRET }) }],
  };
}

let log: CapturedDiag;
beforeEach(() => {
  log = captureDiag();
});
afterEach(() => log.restore());

describe("privacy.mask fails closed", () => {
  it("changes made in place, or a new span returned, are what is sent; the caller's span is untouched", () => {
    const original = span();
    const inPlace = createPrepareStage({ mask: (s) => void (s.attributes["input.value"] = "[masked]") }, undefined, {}).prepare(original);
    expect(inPlace.attributes["input.value"]).toBe("[masked]");
    const returned = createPrepareStage({ mask: (s) => ({ ...s, name: "renamed" }) }, undefined, {}).prepare(original);
    expect(returned.name).toBe("renamed");
    expect(original.attributes["input.value"]).toBe(SECRET);
  });

  const failures: Array<[string, (s: PhoenixSpan) => PhoenixSpan | void, RegExp]> = [
    ["throws", () => {
      throw new TypeError(`cannot mask ${SECRET}`);
    }, /privacy\.mask threw TypeError/],
    ["throws after changing half the span", (s) => {
      s.attributes["input.value"] = "[masked]";
      throw new Error("second step failed");
    }, /privacy\.mask threw Error/],
    ["returns a promise", (s) => Promise.resolve(s) as unknown as PhoenixSpan, /returned a promise \(it must be synchronous\)/],
    ["returns a string", () => "masked" as unknown as PhoenixSpan, /returned a value of type string instead of a span/],
    ["returns null", () => null as unknown as PhoenixSpan, /returned null instead of a span/],
    ["returns a span without attributes", (s) => ({ ...s, attributes: undefined }) as unknown as PhoenixSpan, /instead of a span/],
  ];

  it.each(failures)("when it %s: every value and the status message become __MASK_FAILED__, ids and times stay, one diag.error without the content", (_what, mask, message) => {
    const prepare = createPrepareStage({ mask }, undefined, {}).prepare;
    const first = prepare(span());
    prepare(span());
    const json = JSON.stringify(first);
    expect(json).not.toContain("John Smith");
    expect(first.attributes).toEqual({ "input.value": "__MASK_FAILED__", "llm.token_count.prompt": "__MASK_FAILED__", "user.email": "__MASK_FAILED__" });
    expect(first.events[0]!.attributes).toEqual({ text: "__MASK_FAILED__" });
    expect(first.status_message).toBe("__MASK_FAILED__");
    expect(first).toMatchObject({ name: "llm", context: span().context, start_time: span().start_time, span_kind: "LLM", status_code: "ERROR" });
    const errors = log.at("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(errors[0]).not.toContain("John Smith");
  });
});

describe("privacy.maskAttribute", () => {
  it("maps each value of the span and its events; undefined leaves the attribute out", () => {
    const prepare = createPrepareStage(
      { maskAttribute: (key, value) => (key === "user.email" ? undefined : typeof value === "string" ? value.replace("John Smith", "[name]") : value) },
      undefined,
      {},
    ).prepare;
    const out = prepare(span());
    expect(out.attributes["user.email"]).toBeUndefined();
    expect(out.attributes["input.value"]).toContain("[name]");
    expect(out.events[0]!.attributes["text"]).toContain("[name]");
    expect(out.attributes["llm.token_count.prompt"]).toBe(12);
  });

  it("a throw or a value Phoenix cannot store sends __MASK_FAILED__ for that attribute only, logged once per kind of failure", () => {
    const prepare = createPrepareStage(
      {
        maskAttribute: (key, value) => {
          if (key === "input.value") throw new Error(SECRET);
          if (key === "user.email") return { nested: value } as never;
          return value;
        },
      },
      undefined,
      {},
    ).prepare;
    prepare(span());
    const out = prepare(span());
    expect(out.attributes).toEqual({ "input.value": "__MASK_FAILED__", "llm.token_count.prompt": 12, "user.email": "__MASK_FAILED__" });
    expect(log.at("error")).toHaveLength(2);
    expect(log.lines.map((l) => l.message).join("\n")).not.toContain("John Smith");
  });
});

describe("through a real exporter", () => {
  let server: PhoenixTestServer;
  beforeEach(async () => {
    server = await startPhoenixServer();
  });
  afterEach(async () => {
    await server.close();
    expect(server.violations).toEqual([]);
  });

  it("a throwing mask never lets the raw content reach Phoenix, and the spans are still delivered", async () => {
    const spans = recordSpans((provider) => {
      for (let i = 0; i < 3; i++) provider.getTracer("t").startSpan("call", { attributes: { "openinference.span.kind": "LLM", "input.value": SECRET } }).end();
    });
    const { sent, bodies, exporter } = await exportThrough(server, spans, {
      privacy: {
        mask: () => {
          throw new Error("bug");
        },
      },
    });
    expect(sent).toHaveLength(3);
    expect(bodies.join("")).not.toContain("John Smith");
    expect(exporter.stats().exported).toBe(3);
  });
});
