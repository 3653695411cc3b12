import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";

const run = promisify(execFile);
let server: PhoenixTestServer;
afterEach(() => server.close());

it("a script awaiting completeJob stays alive while annotations wait for their span to be stored", async () => {
  // Phoenix makes spans readable 400 ms after its 202: the annotation is retried meanwhile.
  server = await startPhoenixServer({ ingestDelayMillis: 400 });
  const script = new URL("./fixtures/await-annotations.ts", import.meta.url).pathname;
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, server.url], {
    env: { ...process.env, PHOENIX_DISCOVER_CONFIG: "false", PHOENIX_API_KEY: "", PHOENIX_COLLECTOR_ENDPOINT: "" },
  });
  expect(stdout.trim()).toBe("done {\"annotationsStored\":0,\"annotationsFailed\":0}");
  expect(server.store.annotations.map((a) => a.name)).toEqual(["correct"]);
  expect(server.requests.some((r) => r.path === "/v1/span_annotations" && r.status === 404)).toBe(true);
});
