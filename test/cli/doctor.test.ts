import { chmodSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
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
        `[FAIL] reachable      no answer from http://127.0.0.1:${port}: ECONNREFUSED: nothing listens on 127.0.0.1:${port} (connection refused) — Start Phoenix (\`phoenix serve\`, or \`docker run -p 6006:6006 arizephoenix/phoenix\`), or point --endpoint / PHOENIX_COLLECTOR_ENDPOINT at it.`,
      );
      expect(lines(unreachable.stdout).slice(2).every((l) => l.startsWith("[skip]"))).toBe(true);
      expect(local.code).toBe(0);
      expect(lines(local.stdout)).toEqual([
        `[ok]   configuration  endpoint file://${join(dir.path, "data")} (--endpoint); API key not set; project "offline"`,
        `[ok]   local store    ${join(dir.path, "data")} can be created and written (checked, then removed again)`,
        '[ok]   project        "offline" does not exist yet; it is created with its first span',
      ]);
      // The probe left nothing behind.
      expect(readdirSync(dir.path)).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it("fails the configuration check on a set variable it cannot use, saying what to do, and checks nothing on the default instead", async () => {
    const [notAUrl, ftp, project] = await Promise.all([
      runCli(["doctor"], { PHOENIX_COLLECTOR_ENDPOINT: "notaurl" }),
      runCli(["doctor"], { PHOENIX_COLLECTOR_ENDPOINT: "ftp://x" }),
      runCli(["doctor", "--endpoint", "file:///nonexistent-doctor-dir"], { PHOENIX_PROJECT: "a/b", PHOENIX_CLIENT_HEADERS: "x-key=secret-1234" }),
    ]);
    expect(notAUrl.code).toBe(1);
    expect(lines(notAUrl.stdout)).toEqual([
      '[FAIL] configuration  endpoint http://localhost:6006 (the default, as PHOENIX_COLLECTOR_ENDPOINT is unusable); API key not set; project "default"',
      '[FAIL]                PHOENIX_COLLECTOR_ENDPOINT "notaurl" is not a URL. Using the default http://localhost:6006 instead. — ' +
        "Set PHOENIX_COLLECTOR_ENDPOINT to Phoenix's base URL (e.g. http://localhost:6006) or to file://DIR, or unset it.",
      "[skip] reachable      not checked: PHOENIX_COLLECTOR_ENDPOINT is unusable",
      "[skip] api key        not checked: PHOENIX_COLLECTOR_ENDPOINT is unusable",
      "[skip] version        not checked: PHOENIX_COLLECTOR_ENDPOINT is unusable",
      "[skip] span route     not checked: PHOENIX_COLLECTOR_ENDPOINT is unusable",
      "[skip] project        not checked: PHOENIX_COLLECTOR_ENDPOINT is unusable",
    ]);
    // Said once, in the report: no process warning on the side.
    expect(notAUrl.stderr).toBe("");
    expect(ftp.code).toBe(1);
    expect(ftp.stdout).toContain("[FAIL]                PHOENIX_COLLECTOR_ENDPOINT must be http://, https:// or file://, not ftp://.");
    expect(project.code).toBe(1);
    expect(lines(project.stdout).slice(0, 3)).toEqual([
      '[FAIL] configuration  endpoint file:///nonexistent-doctor-dir (--endpoint); API key not set; project "default"',
      "[FAIL]                PHOENIX_CLIENT_HEADERS is not a JSON object of string values. Using no extra headers instead. — Set it to e.g. {\"x-team\":\"search\"}, or unset it.",
      `[FAIL]                PHOENIX_PROJECT "a/b" contains '/', '?' or '#', which Phoenix does not allow in project names. Using the project "default" instead. — Set PHOENIX_PROJECT to a name without '/', '?' or '#', or unset it.`,
    ]);
    expect(project.stderr).toBe("");
    // A value nothing can be done with: the check fails with the reason, and no other check runs.
    const brokenKey = await runCli(["doctor", "--endpoint", "http://127.0.0.1:1"], { PHOENIX_API_KEY: "abc\ndef-secret" });
    expect(brokenKey.code).toBe(1);
    expect(brokenKey.stdout).toBe(
      '[FAIL] configuration  Header "authorization" in the PHOENIX_CLIENT_HEADERS (or the API key) contains a line break or NUL; remove it.\n',
    );
    expect(brokenKey.stdout + brokenKey.stderr).not.toContain("def-secret");
    expect(project.stdout).not.toContain("secret-1234");
  });

  it("says an https:// endpoint meets a plain-HTTP server, and a server that accepts connections but does not answer", async () => {
    const plain = await server();
    const hanging = await server();
    hanging.faults.push(() => ({ kind: "stall" }));
    const [https, stalled] = await Promise.all([
      runCli(["doctor", "--endpoint", `https://127.0.0.1:${plain.port}`]),
      runCli(["doctor", "--endpoint", hanging.url, "--timeout", "0.2"]),
    ]);
    expect(https.code).toBe(1);
    expect(lines(https.stdout)[1]).toBe(
      `[FAIL] reachable      no answer from https://127.0.0.1:${plain.port}: ERR_SSL_WRONG_VERSION_NUMBER: the server at 127.0.0.1:${plain.port} speaks plain HTTP, not HTTPS — ` +
        `Use http:// instead of https:// in the endpoint (http://127.0.0.1:${plain.port}), or enable TLS on the server.`,
    );
    expect(stalled.code).toBe(1);
    expect(lines(stalled.stdout)[1]).toBe(
      `[FAIL] reachable      no answer from ${hanging.url}: timed out after 200 ms: the server at 127.0.0.1:${hanging.port} accepts connections but does not answer within 200 ms — ` +
        "Phoenix is overloaded or stuck, or something else listens on that port: check the server, or raise the timeout.",
    );
    expect(stalled.stdout).not.toMatch(/UND_ERR/);
  });

  it("fails a file:// store that cannot be created or written", async () => {
    const dir = temporaryDirectory("phoenix-doctor-");
    try {
      const file = join(dir.path, "a-file");
      writeFileSync(file, "x");
      const readOnly = join(dir.path, "read-only");
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o500);
      const [ontoFile, underFile, underEtc, noWrite] = await Promise.all([
        runCli(["doctor", "--endpoint", `file://${file}`]),
        runCli(["doctor", "--endpoint", `file://${join(file, "sub")}`]),
        runCli(["doctor", "--endpoint", "file:///etc/passwd/sub"]),
        runCli(["doctor", "--endpoint", `file://${join(readOnly, "store")}`]),
      ]);
      const fix = " — Choose a directory you can write to: --endpoint file://DIR (or PHOENIX_COLLECTOR_ENDPOINT=file://DIR).";
      expect(lines(ontoFile.stdout).slice(1)).toEqual([`[FAIL] local store    ${file} is a file, not a directory${fix}`, "[skip] project        not checked: the local store cannot be written"]);
      expect(lines(underFile.stdout)[1]).toBe(`[FAIL] local store    ${join(file, "sub")} cannot be created: ${file} is a file, not a directory${fix}`);
      expect(lines(underEtc.stdout)[1]).toBe(`[FAIL] local store    /etc/passwd/sub cannot be created: /etc/passwd is a file, not a directory${fix}`);
      for (const run of [ontoFile, underFile, underEtc]) expect(run.code).toBe(1);
      // root may write anywhere: the permission case only means something for another user.
      if (process.getuid?.() !== 0) {
        expect(noWrite.code).toBe(1);
        expect(lines(noWrite.stdout)[1]).toBe(`[FAIL] local store    ${join(readOnly, "store")} cannot be created (EACCES: permission denied)${fix}`);
      }
      chmodSync(readOnly, 0o700);
      expect(readdirSync(dir.path).sort()).toEqual(["a-file", "read-only"]);
      expect(readdirSync(readOnly)).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
