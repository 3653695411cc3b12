import { describe, expect, it } from "vitest";
import { mapSpan } from "../../src/mapping/index.js";
import { toReadableSpan } from "./producers/captured-span.js";
import { loadFixtures } from "./producers/fixture.js";
import { PRODUCERS } from "./producers/producers.js";
import { isStorable, unmet } from "./expectations.js";

const fixtures = loadFixtures();

describe("the fixture corpus", () => {
  it("has one fixture per producer, each with spans", () => {
    expect(fixtures.map((f) => f.producer).sort()).toEqual(PRODUCERS.map((p) => p.id).sort());
    for (const fixture of fixtures) expect(fixture.spans.length, fixture.producer).toBeGreaterThan(0);
  });

  describe.each(fixtures.map((f) => [f.producer, f] as const))("%s", (_id, fixture) => {
    it("maps every captured span to its expected kind and key attributes", () => {
      const problems = fixture.spans.flatMap((span) => unmet(mapSpan(toReadableSpan(span)), span.expected));
      expect(problems).toEqual([]);
    });

    it("leaves no span of a recognised producer UNKNOWN", () => {
      // plain-otel holds the spans that must stay UNKNOWN (a GET, a non-vector database query).
      if (fixture.producer === "plain-otel") return;
      const unknown = fixture.spans.filter((span) => mapSpan(toReadableSpan(span)).span_kind === "UNKNOWN").map((span) => span.name);
      expect(unknown).toEqual([]);
    });

    it("emits only values Phoenix stores, and never openinference.span.kind", () => {
      for (const span of fixture.spans) {
        const mapped = mapSpan(toReadableSpan(span));
        for (const [key, value] of Object.entries(mapped.attributes)) expect(isStorable(value), `${span.name} ${key}`).toBe(true);
        expect(mapped.attributes["openinference.span.kind"]).toBeUndefined();
      }
    });
  });
});
