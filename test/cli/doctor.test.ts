import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { temporaryDirectory } from "../connector/support.js";
import { runCli } from "./run-cli.js";

const servers: PhoenixTestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    await server.close();
    expect(server.violations).toEqual([]);
  }
});
async function server(options: Parameters<typeof startPhoenixServer>[0] = {}): Promise<PhoenixTestServer> {
  const started = await startPhoenixServer(options);
  servers.push(started);
  return started;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const lines = (text: string) => text.trim().split("\n");

describe("phoenix-connector doctor", () => {
  it("passes every check against a healthy Phoenix, creating nothing", async () => {
    const healthy = await server({ apiKey: "doctor-key-1234" });
    healthy.store.createProject("my-app");
    const run = await runCli(["doctor", "--project", "my-app"], { PHOENIX_COLLECTOR_ENDPOINT: healthy.url, PHOENIX_API_KEY: "doctor-key-1234" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      `[ok]   configuration  endpoint ${healthy.url} (PHOENIX_COLLECTOR_ENDPOINT); API key set; project "my-app"`,
      expect.stringMatching(new RegExp(`^\\[ok\\]   reachable      ${healthy.url} answered in \\d+ ms$`)),
      "[ok]   api key        accepted",
      "[ok]   version        Phoenix 20.3.0",
      "[ok]   span route     POST /v1/projects/{project}/spans answered 202: spans go over REST",
      '[ok]   project        "my-app" exists',
    ]);
    expect(run.stdout).not.toContain("doctor-key-1234");
    // The empty probe stored nothing and created no project.
    expect(healthy.spans()).toHaveLength(0);
    expect(healthy.store.projects.map((p) => p.name).sort()).toEqual(["default", "my-app"]);
  });

  it("fails on a refused key, saying what to do, and never prints the key", async () => {
    const locked = await server({ apiKey: "the-right-key-5678" });
    const [wrong, none] = await Promise.all([
      runCli(["doctor", "--endpoint", locked.url, "--api-key", "wrong-key-9999"]),
      runCli(["doctor", "--endpoint", locked.url]),
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(
      "[FAIL] api key        refused (401): the key is wrong or revoked — Set PHOENIX_API_KEY (or --api-key) to a key created in Phoenix under Settings > API Keys.",
    );
    expect(wrong.stdout).toContain("[skip] span route     not checked: the API key was refused");
    expect(wrong.stdout + wrong.stderr).not.toContain("wrong-key-9999");
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("[FAIL] api key        Phoenix requires an API key (401) and none is set");
  });

  it("warns, without failing, that a Phoenix without the span route gets spans over OTLP", async () => {
    const old = await server({ spanRoute: false, version: "9.4.1" });
    const run = await runCli(["doctor", "--endpoint", old.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("[warn] version        Phoenix 9.4.1, older than 10.12 — Spans will go over OTLP; upgrade Phoenix for the REST span route.");
    expect(run.stdout).toContain(
      "[warn] span route     no REST span route (POST /v1/projects/default/spans answered 404): the exporter falls back to OTLP/HTTP (POST /v1/traces), which answered 200",
    );
  });

  it("fails at once on an unreachable port, and checks a local store", async () => {
    const port = await closedPort();
    const dir = temporaryDirectory("phoenix-doctor-");
    try {
      const [unreachable, local] = await Promise.all([
        runCli(["doctor", "--endpoint", `http://127.0.0.1:${port}`]),
        runCli(["doctor", "--endpoint", `file://${join(dir.path, "data")}`, "--project", "offline"]),
      ]);
      expect(unreachable.code).toBe(1);
      expect(lines(unreachable.stdout)[1]).toBe(
        `[FAIL] reachable      no answer from http://127.0.0.1:${port}: ECONNREFUSED (nothing listens there) — Start Phoenix (\`phoenix serve\`, or \`docker run -p 6006:6006 arizephoenix/phoenix\`), or point --endpoint / PHOENIX_COLLECTOR_ENDPOINT at it.`,
      );
      expect(lines(unreachable.stdout).slice(2).every((l) => l.startsWith("[skip]"))).toBe(true);
      expect(local.code).toBe(0);
      expect(lines(local.stdout)).toEqual([
        `[ok]   configuration  endpoint file://${join(dir.path, "data")} (--endpoint); API key not set; project "offline"`,
        `[ok]   local store    ${join(dir.path, "data")} will be created (in writable ${dir.path})`,
        '[ok]   project        "offline" does not exist yet; it is created with its first span',
      ]);
    } finally {
      dir.remove();
    }
  });
});
