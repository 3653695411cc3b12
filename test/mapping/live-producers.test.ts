import { describe, expect, it } from "vitest";
import { mapSpan } from "../../src/mapping/index.js";
import { loadFixtures } from "./producers/fixture.js";
import { PRODUCERS } from "./producers/producers.js";
import { unmet } from "./expectations.js";
import { nodeAtLeast } from "./producers/record.js";

/**
 * The producers run live, against the versions installed now: a release
 * that renames or drops an attribute the corpus was captured with, or that
 * changes what a span maps to, fails here (then `npm run capture:fixtures`
 * and review the diff).
 */
const fixtures = new Map(loadFixtures().map((f) => [f.producer, f]));

/** Why this Node cannot run a producer's packages, or undefined when it can. */
function unsupportedHere(producer: (typeof PRODUCERS)[number]): string | undefined {
  if (producer.node === undefined || nodeAtLeast(producer.node.min)) return undefined;
  return `skipped on Node ${process.versions.node}: ${producer.node.why}; its fixture is still mapped by fixtures.test.ts`;
}

for (const producer of PRODUCERS) {
  const id = producer.id;
  const skipped = unsupportedHere(producer);
  describe.skipIf(skipped !== undefined)(skipped ? `live ${id} (${skipped})` : `live ${id}`, () => {
    it("maps every span it makes as expected, and still writes the attributes of the corpus", async () => {
      const spans = await producer.run();
      expect(spans.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const span of spans) {
        const expected = producer.expect(span);
        if (!expected) problems.push(`${span.name}: a span the corpus has no expectation for`);
        else problems.push(...unmet(mapSpan(span), expected));
      }
      // Every source attribute key the corpus has for a span name must still be written.
      const liveKeys = new Map<string, Set<string>>();
      for (const span of spans) {
        const keys = liveKeys.get(span.name) ?? new Set<string>();
        for (const key of Object.keys(span.attributes)) keys.add(key);
        liveKeys.set(span.name, keys);
      }
      for (const captured of fixtures.get(id)!.spans) {
        const keys = liveKeys.get(captured.name);
        if (!keys) problems.push(`${captured.name}: no longer produced`);
        else for (const key of Object.keys(captured.attributes)) if (!keys.has(key)) problems.push(`${captured.name}: no longer writes ${key}`);
      }
      expect([...new Set(problems)]).toEqual([]);
    });
  });
}
