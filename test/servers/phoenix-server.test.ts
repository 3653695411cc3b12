import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { startPhoenixServer, type PhoenixTestServer } from "./phoenix-server.js";

/**
 * The stand-in must answer as BEHAVIOUR.md measured real Phoenix 20.3
 * answering; these tests pin each point, with the real bodies beside it.
 */
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/phoenix/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;

let server: PhoenixTestServer;
beforeEach(async () => {
  server = await startPhoenixServer({ strict: false });
});
afterEach(() => server.close());

const span = (id: string, extra: Record<string, unknown> = {}) => ({
  name: `span-${id}`,
  context: { trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: id },
  span_kind: "LLM",
  parent_id: null,
  start_time: "2026-01-01T12:00:00Z",
  end_time: "2026-01-01T12:00:01.5Z",
  status_code: "OK",
  status_message: "",
  attributes: {},
  events: [],
  ...extra,
});

async function call(method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await request(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, text, json: json as Record<string, unknown> };
}

describe("Phoenix test server fidelity (BEHAVIOUR.md)", () => {
  it("202 with total_received/total_queued; spans readable after insertion", async () => {
    const res = await call("POST", "/v1/projects/p1/spans", { data: [span("b7ad6b7169203331")] });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ total_received: 1, total_queued: 1 });
    await server.waitForSpans(1);
    const read = await call("GET", "/v1/projects/p1/spans?trace_id=0af7651916cd43dd8448eb211c80319c");
    const real = (fixture("get-spans-200.json").data as Array<Record<string, unknown>>)[2]!;
    const got = (read.json.data as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(got).sort()).toEqual(Object.keys(real).sort());
    expect(got.start_time).toBe("2026-01-01T12:00:00+00:00");
    expect(got.end_time).toBe("2026-01-01T12:00:01.500000+00:00");
    expect(read.json.next_cursor).toBeNull();
  });

  it("a duplicate span id (in any project) refuses the whole request with Phoenix's 400 body", async () => {
    await call("POST", "/v1/projects/p1/spans", { data: [span("1111111111111111", { context: { trace_id: "11111111111111111111111111111111", span_id: "1111111111111111" } })] });
    const res = await call("POST", "/v1/projects/other/spans", {
      data: [span("1111111111111111", { context: { trace_id: "11111111111111111111111111111111", span_id: "1111111111111111" } })],
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(fixture("create-spans-400-duplicates.json"));
  });

  it("a timezone-naive time refuses the whole request with 422 as Phoenix words it", async () => {
    const real = fixture("create-spans-422-naive-time.json") as { detail: Array<Record<string, unknown>> };
    const bad = { name: "x", context: { trace_id: "22222222222222222222222222222222", span_id: "2222222222222299" }, span_kind: "LLM", parent_id: null, start_time: "2026-01-01T12:00:00", end_time: "2026-01-01T12:00:01Z", status_code: "OK" };
    const res = await call("POST", "/v1/projects/p1/spans", { data: [bad] });
    expect(res.status).toBe(422);
    const detail = (res.json as { detail: Array<Record<string, unknown>> }).detail[0]!;
    expect(detail.type).toBe(real.detail[0]!.type);
    expect(detail.loc).toEqual(real.detail[0]!.loc);
    expect(detail.msg).toBe(real.detail[0]!.msg);
  });

  it("stores as sent what Phoenix does not check, drops object values, hides openinference.span.kind", async () => {
    await call("POST", "/v1/projects/p1/spans", {
      data: [
        span("NOT-HEX", {
          span_kind: "WIZARD",
          end_time: "2025-01-01T00:00:00Z",
          attributes: { "openinference.span.kind": "LLM", obj: { a: 1 }, "ai.prompt": "p", "ai.prompt.messages": "[]", list: [1, 2] },
        }),
      ],
    });
    await server.waitForSpans(1);
    const stored = server.spans("p1")[0]!;
    expect(stored.context.span_id).toBe("NOT-HEX");
    expect(stored.span_kind).toBe("UNKNOWN");
    expect(stored.attributes).toEqual({ "ai.prompt": "p", "ai.prompt.messages": "[]", list: [1, 2] });
  });

  it("strict mode refuses and records what real Phoenix would store silently", async () => {
    await server.close();
    server = await startPhoenixServer();
    const res = await call("POST", "/v1/projects/p1/spans", { data: [span("NOT-HEX", { attributes: { obj: { a: 1 } } })] });
    expect(res.status).toBe(422);
    expect(server.violations.join("\n")).toMatch(/span_id "NOT-HEX"[\s\S]*attribute "obj" is a JSON object/);
  });

  it("gzip on the REST span route is a 400", async () => {
    const res = await call("POST", "/v1/projects/p1/spans", gzipSync(JSON.stringify({ data: [span("3333333333333333")] })), { "content-encoding": "gzip" });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/There was an error parsing the body/);
  });

  it("an unknown project name is created on first insert; an unknown global id is a 404", async () => {
    expect((await call("POST", "/v1/projects/brand-new/spans", { data: [span("4444444444444444")] })).status).toBe(202);
    const unknownId = Buffer.from("Project:999").toString("base64");
    expect((await call("POST", `/v1/projects/${encodeURIComponent(unknownId)}/spans`, { data: [span("5555555555555555")] })).status).toBe(404);
    const read = await call("GET", "/v1/projects/never-made/spans");
    expect(read.status).toBe(404);
    expect(read.text).toBe("Project with name never-made not found");
  });

  it("lists projects newest first, default always present, in Phoenix's shape", async () => {
    await call("POST", "/v1/projects/first/spans", { data: [span("6666666666666661")] });
    await call("POST", "/v1/projects/second/spans", { data: [span("6666666666666662")] });
    const res = await call("GET", "/v1/projects");
    const names = (res.json.data as Array<{ name: string }>).map((p) => p.name);
    expect(names).toEqual(["second", "first", "default"]);
    const real = (fixture("get-projects-200.json").data as Array<Record<string, unknown>>).at(-1)!;
    expect((res.json.data as Array<Record<string, unknown>>).at(-1)).toEqual(real);
    const page = await call("GET", "/v1/projects?limit=2");
    expect((page.json.data as unknown[]).length).toBe(2);
    const rest = await call("GET", `/v1/projects?limit=2&cursor=${encodeURIComponent(String(page.json.next_cursor))}`);
    expect((rest.json.data as Array<{ name: string }>).map((p) => p.name)).toEqual(["default"]);
  });

  it("annotations: dropped silently without sync, 404 with sync, stored once the span exists, upserted by identifier", async () => {
    const annotation = { span_id: "b7ad6b7169203331", name: "correctness", annotator_kind: "HUMAN", result: { label: "correct", score: 1, explanation: "looks right" }, metadata: { k: "v" } };
    const early = await call("POST", "/v1/span_annotations", { data: [annotation] });
    expect(early).toMatchObject({ status: 200, json: { data: [] } });
    const earlySync = await call("POST", "/v1/span_annotations?sync=true", { data: [annotation] });
    expect(earlySync.status).toBe(404);
    expect(earlySync.text).toBe("Spans with IDs b7ad6b7169203331 do not exist.");
    await call("POST", "/v1/projects/p1/spans", { data: [span("b7ad6b7169203331")] });
    await server.waitForSpans(1);
    const ok = await call("POST", "/v1/span_annotations?sync=true", { data: [{ ...annotation, identifier: "run-1" }] });
    expect(ok.status).toBe(200);
    expect((ok.json.data as unknown[]).length).toBe(1);
    await call("POST", "/v1/span_annotations?sync=true", { data: [{ ...annotation, identifier: "run-1", result: { label: "wrong", score: 0 } }] });
    const read = await call("GET", "/v1/projects/p1/span_annotations?span_ids=b7ad6b7169203331");
    const got = read.json.data as Array<Record<string, unknown>>;
    expect(got).toHaveLength(1);
    expect(got[0]!.result).toEqual({ label: "wrong", score: 0, explanation: null });
    const real = (fixture("get-span-annotations-200.json").data as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(got[0]!).sort()).toEqual(Object.keys(real).sort());
  });

  it("trace annotations follow the same rules", async () => {
    const ann = { trace_id: "0af7651916cd43dd8448eb211c80319c", name: "accuracy", annotator_kind: "CODE", result: { score: 0.9 } };
    expect((await call("POST", "/v1/trace_annotations?sync=true", { data: [ann] })).status).toBe(404);
    await call("POST", "/v1/projects/p1/spans", { data: [span("7777777777777777")] });
    await server.waitForSpans(1);
    expect((await call("POST", "/v1/trace_annotations?sync=true", { data: [ann] })).status).toBe(200);
    const read = await call("GET", "/v1/projects/p1/trace_annotations?trace_ids=0af7651916cd43dd8448eb211c80319c");
    expect((read.json.data as Array<{ name: string }>).map((a) => a.name)).toEqual(["accuracy"]);
  });

  it("invalid annotation bodies are 422 against the schema", async () => {
    const res = await call("POST", "/v1/span_annotations", { data: [{ span_id: "x", name: "n", annotator_kind: "ROBOT" }] });
    expect(res.status).toBe(422);
  });

  it("with auth on, a missing or wrong key is 401 'Invalid token'; a viewer key may read but not write", async () => {
    await server.close();
    server = await startPhoenixServer({ apiKey: "secret-key", viewerKeys: ["viewer-key"], strict: false });
    expect(await call("GET", "/v1/projects")).toMatchObject({ status: 401, text: "Invalid token" });
    expect((await call("GET", "/v1/projects", undefined, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await call("GET", "/v1/projects", undefined, { api_key: "secret-key" })).status).toBe(401);
    expect((await call("GET", "/v1/projects", undefined, { authorization: "Bearer secret-key" })).status).toBe(200);
    expect((await call("GET", "/v1/projects", undefined, { authorization: "Bearer viewer-key" })).status).toBe(200);
    expect((await call("POST", "/v1/projects/p/spans", { data: [span("8888888888888888")] }, { authorization: "Bearer viewer-key" })).status).toBe(403);
  });

  it("OTLP accepts only protobuf (415 for JSON)", async () => {
    const res = await call("POST", "/v1/traces", { resourceSpans: [] });
    expect(res.status).toBe(415);
  });

  it("GET traces returns token totals and, with include_spans, the spans", async () => {
    await call("POST", "/v1/projects/p1/spans", {
      data: [span("9999999999999991", { attributes: { "llm.token_count.prompt": 100, "llm.token_count.completion": 50, "llm.token_count.total": 150 } })],
    });
    await server.waitForSpans(1);
    const res = await call("GET", "/v1/projects/p1/traces?include_spans=true");
    const real = (fixture("get-traces-200.json").data as Array<Record<string, unknown>>)[1]!;
    const got = (res.json.data as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(got).sort()).toEqual(Object.keys(real).sort());
    expect(got).toMatchObject({ token_count_prompt: 100, token_count_completion: 50, token_count_total: 150 });
  });
});
