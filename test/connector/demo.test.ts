import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startPhoenixServer } from "../servers/phoenix-server.js";
import { globalId } from "../servers/phoenix-store.js";
import { HEX32, temporaryDirectory } from "./support.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const DEMO = join(ROOT, "examples", "demo.ts");
const NO_NETWORK = join(import.meta.dirname, "fixtures", "no-network.cjs");

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = temporaryDirectory("phoenix-demo-");
});
afterEach(() => dir.remove());

/** Runs `npm run demo`'s command in a scratch directory, with no PHOENIX_* variable but the given ones. */
function runDemo(env: Record<string, string>, script = DEMO): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PHOENIX_") && !k.startsWith("OTEL_")));
  return new Promise((done, fail) => {
    const child = spawn(TSX, [script], {
      cwd: dir.path,
      env: { ...clean, PHOENIX_DISCOVER_CONFIG: "false", NODE_OPTIONS: `--require ${NO_NETWORK}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", fail);
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}

it("npm run demo: offline by default, writes ./phoenix-data, opens no socket, exits 0", async () => {
  const { code, stdout, stderr } = await runDemo({ NO_SOCKETS: "1" });
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toMatch(/No PHOENIX_COLLECTOR_ENDPOINT set: writing traces to \.\/phoenix-data/);
  expect(stdout).toMatch(/v1\s+0\.67\s+0\.40/);
  expect(stdout).toMatch(/v2\s+1\.00\s+1\.00/);
  const urls = [...stdout.matchAll(/(file:\/\/\S+)#trace_id=([0-9a-f]+)/g)];
  expect(urls).toHaveLength(2);
  const spansFile = join(dir.path, "phoenix-data", "projects", "rag-agent-demo", "spans.jsonl");
  expect(decodeURIComponent(new URL(urls[0]![1]!).pathname)).toBe(spansFile);
  const spans = readFileSync(spansFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { context: { trace_id: string }; span_kind: string; parent_id: string | null });
  const traces = new Set(spans.map((s) => s.context.trace_id));
  expect(traces).toEqual(new Set(urls.map((u) => u[2]!)));
  for (const id of traces) expect(id).toMatch(HEX32);
  // The agent's GenAI spans were mapped on the way: every kind of the agent is there.
  expect(new Set(spans.map((s) => s.span_kind))).toEqual(new Set(["CHAIN", "AGENT", "RETRIEVER", "LLM", "TOOL", "EVALUATOR"]));
  expect(spans.filter((s) => s.parent_id === null)).toHaveLength(2);
  const annotations = readFileSync(join(dir.path, "phoenix-data", "projects", "rag-agent-demo", "trace_annotations.jsonl"), "utf8").trim().split("\n");
  expect(annotations.length).toBeGreaterThan(0);
  // The two prompt versions are also two experiments on one dataset, compared per question.
  expect(stdout).toMatch(/^Experiments \(2 compared on dataset "rag-agent-demo-questions"; A is the baseline\)$/m);
  expect(stdout).toMatch(/^ {2}accuracy ↑ +0\.6667 +1 \* \(\+0\.3333, \+50%\)$/m);
  expect(stdout).toMatch(/^Improvements \(4: /m);
  const jsonl = (file: string) => readFileSync(join(dir.path, "phoenix-data", file), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(jsonl("datasets/datasets.jsonl")).toHaveLength(1);
  expect(jsonl("datasets/examples.jsonl")).toHaveLength(6);
  expect(jsonl("experiments/experiments.jsonl").map((e) => e.name)).toEqual(["prompt v1", "prompt v2"]);
  expect(new Set(jsonl("experiments/runs.jsonl").map((r) => r.trace_id))).toEqual(traces);
}, 30_000);

it("with PHOENIX_COLLECTOR_ENDPOINT set, the demo sends to that Phoenix and prints its trace URLs", async () => {
  const server = await startPhoenixServer();
  try {
    const { code, stdout, stderr } = await runDemo({ PHOENIX_COLLECTOR_ENDPOINT: server.url });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`Sending traces to ${server.url}`);
    const project = server.store.findProject("rag-agent-demo")!;
    expect(project).toBeDefined();
    const roots = server.spans("rag-agent-demo").filter((s) => s.parent_id === null);
    expect(roots.map((s) => s.name).sort()).toEqual(["rag-agent prompt v1", "rag-agent prompt v2"]);
    for (const root of roots) {
      expect(stdout).toContain(`${server.url}/projects/${globalId("Project", project.rowId)}/traces/${root.context.trace_id}`);
    }
    expect(server.store.annotations.filter((a) => a.name === "routing.f1").map((a) => a.result.score).sort()).toEqual([0.4, 1]);
    expect(server.datasets.datasets.map((d) => d.name)).toEqual(["rag-agent-demo-questions"]);
    expect(server.datasets.experiments.map((e) => e.name)).toEqual(["prompt v1", "prompt v2"]);
    expect(new Set(server.datasets.runs.map((r) => r.trace_id))).toEqual(new Set(roots.map((r) => r.context.trace_id)));
    expect(stdout).toContain(`Compare in Phoenix: ${server.url}/datasets/`);
    expect(server.violations).toEqual([]);
  } finally {
    await server.close();
  }
}, 30_000);

it("the README's connector example runs as written, offline", async () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The connector"));
  const example = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  // .mts: the example uses top-level await, which needs an ES module.
  const script = join(dir.path, "example.mts");
  writeFileSync(script, example.replace(`from "phoenix-connector"`, `from ${JSON.stringify(join(ROOT, "src", "index.ts"))}`));
  const { code, stdout, stderr } = await runDemo({ NO_SOCKETS: "1" }, script);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toMatch(/accuracy: 0\.75/);
  expect(stdout).toMatch(/file:\/\/.*\/phoenix-data\/projects\/fine-tuning\/spans\.jsonl#trace_id=[0-9a-f]{32}/);
  const lines = readFileSync(join(dir.path, "phoenix-data", "projects", "fine-tuning", "spans.jsonl"), "utf8").trim().split("\n");
  expect(lines.map((l) => (JSON.parse(l) as { name: string }).name).sort()).toEqual(["generate", "job", "metrics", "search", "sentiment"]);
}, 30_000);

it("the demo against a Phoenix that is not there exits 1 with one line that says what to check, no stack trace", async () => {
  const server = await startPhoenixServer();
  const url = server.url;
  await server.close(); // a port nothing listens on any more
  const { code, stderr } = await runDemo({ PHOENIX_COLLECTOR_ENDPOINT: url });
  expect(code).toBe(1);
  expect(stderr.trim()).toMatch(new RegExp(`^demo: Could not reach Phoenix at ${url.replace(/[.]/g, "\\.")}: .*PHOENIX_COLLECTOR_ENDPOINT`));
  expect(stderr).not.toMatch(/\n\s+at /);
}, 30_000);
