import { appendFileSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { diag, DiagLogLevel, SpanStatusCode, context, trace, type DiagLogger } from "@opentelemetry/api";
import { LocalStore, localProjectId, mapSpan, readAllPages, type PhoenixSpan } from "../../src/index.js";
import { encodeSpan } from "../../src/exporter/delivery/encoded-span.js";
import { schemaValidator } from "../servers/phoenix-schema.js";
import { recordSpans } from "../helpers/tracing.js";
import { temporaryDirectory } from "../connector/support.js";

let dir: { path: string; remove: () => void };
let store: LocalStore;
beforeEach(() => {
  dir = temporaryDirectory();
  store = new LocalStore(dir.path);
});
afterEach(async () => {
  await store.close();
  vi.useRealTimers();
  diag.disable();
  dir.remove();
});

/** Real SDK spans of one trace, mapped as the exporter maps them. */
function someSpans(count: number): PhoenixSpan[] {
  return recordSpans((provider) => {
    const tracer = provider.getTracer("t");
    const root = tracer.startSpan("root", { attributes: { "openinference.span.kind": "CHAIN", "input.value": "hi" } });
    const ctx = trace.setSpan(context.active(), root);
    for (let i = 1; i < count; i++) {
      const child = tracer.startSpan(`child-${i}`, { attributes: { "llm.token_count.prompt": i, "tag.tags": ["a"] } }, ctx);
      child.addEvent("tick", { n: i });
      child.setStatus({ code: SpanStatusCode.OK });
      child.end();
    }
    root.end();
  }).map((span) => mapSpan(span));
}

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
const spansFile = (project: string) => join(dir.path, "projects", project, "spans.jsonl");

describe("LocalStore spans", () => {
  it("writes each span as one JSON line in exactly the REST body's Span shape", async () => {
    const spans = someSpans(3);
    const result = await store.appendSpans("demo", spans.map(encodeSpan));
    expect(result).toEqual({ stored: 3, duplicates: [] });
    const written = lines(spansFile("demo")).map((l) => JSON.parse(l) as unknown);
    expect(written).toEqual(JSON.parse(JSON.stringify(spans)));
    const validate = schemaValidator("Span");
    for (const span of written) expect(validate(span), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir.path, "projects", "demo", "project.json"), "utf8"))).toMatchObject({ name: "demo" });
  });

  it("stores a span id once in the whole store and reports the duplicates", async () => {
    const spans = someSpans(3);
    await store.appendSpans("p1", spans.slice(0, 2).map(encodeSpan));
    const again = await store.appendSpans("p1", spans.map(encodeSpan));
    expect(again.stored).toBe(1);
    expect(again.duplicates.sort()).toEqual(spans.slice(0, 2).map((s) => s.context.span_id).sort());
    // Phoenix refuses a span id stored in any project; so does the local store.
    const elsewhere = await store.appendSpans("p2", [encodeSpan(spans[0]!)]);
    expect(elsewhere).toEqual({ stored: 0, duplicates: [spans[0]!.context.span_id] });
    // Twice in one batch counts once.
    const fresh = someSpans(1)[0]!;
    expect(await store.appendSpans("p1", [encodeSpan(fresh), encodeSpan(fresh)])).toEqual({ stored: 1, duplicates: [fresh.context.span_id] });
    expect(lines(spansFile("p1"))).toHaveLength(4);
    // Another store object (another process) sees what is stored.
    const other = new LocalStore(dir.path);
    expect((await other.appendSpans("p1", [encodeSpan(fresh)])).duplicates).toEqual([fresh.context.span_id]);
  });

  it("readers skip a torn last line, and the next append starts on a fresh line", async () => {
    const warnings: string[] = [];
    const logger: DiagLogger = { warn: (m) => warnings.push(m), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} };
    diag.setLogger(logger, DiagLogLevel.WARN);
    const [a, b, c] = someSpans(3);
    await store.appendSpans("torn", [encodeSpan(a!), encodeSpan(b!)]);
    appendFileSync(spansFile("torn"), '{"name":"killed mid-wri');
    const reader = new LocalStore(dir.path);
    expect((await reader.readSpans("torn")).data).toHaveLength(2);
    expect(warnings).toEqual([]); // an unfinished line may still be being written
    await store.appendSpans("torn", [encodeSpan(c!)]);
    const page = await reader.readSpans("torn");
    expect(page.data.map((s) => s.context.span_id)).toEqual([c, b, a].map((s) => s!.context.span_id));
    expect(lines(spansFile("torn"))).toHaveLength(4);
    expect(warnings.join("\n")).toMatch(/skipped 1 unreadable line/);
  });

  it("reads spans newest first, filtered by trace, span and start time, in cursor pages", async () => {
    const first = someSpans(5);
    const second = someSpans(3);
    await store.appendSpans("read", first.map(encodeSpan));
    await store.appendSpans("read", second.map(encodeSpan));
    const all = await readAllPages((cursor) => store.readSpans("read", { limit: 3, ...(cursor ? { cursor } : {}) }));
    expect(all.map((s) => s.context.span_id)).toEqual([...first, ...second].reverse().map((s) => s.context.span_id));
    const byTrace = await store.readSpans("read", { traceIds: [second[0]!.context.trace_id] });
    expect(byTrace.data).toHaveLength(3);
    const bySpan = await store.readSpans(localProjectId("read"), { spanIds: [first[1]!.context.span_id] });
    expect(bySpan.data.map((s) => s.name)).toEqual([first[1]!.name]);
    const cut = new Date(Date.parse(second[0]!.start_time));
    const after = await store.readSpans("read", { start: cut });
    expect(after.data.every((s) => Date.parse(s.start_time) >= cut.getTime())).toBe(true);
    expect((await store.readSpans("read", { end: new Date(0) })).data).toEqual([]);
    expect(await store.readSpans("never-made")).toEqual({ data: [], nextCursor: null });
  });
});

describe("LocalStore projects", () => {
  it("lists projects newest first with default last, under global ids derived from their names", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    await store.appendSpans("older", someSpans(1).map(encodeSpan));
    vi.setSystemTime(new Date("2026-01-02T00:00:00Z"));
    await store.ensureProject("newer ü:*");
    await store.appendSpans("default", someSpans(1).map(encodeSpan));
    const page = await store.listProjects();
    expect(page.data.map((p) => p.name)).toEqual(["newer ü:*", "older", "default"]);
    expect(page.data[0]!.id).toBe(Buffer.from("Project:newer ü:*").toString("base64"));
    expect(await store.findProject(page.data[0]!.id)).toEqual(page.data[0]);
    expect(await store.findProject("older")).toEqual({ name: "older", id: localProjectId("older") });
    expect(await store.findProject("missing")).toBeUndefined();
    // A name that is no file name is kept safe on disk, and read back by its real name.
    expect(readdirSync(join(dir.path, "projects")).sort()).toEqual(["default", "newer%20%C3%BC%3A%2A", "older"]);
  });

  it("creates a project by its first span, but never by an unknown global id (Phoenix answers 404)", async () => {
    await expect(store.appendSpans(localProjectId("ghost"), someSpans(1).map(encodeSpan))).rejects.toThrow(/no project with id/);
    await store.ensureProject("real");
    expect((await store.appendSpans(localProjectId("real"), someSpans(1).map(encodeSpan))).stored).toBe(1);
  });

  it("gives a trace URL that is the project's spans file with the trace id", async () => {
    const url = store.traceUrl({ name: "demo", id: localProjectId("demo") }, "0af7651916cd43dd8448eb211c80319c");
    expect(url).toMatch(/^file:\/\/.+\/projects\/demo\/spans\.jsonl#trace_id=0af7651916cd43dd8448eb211c80319c$/);
    expect(fileURLToPath(url.split("#")[0]!)).toBe(spansFile("demo"));
  });
});

describe("LocalStoreSpanSink (the exporter's path into the store)", () => {
  it("counts duplicates as delivered, refuses an unknown project id for good, and fails (retryably) on a file-system error", async () => {
    const sink = store.createSpanSink();
    const spans = someSpans(2).map(encodeSpan);
    expect(await sink.write("sink", spans, 1_000)).toEqual({ delivered: 2, duplicates: 0, rejected: [], failed: [] });
    expect(await sink.write("sink", spans, 1_000)).toEqual({ delivered: 0, duplicates: 2, rejected: [], failed: [] });
    const refused = await sink.write(localProjectId("ghost"), someSpans(1).map(encodeSpan), 1_000);
    expect(refused.rejected).toEqual([expect.objectContaining({ cause: "refused", reason: expect.stringMatching(/no project with id/) })]);
    const blocked = new LocalStore(join(dir.path, "projects", "sink", "spans.jsonl")); // a file, not a directory
    const failed = await blocked.createSpanSink().write("p", spans, 1_000);
    expect(failed).toMatchObject({ delivered: 0, failure: "unavailable", failed: spans });
    await sink.shutdown();
  });
});

describe("LocalStore annotations", () => {
  it("stores annotations only for stored targets, all or nothing, like Phoenix with sync=true", async () => {
    const spans = someSpans(2);
    const stored = spans[0]!.context.span_id;
    const traceId = spans[0]!.context.trace_id;
    const ann = { name: "correctness", annotator_kind: "HUMAN" as const, result: { label: "correct", score: 1 } };
    expect(await store.writeAnnotations("span", [{ ...ann, span_id: stored }])).toEqual({ status: "missing", missingIds: [stored] });
    await store.appendSpans("ann", [encodeSpan(spans[0]!)]);
    const mixed = await store.writeAnnotations("span", [{ ...ann, span_id: stored }, { ...ann, span_id: spans[1]!.context.span_id }]);
    expect(mixed).toEqual({ status: "missing", missingIds: [spans[1]!.context.span_id] });
    expect(await store.readAnnotations("span", "ann", { ids: [stored] })).toEqual([]);

    const ok = await store.writeAnnotations("span", [{ ...ann, span_id: stored, identifier: "run-1" }]);
    expect(ok.status).toBe("stored");
    await store.writeAnnotations("span", [{ ...ann, span_id: stored, identifier: "run-1", result: { label: "wrong", score: 0 } }]);
    await store.writeAnnotations("trace", [{ trace_id: traceId, name: "loss", annotator_kind: "CODE", result: { score: 0.5 } }]);
    const read = await store.readAnnotations("span", localProjectId("ann"), { ids: [stored] });
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ span_id: stored, name: "correctness", result: { label: "wrong", score: 0 }, identifier: "run-1", source: "API", user_id: null });
    expect(read[0]!.id).toBe(ok.status === "stored" ? ok.ids[0] : undefined);
    const traces = await store.readAnnotations("trace", "ann", { ids: [traceId], names: ["loss"] });
    expect(traces.map((a) => [a.trace_id, a.name, a.result?.score])).toEqual([[traceId, "loss", 0.5]]);
  });
});
