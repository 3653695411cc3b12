import { describe, expect, it } from "vitest";
import { cutRequests, encodeRequests } from "../../../src/exporter/delivery/request-batches.js";
import { spanText } from "../../../src/exporter/delivery/encoded-span.js";
import type { PhoenixSpan } from "../../../src/mapping/phoenix-span.js";
import { REQUEST_ENVELOPE_BYTES } from "../../../src/privacy/limits.js";

function phoenixSpan(i: number, text = ""): PhoenixSpan {
  return {
    name: `s${i}`,
    context: { trace_id: "0".repeat(31) + "1", span_id: i.toString(16).padStart(16, "0") },
    span_kind: "LLM",
    parent_id: null,
    start_time: "2026-01-01T00:00:00.000000+00:00",
    end_time: "2026-01-01T00:00:01.000000+00:00",
    status_code: "OK",
    status_message: "",
    attributes: { "input.value": text },
    events: [],
  } as PhoenixSpan;
}

const steps = { map: () => { throw new Error("not used"); }, projectOf: () => "p", maxSpansPerRequest: 50, maxRequestBytes: Infinity };

describe("request batching (pure)", () => {
  it("cuts 120 spans into requests of 50, 50 and 20", () => {
    const spans = Array.from({ length: 120 }, (_, i) => spanText(phoenixSpan(i)));
    expect(cutRequests(spans, 50, Infinity).map((part) => part.length)).toEqual([50, 50, 20]);
  });

  it("cuts by bytes too, every request within the cap", () => {
    const spans = Array.from({ length: 10 }, (_, i) => spanText(phoenixSpan(i, "x".repeat(1_000))));
    const cap = REQUEST_ENVELOPE_BYTES + 3 * (spans[0]!.bytes + 1);
    const parts = cutRequests(spans, 50, cap);
    expect(parts.flat()).toHaveLength(10);
    for (const part of parts) expect(REQUEST_ENVELOPE_BYTES + part.reduce((n, s) => n + s.bytes, 0) + part.length - 1).toBeLessThanOrEqual(cap);
  });

  it("a span no request can carry is unsendable, reported, and the others still go", () => {
    const { batches, unsendable } = encodeRequests(
      { spans: [phoenixSpan(1, "x".repeat(5_000)), phoenixSpan(2)], project: "p" },
      { ...steps, maxRequestBytes: 2_000 },
    );
    expect(unsendable).toEqual([expect.objectContaining({ reason: "too-large" })]);
    expect(batches.flatMap((b) => b.spans.map((s) => s.spanId))).toEqual(["0000000000000002"]);
  });

  it("a prepare step (a user mask) that throws makes that span unmappable, not the call", () => {
    let calls = 0;
    const { batches, unsendable } = encodeRequests(
      { spans: [phoenixSpan(1), phoenixSpan(2)], project: "p" },
      { ...steps, prepare: (span) => { if (calls++ === 0) throw new Error("mask failed"); return span; } },
    );
    expect(unsendable).toEqual([expect.objectContaining({ reason: "unmappable" })]);
    expect(batches[0]!.spans).toHaveLength(1);
  });
});
