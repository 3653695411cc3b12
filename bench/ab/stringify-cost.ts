/**
 * What `JSON.stringify` of a mapped span costs, by how fresh the object is:
 * just mapped and prepared (as the exporter serialises it), the same object
 * a second time, the pool of prepared spans stringified again and again, and
 * the same spans after a JSON round trip (plain objects, flat strings). Tells
 * how much of the serialising is the objects' shape and first touch rather
 * than the bytes written (BENCHMARKS.md, "Where the time goes").
 *
 *   npx tsx bench/ab/stringify-cost.ts [MIX]     (default fixtures)
 */
import { mapSpan } from "../../src/mapping/map-span.js";
import { createPrepareStage } from "../../src/privacy/prepare-stage.js";
import { generateWorkload, type MixName } from "../workload/workload.js";

const mix = (process.argv[2] ?? "fixtures") as MixName;
const { spans } = await generateWorkload(mix, 1_400, 42);
const { prepare } = createPrepareStage(undefined, undefined, {});
const prepared = spans.map((span) => prepare(mapSpan(span)));
const roundTripped = prepared.map((span) => JSON.parse(JSON.stringify(span)) as unknown);
let written = 0;

function again(list: readonly unknown[], reps = 20): number {
  for (let w = 0; w < 5; w++) for (const o of list) written += JSON.stringify(o).length;
  const started = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) for (const o of list) written += JSON.stringify(o).length;
  return Number(process.hrtime.bigint() - started) / 1000 / (reps * list.length);
}

function fresh(reps = 10): { first: number; second: number } {
  let first = 0n;
  let second = 0n;
  for (let r = 0; r < reps; r++) {
    for (const span of spans) {
      const phoenix = prepare(mapSpan(span));
      const t0 = process.hrtime.bigint();
      written += JSON.stringify(phoenix).length;
      const t1 = process.hrtime.bigint();
      written += JSON.stringify(phoenix).length;
      second += process.hrtime.bigint() - t1;
      first += t1 - t0;
    }
  }
  const calls = 1000 * reps * spans.length;
  return { first: Number(first) / calls, second: Number(second) / calls };
}

for (let round = 1; round <= 3; round++) {
  const { first, second } = fresh();
  const pool = again(prepared);
  const plain = again(roundTripped);
  console.log(
    `${mix} round ${round}: just mapped ${first.toFixed(2)} µs/span, the same object again ${second.toFixed(2)}, ` +
      `the prepared pool again ${pool.toFixed(2)}, after a JSON round trip ${plain.toFixed(2)}`,
  );
}
if (written === 0) console.log("(nothing written)");
