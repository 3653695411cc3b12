import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PhoenixSpanExporter } from "../../../src/index.js";
import { SPANS_LOST_WARNING } from "../../../src/exporter/delivery/loss-warning.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { outage } from "../../servers/faults.js";
import { manySpans } from "./support.js";

let server: PhoenixTestServer;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeEach(async () => {
  server = await startPhoenixServer();
  warnings.length = 0;
  process.on("warning", onWarning);
});
afterEach(async () => {
  process.removeListener("warning", onWarning);
  await server.close();
});

describe("loss is never silent", () => {
  it("with no diag logger set, a drop raises one process warning per reason, with a stable code and what to do", async () => {
    server.faults.push(outage());
    const e = new PhoenixSpanExporter({ endpoint: server.url, maxQueuedSpans: 50, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 4; i++) e.enqueue(manySpans(50));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await e.shutdown({ timeoutMillis: 100 });
    const ours = warnings.filter((w) => (w as Error & { code?: string }).code === SPANS_LOST_WARNING);
    expect(ours.length).toBeGreaterThanOrEqual(1);
    expect(ours[0]!.message).toMatch(/spans lost \(queue-full\): .*spoolDir/);
    // Once per reason: the later queue-full drops are counted, not warned again.
    expect(ours.filter((w) => w.message.includes("(queue-full)"))).toHaveLength(1);
    expect(e.stats().dropped["queue-full"]).toBe(150);
  });
});
