import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openBackend, readAllPages, type PhoenixBackend, type PhoenixSpan } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { globalId } from "../servers/phoenix-store.js";

let server: PhoenixTestServer;
let backend: PhoenixBackend;
beforeEach(async () => {
  server = await startPhoenixServer();
  backend = openBackend({ endpoint: server.url });
});
afterEach(async () => {
  await backend.close();
  await server.close();
  expect(server.violations).toEqual([]);
});

function span(n: number, traceId: string, start: string): PhoenixSpan {
  return {
    name: `s${n}`,
    context: { trace_id: traceId, span_id: n.toString(16).padStart(16, "0") },
    span_kind: "CHAIN",
    parent_id: null,
    start_time: start,
    end_time: start,
    status_code: "OK",
    status_message: "",
    attributes: { n },
    events: [],
  };
}

async function store(project: string, spans: PhoenixSpan[]): Promise<void> {
  const before = server.store.spans.length;
  const response = await fetch(`${server.url}/v1/projects/${project}/spans`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: spans }),
  });
  expect(response.status).toBe(202);
  await server.waitForSpans(before + spans.length);
}

describe("PhoenixRestClient", () => {
  it("follows next_cursor through every page of projects, newest first", async () => {
    for (let i = 0; i < 120; i++) server.store.createProject(`p${i}`);
    const projects = await readAllPages((cursor) => backend.listProjects(cursor));
    expect(projects).toHaveLength(121);
    expect(projects[0]).toEqual({ name: "p119", id: globalId("Project", 121) });
    expect(projects.at(-1)!.name).toBe("default");
  });

  it("reads spans by trace id in cursor pages and by start time; an unknown project has none", async () => {
    const t1 = "1".repeat(32);
    const t2 = "2".repeat(32);
    await store("read", [1, 2, 3, 4, 5].map((n) => span(n, t1, `2026-01-01T00:00:0${n}.000001Z`)));
    await store("read", [span(6, t2, "2026-01-02T00:00:00Z")]);
    const pages: number[] = [];
    const all = await readAllPages(async (cursor) => {
      const page = await backend.readSpans("read", { traceIds: [t1], limit: 2, ...(cursor ? { cursor } : {}) });
      pages.push(page.data.length);
      return page;
    });
    expect(pages).toEqual([2, 2, 1]);
    expect(all.map((s) => s.name)).toEqual(["s5", "s4", "s3", "s2", "s1"]);
    expect(all[0]!.attributes).toEqual({ n: 5 });
    const windowed = await backend.readSpans("read", { start: new Date("2026-01-01T00:00:03Z"), end: new Date("2026-01-01T00:00:05Z") });
    expect(windowed.data.map((s) => s.name)).toEqual(["s4", "s3"]);
    expect(await backend.readSpans("nothing-here")).toEqual({ data: [], nextCursor: null });
  });

  it("writes annotations with sync=true, says which targets are missing, and reads them back in chunks of ids", async () => {
    const traceId = "3".repeat(32);
    const spans = Array.from({ length: 60 }, (_, i) => span(i + 100, traceId, "2026-01-01T00:00:00Z"));
    const missing = await backend.writeAnnotations("span", [{ span_id: spans[0]!.context.span_id, name: "x", annotator_kind: "CODE", result: { score: 1 } }]);
    expect(missing).toEqual({ status: "missing", missingIds: [spans[0]!.context.span_id] });
    await store("ann", spans);
    const written = await backend.writeAnnotations(
      "span",
      spans.map((s) => ({ span_id: s.context.span_id, name: "x", annotator_kind: "CODE" as const, result: { score: 1 } })),
    );
    expect(written.status === "stored" && written.ids.length).toBe(60);
    const read = await backend.readAnnotations("span", "ann", { ids: spans.map((s) => s.context.span_id), names: ["x"] });
    expect(read).toHaveLength(60);
    expect(read[0]).toMatchObject({ name: "x", annotator_kind: "CODE", source: "API", result: { score: 1 } });
    const gets = server.requests.filter((r) => r.method === "GET" && r.path === "/v1/projects/ann/span_annotations");
    expect(gets).toHaveLength(2); // 50 ids, then 10
  });

  it("ensureProject finds, creates, and survives a race with another creator (409)", async () => {
    expect((await backend.ensureProject("default")).id).toBe(globalId("Project", 1));
    const created = await backend.ensureProject("fresh");
    expect(created).toEqual({ name: "fresh", id: globalId("Project", server.store.findProject("fresh")!.rowId) });
    let raced = false;
    server.faults.push((r) => {
      if (r.method === "POST" && r.path === "/v1/projects" && !raced) {
        raced = true;
        server.store.createProject("contested");
        return { kind: "respond", status: 409, body: "Project with name contested already exists" };
      }
      return undefined;
    });
    expect((await backend.ensureProject("contested")).name).toBe("contested");
  });
});
