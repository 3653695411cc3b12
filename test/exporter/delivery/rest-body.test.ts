/** The REST request body is assembled from the spans' JSON, each encoded straight into it (issue 8). */
import { describe, expect, it } from "vitest";
import { encodeSpan, type EncodedSpan } from "../../../src/exporter/delivery/encoded-span.js";
import { RestSpanSink } from "../../../src/exporter/delivery/rest-span-sink.js";
import type { Transport, TransportRequest, TransportResponse } from "../../../src/http/transport.js";
import type { PhoenixSpan } from "../../../src/mapping/phoenix-span.js";

function capturingSink(): { sink: RestSpanSink; bodies: Uint8Array[] } {
  const bodies: Uint8Array[] = [];
  const transport: Transport = {
    async send(request: TransportRequest): Promise<TransportResponse> {
      bodies.push(typeof request.body === "string" ? Buffer.from(request.body) : request.body!);
      return { status: "success", statusCode: 202, body: new Uint8Array(), headers: {} };
    },
    shutdown: () => Promise.resolve(),
  };
  return { sink: new RestSpanSink(transport, "http://127.0.0.1:1"), bodies };
}

function span(n: number, text: string): PhoenixSpan {
  const id = n.toString(16).padStart(16, "0");
  return {
    name: `span ${n}`,
    context: { trace_id: id.padStart(32, "0"), span_id: id },
    span_kind: "LLM",
    parent_id: null,
    start_time: "2026-01-01T00:00:00.000000Z",
    end_time: "2026-01-01T00:00:01.000000Z",
    status_code: "OK",
    status_message: "",
    attributes: { "output.value": text },
    events: [],
  };
}

const TEXTS = ["plain ascii", "Latin-1: naïve café", "two-byte: it\u2019s \u2014 fine", "astral: \u{1F680}", "escaped: \ud800 \u0000 \n \""];

describe("REST request body", () => {
  it("is {\"data\":[…]} of the spans' JSON, byte for byte, whatever their characters", async () => {
    const { sink, bodies } = capturingSink();
    const spans = TEXTS.map((text, i) => span(i + 1, text));
    await sink.write("p", spans.map(encodeSpan), 1_000);
    expect(Buffer.from(bodies[0]!).toString("utf8")).toBe(JSON.stringify({ data: spans }));
    expect(JSON.parse(Buffer.from(bodies[0]!).toString("utf8"))).toEqual({ data: spans });
  });

  it("stays right for a span whose byte count is off", async () => {
    const { sink, bodies } = capturingSink();
    const good = encodeSpan(span(1, TEXTS[2]!));
    const wrong: EncodedSpan = { ...encodeSpan(span(2, TEXTS[3]!)) };
    const lying: EncodedSpan = { traceId: wrong.traceId, spanId: wrong.spanId, json: wrong.json, bytes: wrong.bytes - 3 };
    await sink.write("p", [good, lying], 1_000);
    expect(JSON.parse(Buffer.from(bodies[0]!).toString("utf8"))).toEqual({ data: [span(1, TEXTS[2]!), span(2, TEXTS[3]!)] });
  });
});
