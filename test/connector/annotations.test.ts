import { afterEach, describe, expect, it, vi } from "vitest";
import { PhoenixConnector, type PhoenixConnectorOptions } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer, type RecordedRequest } from "../servers/phoenix-server.js";
import { fakeClock, isolatePhoenixEnvironment } from "./support.js";

let server: PhoenixTestServer;
const open: PhoenixConnector[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

async function setUp(serverOptions: Parameters<typeof startPhoenixServer>[0], options: PhoenixConnectorOptions = {}) {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer(serverOptions);
  const c = new PhoenixConnector({ annotationDelayMillis: 0, ...options });
  open.push(c);
  await c.connect({ endpoint: server.url });
  return c;
}

const annotationPosts = () => server.requests.filter((r) => r.method === "POST" && /_annotations$/.test(r.path));
const sentIds = (r: RecordedRequest) => ((r.json as { data: Array<{ span_id?: string; trace_id?: string }> }).data ?? []).map((a) => a.span_id ?? a.trace_id);

describe("annotations follow their spans", () => {
  it("with Phoenix inserting late, annotations are sent after the span was acknowledged, with sync=true, and retried on 404 until stored", async () => {
    // Phoenix answers 202 at once but makes the spans readable 150 ms later.
    const c = await setUp({ ingestDelayMillis: 150 });
    const jobId = await c.submitJob({});
    const spanId = await c.logSpan({ jobId, name: "answer", spanType: "llm" });
    await c.logMetrics({ jobId, metrics: { loss: 0.5, accuracy: 0.75 }, step: 1 });
    await c.logAnnotation({ target: "span", id: spanId, name: "correctness", label: "correct" });
    const report = await c.flush();
    expect(report).toEqual({ annotationsStored: 3, annotationsFailed: 0 });

    const posts = annotationPosts();
    expect(posts.every((r) => r.url.endsWith("?sync=true"))).toBe(true);
    // The first attempts came before insertion and were refused with 404; the later ones stored.
    expect(posts.some((r) => r.status === 404)).toBe(true);
    expect(posts.at(-1)!.status).toBe(200);
    // Every annotation request came after the request carrying its span.
    const spanRequestIndex = server.requests.findIndex((r) => r.method === "POST" && r.path.endsWith("/spans"));
    expect(spanRequestIndex).toBeGreaterThanOrEqual(0);
    for (const post of posts) expect(server.requests.indexOf(post)).toBeGreaterThan(spanRequestIndex);
    // Pending annotations of one kind travel together: the two metrics in one request.
    const traceBatch = posts.find((r) => r.path === "/v1/trace_annotations")!;
    expect(sentIds(traceBatch)).toEqual([jobId, jobId]);
    expect(server.store.annotations.map((a) => a.name).sort()).toEqual(["accuracy", "correctness", "loss"]);
  });

  it("annotations whose targets exist are written at once while the missing one keeps waiting", async () => {
    const clock = fakeClock();
    const c = await setUp({}, { clock, annotationTimeoutMillis: 5_000 });
    const jobId = await c.submitJob({});
    const stored = await c.logSpan({ jobId, name: "stored", spanType: "llm" });
    const ghost = "0123456789abcdef";
    await c.logAnnotation({ target: "span", id: stored, name: "ok", score: 1 });
    await c.logAnnotation({ target: "span", id: ghost, name: "lost", score: 0 });
    const report = await c.flush();
    expect(report).toEqual({ annotationsStored: 1, annotationsFailed: 1 });
    expect(server.store.annotations.map((a) => a.name)).toEqual(["ok"]);
    // Bounded: it gave up once the 5 s budget was spent, after a handful of doubling waits.
    expect(clock.elapsed()).toBeLessThanOrEqual(5_000);
    expect(clock.sleeps.slice(0, 4)).toEqual([100, 200, 400, 800]);
    const ghostPosts = annotationPosts().filter((r) => sentIds(r).includes(ghost));
    expect(ghostPosts.length).toBe(clock.sleeps.length + 1);
    expect(ghostPosts.every((r) => r.status === 404)).toBe(true);
  });

  it("an annotation of a job's trace waits for the job's first span instead of spending its bounded wait", async () => {
    const clock = fakeClock();
    const c = await setUp({}, { clock });
    const jobId = await c.submitJob({});
    await c.logAnnotation({ target: "trace", id: jobId, name: "reviewed", label: "yes" });
    // Nothing of the trace has ended: nothing is sent, nothing is given up.
    expect(await c.flush()).toEqual({ annotationsStored: 0, annotationsFailed: 0 });
    expect(annotationPosts()).toHaveLength(0);
    expect(clock.elapsed()).toBe(0);
    await c.completeJob(jobId);
    expect(server.store.annotations.map((a) => [a.targetId, a.name])).toEqual([[jobId, "reviewed"]]);
  });

  it("are sent on their own shortly after being logged, without a flush", async () => {
    const c = await setUp({}, { annotationDelayMillis: 20 });
    const jobId = await c.submitJob({});
    const stored = new Promise<void>((resolve) =>
      server.events.on("request", (r: RecordedRequest) => {
        if (r.path === "/v1/trace_annotations" && r.status === 200) resolve();
      }),
    );
    await c.logMetrics({ jobId, metrics: { loss: 0.1 } });
    await stored;
    expect(server.store.annotations.map((a) => a.name)).toEqual(["loss"]);
  });

  it("an authentication failure while annotating gives up at once and says so", async () => {
    const c = await setUp({});
    const jobId = await c.submitJob({});
    await c.logMetrics({ jobId, metrics: { loss: 0.1 } });
    server.faults.push((r) => (r.path === "/v1/trace_annotations" ? { kind: "respond", status: 401, body: "Invalid token" } : undefined));
    expect(await c.flush()).toEqual({ annotationsStored: 0, annotationsFailed: 1 });
    expect(annotationPosts()).toHaveLength(1);
  });
});
