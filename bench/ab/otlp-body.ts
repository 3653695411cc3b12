/**
 * The OTLP route's body cost, split: `JSON.parse` of the queued spans
 * (decodeSpan) and the protobuf encode (encodeTraceRequest), against the REST
 * body's work, over a mix's pool in requests of 50. Each stage is timed
 * `rounds` times interleaved and the minimum kept (robust to a loaded host).
 *
 *   npx tsx bench/ab/otlp-body.ts MIX [ROUNDS]
 */
import { mapSpan } from "../../src/mapping/map-span.js";
import { createPrepareStage } from "../../src/privacy/prepare-stage.js";
import { encodeRequests, type RequestBatch } from "../../src/exporter/delivery/request-batches.js";
import { decodeSpan } from "../../src/exporter/delivery/encoded-span.js";
import { encodeTraceRequest } from "../../src/exporter/delivery/otlp-protobuf.js";
import type { PhoenixSpan } from "../../src/mapping/phoenix-span.js";
import { generateWorkload, type MixName } from "../workload/workload.js";

const mix = (process.argv[2] ?? "genai-json") as MixName;
const rounds = Number(process.argv[3] ?? 7);
const { spans } = await generateWorkload(mix, 1_400, 42);
const { prepare } = createPrepareStage(undefined, undefined, {});
const steps = { map: mapSpan, projectOf: () => "ab", prepare, maxSpansPerRequest: 50, maxRequestBytes: 20 * 1024 * 1024 };
const batches: RequestBatch[] = [];
for (let i = 0; i < spans.length; i += 50) batches.push(...encodeRequests({ spans: spans.slice(i, i + 50) }, steps).batches);
const decoded: PhoenixSpan[][] = batches.map((b) => b.spans.map(decodeSpan));
let hole = 0;
const stages: Record<string, () => void> = {
  "JSON.parse (decodeSpan)": () => {
    for (const b of batches) hole += b.spans.map(decodeSpan).length;
  },
  "protobuf encode": () => {
    for (const d of decoded) hole += encodeTraceRequest("ab", d).byteLength;
  },
  "REST body (copy of each span's UTF-8)": () => {
    for (const b of batches) {
      const body = Buffer.allocUnsafe(b.bytes + 16);
      let at = 0;
      for (const s of b.spans) {
        body.set(s.utf8, at);
        at += s.utf8.byteLength;
      }
      hole += at;
    }
  },
};
const best: Record<string, number> = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(stages)) {
    const t = process.hrtime.bigint();
    run();
    const us = Number(process.hrtime.bigint() - t) / 1000 / spans.length;
    best[name] = Math.min(best[name] ?? Infinity, us);
  }
}
console.log(`${mix}: ${Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(" · ")} µs/span (min of ${rounds})${hole < 0 ? "" : ""}`);
