/** The REST request body is assembled from the spans' UTF-8 JSON, held in buffers shared by a hand-over (issues 8, 16). */
import { describe, expect, it } from "vitest";
import { encodeSpan } from "../../../src/exporter/delivery/encoded-span.js";
import { SHARED_BUFFER_BYTES } from "../../../src/exporter/delivery/rest-body.js";
import { encodeRequests } from "../../../src/exporter/delivery/request-batches.js";
import { RestSpanSink } from "../../../src/exporter/delivery/rest-span-sink.js";
import type { Transport, TransportRequest, TransportResponse } from "../../../src/http/transport.js";
import type { PhoenixSpan } from "../../../src/mapping/phoenix-span.js";
import { REQUEST_ENVELOPE_BYTES } from "../../../src/privacy/limits.js";

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
    // The byte caps count the envelope as this many bytes.
    expect(Buffer.byteLength('{"data":[]}')).toBe(REQUEST_ENVELOPE_BYTES);
  });

  it("holds exactly its own spans when a hand-over's spans share buffers across projects and requests", async () => {
    const { sink, bodies } = capturingSink();
    // 4 projects interleaved, a few spans past one shared buffer, every kind of character.
    const spans = Array.from({ length: 90 }, (_, i) => span(i + 1, `${TEXTS[i % TEXTS.length]} ${"x".repeat(i % 3 === 0 ? 40_000 : 50)}`));
    const projectOf = (s: PhoenixSpan) => `p${Number.parseInt(s.context.span_id, 16) % 4}`;
    const { batches, unsendable } = encodeRequests(
      { spans: spans as never },
      { map: (s) => s as never, projectOf: projectOf as never, maxSpansPerRequest: 10, maxRequestBytes: Infinity },
    );
    expect(unsendable).toEqual([]);
    const buffers = new Set(batches.flatMap((b) => b.spans.map((s) => s.utf8.buffer)));
    expect(buffers.size).toBeGreaterThan(1);
    for (const buffer of buffers) expect(buffer.byteLength).toBeLessThanOrEqual(SHARED_BUFFER_BYTES);
    for (const batch of batches) await sink.write(batch.project, batch.spans, 1_000);
    const sent = new Map<string, PhoenixSpan[]>();
    bodies.forEach((body, i) => {
      const project = batches[i]!.project;
      const data = (JSON.parse(Buffer.from(body).toString("utf8")) as { data: PhoenixSpan[] }).data;
      expect(data.every((s) => projectOf(s) === project)).toBe(true);
      sent.set(project, [...(sent.get(project) ?? []), ...data]);
    });
    for (const [project, list] of sent) expect(list).toEqual(spans.filter((s) => projectOf(s) === project));
    expect([...sent.values()].flat()).toHaveLength(90);
  });

  it("gives a request larger than a shared buffer a buffer of its own, and sends it whole", async () => {
    const { sink, bodies } = capturingSink();
    const large = span(1, "\u2019".repeat(SHARED_BUFFER_BYTES / 2));
    const { batches } = encodeRequests(
      { spans: [span(2, "before"), large, span(3, "after")] as never, project: "p" },
      { map: (s) => s as never, projectOf: () => "p", maxSpansPerRequest: 1, maxRequestBytes: Infinity },
    );
    const [before, big, after] = batches.map((b) => b.spans[0]!);
    expect(big!.utf8.buffer).not.toBe(before!.utf8.buffer);
    expect(big!.utf8.buffer).not.toBe(after!.utf8.buffer);
    for (const batch of batches) await sink.write("p", batch.spans, 1_000);
    expect(bodies.map((body) => JSON.parse(Buffer.from(body).toString("utf8")))).toEqual([
      { data: [span(2, "before")] },
      { data: [large] },
      { data: [span(3, "after")] },
    ]);
  });

  it("sends a request as it was laid out without copying it, and any other set of its spans exactly as given", async () => {
    const { sink, bodies } = capturingSink();
    const spans = TEXTS.map((text, i) => span(i + 1, text));
    const { batches } = encodeRequests(
      { spans: spans as never, project: "p" },
      { map: (s) => s as never, projectOf: () => "p", maxSpansPerRequest: 2, maxRequestBytes: Infinity },
    );
    expect(batches.map((b) => b.spans.length)).toEqual([2, 2, 1]);
    const [first, second] = batches;
    await sink.write("p", first!.spans, 1_000);
    // The body is the buffer the spans were written into.
    expect(bodies[0]!.buffer).toBe(first!.spans[0]!.utf8.buffer);
    // Neighbours in the buffer that are not one request, a reordering, one span alone, a span twice.
    const others = [
      [first!.spans[1]!, second!.spans[0]!],
      [first!.spans[1]!, first!.spans[0]!],
      [first!.spans[1]!],
      [second!.spans[0]!, second!.spans[0]!],
    ];
    for (const part of others) await sink.write("p", part, 1_000);
    const sent = bodies.map((body) => (JSON.parse(Buffer.from(body).toString("utf8")) as { data: PhoenixSpan[] }).data.map((s) => s.name));
    expect(sent).toEqual([
      ["span 1", "span 2"],
      ["span 2", "span 3"],
      ["span 2", "span 1"],
      ["span 2"],
      ["span 3", "span 3"],
    ]);
  });
});
