/** The REST request body is assembled from the spans' UTF-8 JSON, held in buffers shared by a hand-over (issues 8, 16). */
import { describe, expect, it } from "vitest";
import { encodeSpan, SHARED_BUFFER_BYTES } from "../../../src/exporter/delivery/encoded-span.js";
import { encodeRequests } from "../../../src/exporter/delivery/request-batches.js";
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

  it("gives a span larger than a shared buffer a buffer of its own, and sends it whole", async () => {
    const { sink, bodies } = capturingSink();
    const large = span(1, "\u2019".repeat(SHARED_BUFFER_BYTES / 2));
    const { batches } = encodeRequests(
      { spans: [span(2, "before"), large, span(3, "after")] as never, project: "p" },
      { map: (s) => s as never, projectOf: () => "p", maxSpansPerRequest: 50, maxRequestBytes: Infinity },
    );
    const [before, big, after] = batches[0]!.spans;
    expect(big!.utf8.buffer).not.toBe(before!.utf8.buffer);
    expect(big!.utf8.buffer).not.toBe(after!.utf8.buffer);
    await sink.write("p", batches[0]!.spans, 1_000);
    expect(JSON.parse(Buffer.from(bodies[0]!).toString("utf8"))).toEqual({ data: [span(2, "before"), large, span(3, "after")] });
  });
});
