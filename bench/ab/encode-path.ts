/**
 * The exporter's CPU path without the network, for comparing two variants of
 * src/ with instruction counts (load-independent) rather than times:
 * map (mapSpan) → prepare (the privacy / limits stage, nothing configured) →
 * encode (encodeRequests: JSON, byte counts, requests of 50) → the REST
 * body (RestSpanSink over a transport that answers 202 at once; with
 * `AB_SINK=otlp` the OTLP/protobuf body of OtlpSpanSink), for every
 * span of a mix's pool, `passes` times.
 *
 *   npx tsx bench/ab/encode-path.ts MIX PASSES [STAGE]   (prints µs/span, for a quick look)
 *
 * STAGE (default all) stops early, to split the cost by stage: `map`
 * (mapSpan only), `prepare` (map + prepare), `encode` (… + JSON and
 * requests), `all` (… + the REST body).
 *
 * For instruction counts, bundle it and run it under callgrind twice, with
 * 1 and 3 passes; the difference over 2 × pool spans is the cost per span
 * (startup, module loading and the workload's generation cancel out):
 *
 *   npx esbuild bench/ab/encode-path.ts --bundle --platform=node --format=esm --packages=external --outfile=X.mjs
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null node X.mjs rag 1   # "Collected : N"
 */
import { mapSpan } from "../../src/mapping/map-span.js";
import { createPrepareStage } from "../../src/privacy/prepare-stage.js";
import { encodeRequests } from "../../src/exporter/delivery/request-batches.js";
import { RestSpanSink } from "../../src/exporter/delivery/rest-span-sink.js";
import { OtlpSpanSink } from "../../src/exporter/delivery/otlp-span-sink.js";
import type { Transport } from "../../src/http/transport.js";
import { generateWorkload, type MixName } from "../workload/workload.js";

const mix = (process.argv[2] ?? "genai-json") as MixName;
const passes = Number(process.argv[3] ?? 1);
const stage = (process.argv[4] ?? "all") as "map" | "prepare" | "encode" | "all";
const { spans } = await generateWorkload(mix, 1_400, 42);
const { prepare } = createPrepareStage(undefined, undefined, {});
let bodyBytes = 0;
const transport: Transport = {
  send: (request) => {
    bodyBytes += (request.body as Uint8Array).byteLength;
    return Promise.resolve({ status: "success", statusCode: 202, body: new Uint8Array(0), headers: {} });
  },
  shutdown: () => Promise.resolve(),
};
// AB_SINK=otlp: the OTLP/protobuf body (OtlpSpanSink) instead of the REST one.
const sink = process.env.AB_SINK === "otlp" ? new OtlpSpanSink(transport, "ab") : new RestSpanSink(transport, "ab");
const steps = { map: mapSpan, projectOf: () => "ab", prepare, maxSpansPerRequest: 50, maxRequestBytes: 20 * 1024 * 1024 };

let sinkHole: unknown;
// AB_WARM=N: N untimed passes first (for timing; leave unset for the callgrind difference method).
const warm = Number(process.env.AB_WARM ?? 0);
let started = process.hrtime.bigint();
for (let pass = 0; pass < warm + passes; pass++) {
  if (pass === warm) started = process.hrtime.bigint();
  for (let i = 0; i < spans.length; i += 50) {
    const part = spans.slice(i, i + 50);
    if (stage === "map" || stage === "prepare") {
      for (const span of part) sinkHole = stage === "map" ? mapSpan(span) : prepare(mapSpan(span));
      continue;
    }
    const { batches } = encodeRequests({ spans: part }, steps);
    if (stage === "encode") continue;
    for (const batch of batches) await sink.write(batch.project, batch.spans, 10_000);
  }
}
const ns = Number(process.hrtime.bigint() - started);
if (sinkHole === 1) console.log("");
console.log(`${mix} ${stage}: ${spans.length} spans x ${passes}: ${(ns / 1000 / (spans.length * passes)).toFixed(1)} µs/span, ${(bodyBytes / (spans.length * (warm + passes))).toFixed(0)} body bytes/span`);
