import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PhoenixConnector } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { temporaryDirectory } from "../connector/support.js";
import { TRACE_A, TRACE_B, TRACE_C, seedThreeTraces } from "./fixtures/three-traces.js";
import { runCli } from "./run-cli.js";

let server: PhoenixTestServer;
let dir: { path: string; remove: () => void };

beforeEach(async () => {
  server = await startPhoenixServer();
  dir = temporaryDirectory("phoenix-cli-transfer-");
  await seedThreeTraces(server.url, "runs");
});
afterEach(async () => {
  await server.close();
  dir.remove();
  expect(server.violations).toEqual([]);
});

const sortedSpans = (project: string) =>
  server
    .spans(project)
    .map(({ rowId: _r, projectRowId: _p, context: _c, parent_id, ...rest }) => ({ ...rest, root: parent_id === null }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe("phoenix-connector export and import", () => {
  it("round-trips traces into another project of the same server with --new-ids, and says why a plain re-import sends nothing", async () => {
    const file = join(dir.path, "runs.jsonl");
    const exported = await runCli(["export", "--trace", TRACE_A, TRACE_B, TRACE_C, "-o", file, "--endpoint", server.url, "--project", "runs"]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(
      `Exported 13 spans of 3 trace(s), 2 span annotation(s) and 8 trace annotation(s) from project "runs" at ${server.url} to ${file}.\n`,
    );
    // Not a terminal: plain progress lines on stderr.
    expect(exported.stderr).toMatch(/^export: \d+% \d+ span\(s\) of \d+ trace\(s\)$/m);

    const env = { PHOENIX_COLLECTOR_ENDPOINT: server.url };
    const copied = await runCli(["import", file, "--project", "copy", "--new-ids"], env);
    expect(copied.stderr).toMatch(/^import: 100% 13 sent, 0 duplicate, 0 failed$/m);
    expect(copied.stdout).toMatch(
      new RegExp(`^Imported ${file} into project "copy" at ${server.url}: 13 sent, 0 duplicate, 0 failed; annotations: 10 stored, 0 failed\\.$`, "m"),
    );
    expect(copied.stdout).toMatch(/^New ids derived with seed [0-9a-f]{32} \(--id-seed [0-9a-f]{32} makes the same copy again\)\.$/m);
    expect(copied.code).toBe(0);
    // Identical spans but for their ids.
    expect(sortedSpans("copy")).toEqual(sortedSpans("runs"));

    const same = await runCli(["import", file, "--project", "copy"], env);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("0 sent, 13 duplicate, 0 failed");
    expect(same.stdout).toContain("13 span(s) already stored — Phoenix refuses a span id it stores in any project; use --new-ids");
    expect(server.spans()).toHaveLength(26);
  });

  it("exports a window of a project to stdout; refuses to guess what to export", async () => {
    const [window, vague, mixed] = await Promise.all([
      runCli(["export", "--project", "runs", "--since", "2026-01-01T12:00:00.150Z", "--until", "2026-01-01T12:00:00.250Z", "-o", "-", "--endpoint", server.url]),
      runCli(["export", "-o", join(dir.path, "x.jsonl"), "--endpoint", server.url]),
      runCli(["export", "--trace", TRACE_A, "--since", "1h", "-o", join(dir.path, "x.jsonl"), "--endpoint", server.url]),
    ]);
    expect(window.code).toBe(0);
    const records = window.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; data?: { context: { trace_id: string } } });
    expect(records.filter((r) => r.type === "span").map((r) => r.data!.context.trace_id)).toEqual([TRACE_B, TRACE_B, TRACE_B, TRACE_B]);
    expect(window.stderr).toMatch(/Exported 4 spans of 1 trace\(s\).* to stdout\.$/m);
    expect(vague.code).toBe(2);
    expect(vague.stderr).toContain("Say what to export: --trace <id...>, or --project <name> [--since <time>] [--until <time>].");
    expect(mixed.code).toBe(2);
    expect(existsSync(join(dir.path, "x.jsonl"))).toBe(false);
  });

  it("asks for --resume after an interruption, then continues", async () => {
    const file = join(dir.path, "runs.jsonl");
    expect((await runCli(["export", "--trace", TRACE_A, TRACE_B, TRACE_C, "-o", file, "--endpoint", server.url, "--project", "runs"])).code).toBe(0);
    // An import into another server that dies after its first chunk of 5 spans (a kill leaves the same on disk).
    const other = await startPhoenixServer();
    try {
      const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
      await connector.connect({ endpoint: other.url, projectId: "elsewhere" });
      const died = await connector
        .importTraces(file, {
          spansPerChunk: 5,
          onProgress: () => {
            throw new Error("killed");
          },
        })
        .catch((e: unknown) => e);
      await connector.disconnect();
      expect((died as Error).message).toBe("killed");
      const progress = JSON.parse(readFileSync(`${file}.import-progress.json`, "utf8")) as { line: number };
      const env = { PHOENIX_COLLECTOR_ENDPOINT: other.url, PHOENIX_PROJECT: "elsewhere" };
      const [refused, both, noProject] = await Promise.all([
        runCli(["import", file], env),
        runCli(["import", file, "--resume", "--restart"], env),
        runCli(["import", file], { PHOENIX_COLLECTOR_ENDPOINT: other.url }),
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`stopped after line ${progress.line} (5 span(s) sent). Pass resume: true (--resume) to continue it, or restart: true (--restart) to start over.`);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain("Choose one of --resume and --restart.");
      expect(noProject.code).toBe(2);
      expect(noProject.stderr).toContain("Name the project to import into: --project <name> (or PHOENIX_PROJECT).");

      const resumed = await runCli(["import", file, "--resume"], env);
      expect(resumed.stderr).not.toContain("failed:");
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain("13 sent, 0 duplicate, 0 failed; annotations: 10 stored, 0 failed.");
      expect(resumed.stdout).toContain(`Resumed an interrupted import after line ${progress.line}`);
      // Only the rest was sent: every span once.
      expect(other.spans("elsewhere")).toHaveLength(13);
      expect(other.spanRequests().map((r) => (r.json as { data: unknown[] }).data.length)).toEqual([5, 8]);
      expect(existsSync(`${file}.import-progress.json`)).toBe(false);
      expect(other.violations).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("export from a project that does not exist: exit 1 naming the projects there, and no file", async () => {
    const file = join(dir.path, "none.jsonl");
    const dataDir = join(dir.path, "store");
    const [remote, byTrace, local] = await Promise.all([
      runCli(["export", "--project", "nosuchproj", "-o", file, "--endpoint", server.url]),
      runCli(["export", "--trace", TRACE_A, "--project", "nosuchproj", "-o", file, "--endpoint", server.url]),
      runCli(["export", "--project", "nosuchproj", "-o", "-", "--endpoint", `file://${dataDir}`]),
    ]);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toBe(
      `phoenix-connector: There is no project "nosuchproj" at ${server.url}; its projects are "runs", "default". Nothing was written. Name one with --project (or PHOENIX_PROJECT).\n`,
    );
    expect(byTrace.code).toBe(1);
    expect(byTrace.stderr).toContain('There is no project "nosuchproj"');
    expect(existsSync(file)).toBe(false);
    expect(local.code).toBe(1);
    expect(local.stdout).toBe("");
    expect(local.stderr).toContain(`There is no project "nosuchproj" at file://${dataDir}; its projects are "default".`);
  });

  it("refuses a PHOENIX_COLLECTOR_ENDPOINT or PHOENIX_PROJECT it cannot use instead of going to the default", async () => {
    const file = join(dir.path, "x.jsonl");
    const [endpoint, project] = await Promise.all([
      runCli(["export", "--project", "runs", "-o", file], { PHOENIX_COLLECTOR_ENDPOINT: "notaurl" }),
      runCli(["export", "-o", file, "--endpoint", server.url], { PHOENIX_PROJECT: "runs/2" }),
    ]);
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toBe(
      `phoenix-connector: PHOENIX_COLLECTOR_ENDPOINT "notaurl" is not a URL. Set PHOENIX_COLLECTOR_ENDPOINT to Phoenix's base URL (e.g. http://localhost:6006) or to file://DIR, or unset it, or pass --endpoint <url>.\n`,
    );
    expect(project.code).toBe(2);
    expect(project.stderr).toMatch(/^phoenix-connector: PHOENIX_PROJECT "runs\/2" contains '\/'.*, or pass --project <name>\.\n$/);
    expect(existsSync(file)).toBe(false);
  });
});
