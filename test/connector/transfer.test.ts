import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  PhoenixConnector,
  PhoenixInputError,
  PhoenixTraceFileError,
  PhoenixTraceNotFoundError,
  openBackend,
  readAllPages,
  type PhoenixSpan,
} from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { ABSENT_TRACE, SPAN_IDS, TRACE_A, TRACE_B, TRACE_C, seedThreeTraces } from "../cli/fixtures/three-traces.js";
import { HEX16, HEX32, fakeClock, isolatePhoenixEnvironment, temporaryDirectory } from "./support.js";

let source: PhoenixTestServer;
let target: PhoenixTestServer;
let dir: { path: string; remove: () => void };
const open: PhoenixConnector[] = [];

beforeEach(async () => {
  isolatePhoenixEnvironment();
  [source, target] = await Promise.all([startPhoenixServer(), startPhoenixServer()]);
  dir = temporaryDirectory("phoenix-transfer-");
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await Promise.all([source.close(), target.close()]);
  dir.remove();
  vi.unstubAllEnvs();
  expect(source.violations).toEqual([]);
  expect(target.violations).toEqual([]);
});

async function connect(endpoint: string, projectId: string): Promise<PhoenixConnector> {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  open.push(connector);
  await connector.connect({ endpoint, projectId });
  return connector;
}

/** A project's spans, annotations and trace annotations, read back the way a user would, in a stable order. */
async function stored(endpoint: string, project: string) {
  const backend = openBackend({ endpoint });
  try {
    const spans = (await readAllPages((cursor) => backend.readSpans(project, { limit: 1000, ...(cursor ? { cursor } : {}) }))).sort((a, b) =>
      a.context.span_id < b.context.span_id ? -1 : 1,
    );
    const spanAnnotations = await backend.readAnnotations("span", project, { ids: spans.map((s) => s.context.span_id) });
    const traceAnnotations = await backend.readAnnotations("trace", project, { ids: [...new Set(spans.map((s) => s.context.trace_id))] });
    // Phoenix reads back a part never given as null; the local store leaves it out: the same annotation.
    const essence = (a: { name: string; annotator_kind: string; result: { label?: string | null; score?: number | null; explanation?: string | null } | null }) => ({
      name: a.name,
      annotator_kind: a.annotator_kind,
      result: { label: a.result?.label ?? null, score: a.result?.score ?? null, explanation: a.result?.explanation ?? null },
    });
    return {
      spans,
      spanAnnotations: spanAnnotations.map((a) => ({ span_id: a.span_id, ...essence(a) })).sort(byJson),
      traceAnnotations: traceAnnotations.map((a) => ({ trace_id: a.trace_id, ...essence(a), identifier: a.identifier })).sort(byJson),
    };
  } finally {
    await backend.close();
  }
}
const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("export → import", () => {
  const places = [
    ["Phoenix", "Phoenix"],
    ["the local store", "the local store"],
    ["Phoenix", "the local store"],
  ] as const;
  for (const [from, to] of places) {
    it(`copies traces from ${from} to ${to} with identical spans and annotations`, async () => {
      const fromEndpoint = from === "Phoenix" ? source.url : `file://${join(dir.path, "from")}`;
      const toEndpoint = to === "Phoenix" ? target.url : `file://${join(dir.path, "to")}`;
      await seedThreeTraces(fromEndpoint, "runs");
      const file = join(dir.path, "runs.jsonl");

      const exporter = await connect(fromEndpoint, "runs");
      const exported = await exporter.exportTrace([TRACE_A, TRACE_B, TRACE_C], file);
      expect(exported).toEqual({ file, spans: 13, spanAnnotations: 2, traceAnnotations: 8, traces: 3, missing: [] });
      const records = lines(file);
      expect(records[0]).toMatchObject({ type: "header", format: "phoenix-connector.traces", version: 1, source: { project: "runs" }, selection: { trace_ids: [TRACE_A, TRACE_B, TRACE_C] } });
      expect(records.at(-1)).toEqual({ type: "end", spans: 13, span_annotations: 2, trace_annotations: 8 });
      expect(records.filter((r) => r.type === "span")).toHaveLength(13);

      const importer = await connect(toEndpoint, "copy");
      const summary = await importer.importTraces(file, { projectId: "copy" });
      expect(summary).toMatchObject({ sent: 13, duplicates: 0, failed: 0, annotationsStored: 10, annotationsFailed: 0, complete: true, newIdsSeed: null });
      expect(existsSync(`${file}.import-progress.json`)).toBe(false);

      const original = await stored(fromEndpoint, "runs");
      const copy = await stored(toEndpoint, "copy");
      expect(copy.spans).toEqual(original.spans);
      expect(copy.spanAnnotations).toEqual(original.spanAnnotations);
      // Annotations without an identifier get one, so a second import updates instead of copying.
      expect(copy.traceAnnotations.map(({ identifier: _, ...rest }) => rest)).toEqual(original.traceAnnotations.map(({ identifier: _, ...rest }) => rest));
      expect(copy.traceAnnotations.filter((a) => a.name === "loss").map((a) => a.identifier).sort()).toEqual(["step-0", "step-0", "step-0", "step-1", "step-1"]);
      expect(copy.traceAnnotations.filter((a) => a.name === "accuracy").every((a) => a.identifier.startsWith("imported-"))).toBe(true);
    });
  }

  it("imports twice, storing every span once and saying why the second time sent nothing", async () => {
    await seedThreeTraces(source.url, "runs");
    const file = join(dir.path, "runs.jsonl");
    await (await connect(source.url, "runs")).exportTrace([TRACE_A, TRACE_B, TRACE_C], file);
    const importer = await connect(target.url, "copy");
    await importer.importTraces(file, { projectId: "copy" });
    const annotationsAfterFirst = target.store.annotations.length;
    const second = await importer.importTraces(file, { projectId: "copy" });
    expect(second).toMatchObject({ sent: 0, duplicates: 13, failed: 0, annotationsFailed: 0 });
    expect(second.notes).toContain(
      "13 span(s) already stored — Phoenix refuses a span id it stores in any project; use --new-ids (newIds: true) to copy.",
    );
    expect(target.spans("copy")).toHaveLength(13);
    expect(target.spans()).toHaveLength(13);
    // The annotations were updated in place, not added again.
    expect(target.store.annotations).toHaveLength(annotationsAfterFirst);
  });

  it("copies into another project of the same server only with new ids, remapping parents and annotation targets", async () => {
    await seedThreeTraces(source.url, "runs");
    const file = join(dir.path, "runs.jsonl");
    const connector = await connect(source.url, "runs");
    await connector.exportTrace([TRACE_A, TRACE_B, TRACE_C], file);

    const same = await connector.importTraces(file, { projectId: "copy" });
    expect(same).toMatchObject({ sent: 0, duplicates: 13 });
    expect(source.spans("copy")).toHaveLength(0);

    const copied = await connector.importTraces(file, { projectId: "copy", newIds: true });
    expect(copied).toMatchObject({ sent: 13, duplicates: 0, failed: 0, annotationsStored: 10, annotationsFailed: 0 });
    expect(copied.newIdsSeed).toMatch(/^[0-9a-f]{32}$/);
    const original = await stored(source.url, "runs");
    const copy = await stored(source.url, "copy");
    const ids = new Set(copy.spans.map((s) => s.context.span_id));
    for (const span of copy.spans) {
      expect(span.context.span_id).toMatch(HEX16);
      expect(span.context.trace_id).toMatch(HEX32);
      expect(original.spans.some((o) => o.context.span_id === span.context.span_id || o.context.trace_id === span.context.trace_id)).toBe(false);
      if (span.parent_id !== null) expect(ids.has(span.parent_id)).toBe(true);
    }
    // Identical but for the ids: the same tree, names, times and attributes.
    const shape = (spans: PhoenixSpan[]) => spans.map((s) => ({ ...s, context: undefined, parent_id: s.parent_id === null })).sort(byJson);
    expect(shape(copy.spans)).toEqual(shape(original.spans));
    expect(copy.spanAnnotations.map((a) => ids.has(a.span_id))).toEqual([true, true]);
    expect(copy.traceAnnotations).toHaveLength(8);

    // The copy compares like the original.
    const copiedRoots = copy.spans.filter((s) => s.parent_id === null).sort((a, b) => (a.name === b.name ? 0 : a.name < b.name ? -1 : 1));
    const comparison = await connector.compareTraces(copiedRoots.map((s) => s.context.trace_id), { projectId: "copy" });
    expect(comparison.summary.find((m) => m.metric === "tokens.total")!.values.sort()).toEqual([110, 120, 200]);

    // A seed of one's own makes the same copy: run again, it is all there already.
    const seeded = await connector.importTraces(file, { projectId: "seeded", newIds: { seed: "s-1" } });
    const again = await connector.importTraces(file, { projectId: "seeded", newIds: { seed: "s-1" } });
    expect([seeded.sent, again.sent, again.duplicates]).toEqual([13, 0, 13]);
  });

  it("exports a window of a project as whole traces", async () => {
    await seedThreeTraces(source.url, "runs");
    const connector = await connect(source.url, "runs");
    const file = join(dir.path, "window.jsonl");
    // Only B's llm span starts in [150 ms, 250 ms): trace B is exported, with its root (0 ms) and tool (700 ms).
    const summary = await connector.exportTrace({ projectId: "runs", start: "2026-01-01T12:00:00.150Z", end: "2026-01-01T12:00:00.250Z" }, file);
    expect(summary).toMatchObject({ spans: 4, traces: 1, traceAnnotations: 3, spanAnnotations: 1 });
    const spans = lines(file).filter((r) => r.type === "span").map((r) => (r.data as PhoenixSpan).context.span_id);
    expect(spans.sort()).toEqual(Object.values(SPAN_IDS.B).sort());
    expect(lines(file)[0]).toMatchObject({ selection: { start: "2026-01-01T12:00:00.150Z", end: "2026-01-01T12:00:00.250Z" } });
    await expect(connector.exportTrace({ start: "yesterday" }, file)).rejects.toBeInstanceOf(PhoenixInputError);
  });

  it("reports trace ids it did not find, and refuses to write a file when it found none", async () => {
    await seedThreeTraces(source.url, "runs");
    const connector = await connect(source.url, "runs");
    const file = join(dir.path, "some.jsonl");
    expect((await connector.exportTrace([TRACE_A, ABSENT_TRACE], file)).missing).toEqual([ABSENT_TRACE]);
    const none = join(dir.path, "none.jsonl");
    await expect(connector.exportTrace(ABSENT_TRACE, none)).rejects.toBeInstanceOf(PhoenixTraceNotFoundError);
    expect(existsSync(none)).toBe(false);
  });
});

describe("resumable import", () => {
  it("continues an interrupted import where it stopped, with the same new ids", async () => {
    await seedThreeTraces(source.url, "runs");
    const file = join(dir.path, "runs.jsonl");
    const connector = await connect(source.url, "runs");
    await connector.exportTrace([TRACE_A, TRACE_B, TRACE_C], file);

    // The process "dies" after its first chunk of 5 spans is settled (a kill looks the same on disk).
    let chunks = 0;
    const interrupted = await connector
      .importTraces(file, {
        projectId: "copy",
        newIds: true,
        spansPerChunk: 5,
        onProgress: () => {
          if (++chunks === 1) throw new Error("killed");
        },
      })
      .catch((e: unknown) => e);
    expect((interrupted as Error).message).toBe("killed");
    expect(source.spans("copy")).toHaveLength(5);
    const progress = JSON.parse(readFileSync(`${file}.import-progress.json`, "utf8")) as { line: number; seed: string; counts: { sent: number } };
    expect(progress.counts.sent).toBe(5);

    const refused = await connector.importTraces(file, { projectId: "copy", newIds: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PhoenixInputError);
    expect((refused as Error).message).toMatch(new RegExp(`stopped after line ${progress.line} \\(5 span\\(s\\) sent\\).*--resume.*--restart`));

    const resumed = await connector.importTraces(file, { projectId: "copy", resume: true });
    expect(resumed).toMatchObject({ sent: 13, duplicates: 0, failed: 0, annotationsFailed: 0, newIdsSeed: progress.seed, resumedAfterLine: progress.line });
    expect(source.spans("copy")).toHaveLength(13);
    const ids = new Set(source.spans("copy").map((s) => s.context.span_id));
    for (const span of source.spans("copy")) if (span.parent_id !== null) expect(ids.has(span.parent_id)).toBe(true);
    expect(existsSync(`${file}.import-progress.json`)).toBe(false);
  });
});

describe("bad input", () => {
  it("refuses a file that is not a trace export before sending anything", async () => {
    const connector = await connect(target.url, "copy");
    const file = join(dir.path, "not-an-export.jsonl");
    writeFileSync(file, `${JSON.stringify({ name: "a span?" })}\n`);
    const error = await connector.importTraces(file, { projectId: "copy" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoenixTraceFileError);
    expect((error as Error).message).toMatch(/is not a trace export: its first line is a record without a "type", not a "phoenix-connector.traces" header.*phoenix-connector export/);
    writeFileSync(file, `${JSON.stringify({ type: "header", format: "phoenix-connector.traces", version: 2 })}\n`);
    await expect(connector.importTraces(file, { projectId: "copy" })).rejects.toThrow(/version 2 .* reads version 1/);
    await expect(connector.importTraces(join(dir.path, "missing.jsonl"), { projectId: "copy" })).rejects.toThrow(/cannot be read \(ENOENT\)/);
    expect(target.spanRequests()).toHaveLength(0);
  });

  it("counts an unreadable line and a cut-off file, and imports everything else", async () => {
    await seedThreeTraces(source.url, "runs");
    const file = join(dir.path, "runs.jsonl");
    await (await connect(source.url, "runs")).exportTrace([TRACE_A, TRACE_B, TRACE_C], file);
    const text = readFileSync(file, "utf8").trim().split("\n");
    // Line 3 damaged, the end line lost (as when an export is killed), plus a record type from a later version.
    text[2] = text[2]!.slice(0, 20);
    text.pop();
    text.push(JSON.stringify({ type: "session_annotation", data: {} }));
    writeFileSync(file, `${text.join("\n")}\n`);
    // The lost span's annotation waits out its bounded time (60 s) for the span: on a fake clock, at once.
    const clock = fakeClock();
    const importer = new PhoenixConnector({ annotationDelayMillis: 0, clock });
    open.push(importer);
    await importer.connect({ endpoint: target.url, projectId: "copy" });
    const summary = await importer.importTraces(file, { projectId: "copy" });
    expect(summary).toMatchObject({ sent: 12, failed: 1, complete: false });
    expect(summary.failures[0]).toEqual({ line: 3, reason: "line 3 is not JSON (a line cut short?)" });
    expect(summary.notes.join("\n")).toMatch(/has no end line: the export that wrote it was cut short/);
    expect(summary.notes.join("\n")).toMatch(/Skipped records of a type this version does not know: session_annotation/);
  });
});
