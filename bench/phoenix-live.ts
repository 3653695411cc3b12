/**
 * `npm run bench -- --phoenix URL`: the same workload into a real Phoenix,
 * once through this package's REST route and once through OpenTelemetry's
 * OTLP/protobuf exporter (what Phoenix's own Node SDK registers), each into
 * a new project, timing how long until the last span is readable back
 * through `GET /v1/projects/{project}/spans`. Span ids are fresh on every
 * run (Phoenix keeps them), so nothing here is deduplicated away.
 *
 * `PHOENIX_API_KEY`, when set, is sent by both exporters and by the reads.
 */
import { Pool } from "undici";
import { drive } from "./measure/driver.js";
import { otlpSubject } from "./subjects/otlp.js";
import { phoenixSubject } from "./subjects/phoenix.js";
import type { Subject } from "./subjects/subject.js";
import { loadSdk } from "./workload/sdk.js";
import { generateWorkload } from "./workload/workload.js";

export interface LiveOptions {
  seed: number;
  /** Agent runs sent per route (7 spans each). */
  runs: number;
  /** Longest wait for the spans to be readable. Default 10 minutes. */
  readTimeoutMillis?: number;
}

interface LiveRow {
  route: string;
  project: string;
  spans: number;
  sendSeconds: number;
  readableSeconds: number | undefined;
  cpuMicrosPerSpan: number;
}

export async function runPhoenixLive(url: string, options: LiveOptions): Promise<string> {
  const base = url.replace(/\/+$/, "");
  const apiKey = process.env.PHOENIX_API_KEY;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const stamp = `${Date.now().toString(36)}`;
  const rows: LiveRow[] = [];
  for (const route of ["rest", "otlp"] as const) {
    const project = `bench-${route}-${stamp}`;
    const { spans } = await generateWorkload("support-agent", options.runs * 7, options.seed, {
      idSeed: (Date.now() ^ (route === "rest" ? 0x1234 : 0x4321)) >>> 0,
      project,
    });
    const subject: Subject =
      route === "rest" ? phoenixSubject(spans, base, project) : otlpSubject(await loadSdk(), "otlp-proto", spans, base, { ...headers, "x-project-name": project });
    process.stderr.write(`phoenix ${route}: sending ${spans.length} spans to project ${project}\n`);
    const started = performance.now();
    const cpu = process.cpuUsage();
    // Each span once: a repeated span would be a duplicate to Phoenix.
    await drive(subject, 0, spans.length, { chunk: 50, maxOutstanding: 1_500 });
    const used = process.cpuUsage(cpu);
    const sent = performance.now();
    await subject.shutdown();
    const readable = await waitUntilReadable(base, project, spans.length, headers, options.readTimeoutMillis ?? 600_000);
    rows.push({
      route: route === "rest" ? "phoenix-connector, REST `POST /v1/projects/{p}/spans`" : "exporter-trace-otlp-proto, `POST /v1/traces`",
      project,
      spans: spans.length,
      sendSeconds: (sent - started) / 1000,
      readableSeconds: readable === undefined ? undefined : (readable - started) / 1000,
      cpuMicrosPerSpan: (used.user + used.system) / spans.length,
    });
  }
  const lines = [
    `Phoenix at ${base}:`,
    "",
    "| route | project | spans | sent after s | last span readable after s | CPU µs/span |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.route} | ${r.project} | ${r.spans} | ${r.sendSeconds.toFixed(2)} | ${r.readableSeconds === undefined ? "not within the timeout" : r.readableSeconds.toFixed(2)} | ${r.cpuMicrosPerSpan.toFixed(1)} |`,
    ),
  ];
  return lines.join("\n");
}

/** Polls the project's spans (all pages) until `expected` distinct spans are there; the time it saw them, or undefined. */
async function waitUntilReadable(
  base: string,
  project: string,
  expected: number,
  headers: Record<string, string>,
  timeoutMillis: number,
): Promise<number | undefined> {
  const { origin, pathname } = new URL(base);
  const pool = new Pool(origin, { connections: 1 });
  const deadline = performance.now() + timeoutMillis;
  try {
    while (performance.now() < deadline) {
      const seen = new Set<string>();
      let cursor: string | null = null;
      let missing = false;
      do {
        const query = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const response = await pool.request({ path: `${pathname.replace(/\/+$/, "")}/v1/projects/${encodeURIComponent(project)}/spans?${query}`, method: "GET", headers });
        if (response.statusCode === 404) {
          // The project appears with its first inserted span.
          await response.body.dump();
          missing = true;
          break;
        }
        if (response.statusCode !== 200) throw new Error(`GET spans of ${project}: HTTP ${response.statusCode} ${await response.body.text()}`);
        const page = (await response.body.json()) as { data: Array<{ context: { span_id: string } }>; next_cursor: string | null };
        for (const span of page.data) seen.add(span.context.span_id);
        cursor = page.next_cursor;
      } while (cursor);
      if (!missing && seen.size >= expected) return performance.now();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return undefined;
  } finally {
    await pool.close();
  }
}
