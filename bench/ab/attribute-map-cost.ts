/**
 * What building and serialising an attribute map costs, by how it is made:
 * `Object.create(null)` (what the mapping uses today, `createAttributes`),
 * which V8 keeps in dictionary mode; an instance of a class whose prototype
 * is an empty frozen object without a prototype, which keeps the same
 * semantics for hostile keys (`__proto__`, `constructor`) with fast
 * properties; and a plain `{}` for reference. Maps of 6 and 20 keys, as small
 * and mid-sized spans have. A lead for the small-span mixes (BENCHMARKS.md,
 * "Where the time goes"), not applied: the pipeline bench did not show it
 * within its spread.
 *
 *   npx tsx bench/ab/attribute-map-cost.ts
 */
import { createAttributes } from "../../src/mapping/attributes.js";

const NullPrototypeMap = function NullPrototypeMap() {} as unknown as new () => Record<string, unknown>;
NullPrototypeMap.prototype = Object.freeze(Object.create(null) as object) as Record<string, unknown>;

const kinds: ReadonlyArray<[string, () => Record<string, unknown>]> = [
  ["createAttributes() (Object.create(null))", () => createAttributes()],
  ["null-prototype class", () => new NullPrototypeMap()],
  ["{}", () => ({})],
];
const CALLS = 100_000;
let written = 0;

for (const size of [6, 20]) {
  const keys = Array.from({ length: size }, (_, i) => `${["input", "output", "llm", "metadata"][i % 4]}.value.k${i}`);
  const values = keys.map((_, i) => (i % 3 === 0 ? i : `value ${i} ${"x".repeat(i * 5)}`));
  for (let round = 1; round <= 3; round++) {
    const line: string[] = [];
    for (const [name, make] of kinds) {
      const build = () => {
        const map = make();
        for (let i = 0; i < size; i++) map[keys[i]!] = values[i];
        return map;
      };
      for (let i = 0; i < CALLS / 5; i++) written += JSON.stringify(build()).length;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) written += JSON.stringify(build()).length;
      const t1 = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) written += build() === undefined ? 0 : 1;
      const t2 = process.hrtime.bigint();
      line.push(`${name} ${(Number(t1 - t0) / CALLS / 1000).toFixed(2)} (build ${(Number(t2 - t1) / CALLS / 1000).toFixed(2)})`);
    }
    console.log(`${size} keys, round ${round}, µs per map, build + JSON.stringify: ${line.join(", ")}`);
  }
}
if (written === 0) console.log("(nothing written)");
