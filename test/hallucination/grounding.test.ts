import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { detectHallucination, grounding, type HallucinationResult } from "../../src/hallucination/index.js";

// Hand-written contexts: short passages like a retriever returns, each with facts
// an answer can get right in other words or get wrong in a specific way.
const EIFFEL =
  "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris, France. " +
  "It is named after the engineer Gustave Eiffel, whose company designed and built the tower. " +
  "Construction was completed in 1889, and the tower is 330 metres tall. " +
  "It was not designed as a permanent structure.";

const CURIE =
  "Marie Curie was a Polish and naturalised-French physicist and chemist. " +
  "She was born in Warsaw on 7 November 1867. " +
  "Together with her husband Pierre Curie, she discovered polonium and radium. " +
  "Albert Einstein developed the theory of relativity. " +
  "Curie won the Nobel Prize twice, in 1903 and 1911.";

const ACME =
  "Acme Robotics was founded in 2012 by Dana Whitfield in Austin, Texas. " +
  "The company employs 340 people and makes warehouse robots. " +
  "Its flagship robot, the Hauler X2, can carry up to 500 kilograms. " +
  "Acme Robotics does not sell to consumers; it only serves logistics companies. " +
  "In 2021 the company opened a second factory in Monterrey, Mexico.";

const MEDICINE =
  "Aspirin is not recommended for children under 16 because of the risk of Reye's syndrome. " +
  "Ibuprofen can be given to children from three months of age. " +
  "Paracetamol is the first choice for fever in infants.";

const BEOWULF =
  "Beowulf is a 2007 film directed by Robert Zemeckis. " +
  "The screenplay was written by Neil Gaiman and Roger Avary.";

const MAGAZINES =
  "Arthur's Magazine (1844–1846) was an American literary periodical published in Philadelphia. " +
  "First for Women is a woman's magazine published by Bauer Media Group in the USA since 1989.";

const MUSICIANS =
  "Glenn Hughes (born 21 August 1951) is an English rock bassist and vocalist. " +
  "Ross Lynch (born December 29, 1995) is an American singer, songwriter and actor.";

const BANDS =
  "The Quiet Owls are a folk band from Leeds with four members. " +
  "Static Rain is a post-rock trio from Glasgow with three members.";

const REVENUE = "The company reported revenue of $4.2 billion in 2023, up 12% from the previous year.";

const REFUNDS =
  "Our refund policy allows customers to return items within 30 days of delivery. " +
  "Refunds are issued to the original payment method within 5 business days. " +
  "Items marked as final sale cannot be returned. " +
  "Shipping costs are not refundable unless the item arrived damaged.";

interface Case {
  readonly name: string;
  readonly context: string;
  readonly response: string;
  readonly query?: string;
  /** Text that must appear in one of the `unsupported` parts. */
  readonly offending?: string;
}

const hallucinated: Record<string, readonly Case[]> = {
  "entity absent from the context": [
    { name: "city", context: EIFFEL, response: "The Eiffel Tower is located in London, England.", offending: "London" },
    { name: "founder", context: ACME, response: "Acme Robotics was founded by Elon Musk.", offending: "Elon Musk" },
    { name: "birthplace", context: CURIE, response: "Marie Curie was born in Krakow.", offending: "Krakow" },
    {
      name: "disease",
      context: MEDICINE,
      response: "Aspirin is not recommended for children because of the risk of Lyme disease.",
      offending: "Lyme",
    },
  ],
  "entity swapped for another one in the context": [
    { name: "discoverer", context: CURIE, response: "Albert Einstein discovered polonium.", offending: "Albert Einstein" },
    {
      name: "spouse's birthplace",
      context: CURIE,
      response: "Pierre Curie was born in Warsaw on 7 November 1867.",
      offending: "Pierre Curie",
    },
    { name: "director", context: BEOWULF, response: "Beowulf was directed by Neil Gaiman.", offending: "Neil Gaiman" },
    {
      name: "place of founding",
      context: ACME,
      response: "Dana Whitfield founded Acme Robotics in Monterrey, Mexico.",
      offending: "Monterrey",
    },
  ],
  "number, date or quantity differs": [
    { name: "year", context: EIFFEL, response: "Construction of the Eiffel Tower was completed in 1899.", offending: "1899" },
    { name: "unit", context: EIFFEL, response: "The tower is 330 feet tall.", offending: "330 feet" },
    { name: "day of a date", context: CURIE, response: "Marie Curie was born on 17 November 1867.", offending: "17 November 1867" },
    { name: "count", context: ACME, response: "The company employs about 3,400 people.", offending: "3,400" },
    { name: "weight", context: ACME, response: "The Hauler X2 can carry 800 kilograms.", offending: "800 kilograms" },
    { name: "number word", context: CURIE, response: "Curie won the Nobel Prize three times.", offending: "three" },
    { name: "direction of a change", context: REVENUE, response: "Revenue fell 12% in 2023.", offending: "fell" },
  ],
  "negation flipped": [
    { name: "drops not", context: MEDICINE, response: "Aspirin is recommended for children under 16.", offending: "Aspirin is recommended" },
    { name: "drops does not", context: ACME, response: "Acme Robotics sells to consumers.", offending: "sells to consumers" },
    {
      name: "drops not, restated",
      context: EIFFEL,
      response: "The Eiffel Tower was designed as a permanent structure.",
      offending: "permanent structure",
    },
    {
      name: "adds cannot",
      context: MEDICINE,
      response: "Ibuprofen cannot be given to children from three months of age.",
      offending: "Ibuprofen cannot",
    },
    { name: "adds is not", context: MEDICINE, response: "Paracetamol is not the first choice for fever in infants.", offending: "Paracetamol is not" },
  ],
  "comparison answered with the wrong side": [
    {
      name: "started first",
      context: MAGAZINES,
      query: "Which magazine was started first, Arthur's Magazine or First for Women?",
      response: "First for Women was started first.",
      offending: "First for Women",
    },
    {
      name: "older",
      context: MUSICIANS,
      query: "Who is older, Glenn Hughes or Ross Lynch?",
      response: "Ross Lynch is older.",
      offending: "Ross Lynch",
    },
    {
      name: "older, worded as younger",
      context: MUSICIANS,
      query: "Who is older, Glenn Hughes or Ross Lynch?",
      response: "Glenn Hughes is younger than Ross Lynch.",
      offending: "Ross Lynch",
    },
    {
      name: "yes to a false comparison",
      context: MUSICIANS,
      query: "Is Ross Lynch older than Glenn Hughes?",
      response: "Yes, Ross Lynch is older than Glenn Hughes.",
      offending: "Yes",
    },
    {
      name: "more members",
      context: BANDS,
      query: "Which band has more members, The Quiet Owls or Static Rain?",
      response: "Static Rain has more members.",
      offending: "Static Rain",
    },
  ],
  "claim the context does not mention": [
    {
      name: "added sentence",
      context: EIFFEL,
      response: "The Eiffel Tower is in Paris. It was painted gold for the Olympics.",
      offending: "painted gold",
    },
    {
      name: "added clause",
      context: ACME,
      response: "Acme Robotics makes warehouse robots and plans an initial public offering.",
      offending: "initial public offering",
    },
    {
      name: "added invention",
      context: CURIE,
      response: "Marie Curie was born in Warsaw. She also invented the telephone.",
      offending: "invented the telephone",
    },
    {
      name: "added effect",
      context: MEDICINE,
      response: "Paracetamol is the first choice for fever in infants and it cures ear infections.",
      offending: "cures ear infections",
    },
  ],
};

const faithful: Record<string, readonly Case[]> = {
  "paraphrase in other words": [
    { name: "stands in", context: EIFFEL, response: "The Eiffel Tower stands in Paris." },
    { name: "finished", context: EIFFEL, response: "Gustave Eiffel's company built the tower, which was finished in 1889." },
    { name: "abbreviated unit", context: EIFFEL, response: "It is 330 m tall." },
    { name: "negation kept", context: EIFFEL, response: "The tower was not designed to be permanent." },
    { name: "received", context: CURIE, response: "Curie, who was born in Warsaw in 1867, received the Nobel Prize in 1903 and in 1911." },
    { name: "started", context: ACME, response: "Dana Whitfield started Acme Robotics in Austin in 2012." },
    { name: "number words", context: ACME, response: "The Hauler X2 can carry up to five hundred kilograms." },
    { name: "employees", context: ACME, response: "Acme Robotics has 340 employees." },
    { name: "kids", context: MEDICINE, response: "Ibuprofen may be given to kids from the age of three months." },
    { name: "country for demonym", context: CURIE, response: "Marie Curie was a physicist and chemist from Poland." },
    { name: "maker", context: ACME, response: "Acme Robotics is a maker of robots for warehouses, founded in Austin." },
    { name: "active voice", context: BEOWULF, response: "Robert Zemeckis directed the 2007 film Beowulf." },
    { name: "meta prefix", context: EIFFEL, response: "According to the context, the Eiffel Tower was completed in 1889." },
    { name: "'grew' for 'up'", context: REVENUE, response: "Revenue grew 12% to $4.2 billion in 2023." },
  ],
  "copied in part or reordered": [
    { name: "span", context: EIFFEL, query: "How tall is the Eiffel Tower?", response: "330 metres" },
    { name: "single name", context: CURIE, query: "Where was Marie Curie born?", response: "Warsaw" },
    { name: "place", context: ACME, query: "Where was Acme Robotics founded?", response: "Austin, Texas" },
    { name: "negation reordered", context: MEDICINE, response: "Because of the risk of Reye's syndrome, aspirin is not recommended for children under 16." },
    { name: "negation copied", context: ACME, response: "It does not sell to consumers." },
    { name: "pronoun subject", context: CURIE, response: "She discovered radium and polonium with Pierre Curie, her husband." },
    { name: "second sentence", context: ACME, response: "In 2021, Acme Robotics opened a second factory, in Monterrey, Mexico." },
    { name: "policy, second person", context: REFUNDS, response: "You can return items within 30 days of delivery." },
    { name: "policy, shortened", context: REFUNDS, response: "Final sale items cannot be returned." },
    {
      name: "'only if' for 'not unless'",
      context: REFUNDS,
      response: "Shipping costs are only refundable if the item arrived damaged.",
    },
    {
      name: "question's words",
      context: CURIE,
      query: "Which elements did Marie Curie discover together with her husband?",
      response: "Together with her husband, Marie Curie discovered polonium and radium.",
    },
  ],
  "comparison answered with the right side": [
    {
      name: "started first",
      context: MAGAZINES,
      query: "Which magazine was started first, Arthur's Magazine or First for Women?",
      response: "Arthur's Magazine was started first.",
    },
    {
      name: "older, worded as younger",
      context: MUSICIANS,
      query: "Who is older, Glenn Hughes or Ross Lynch?",
      response: "Ross Lynch is younger than Glenn Hughes.",
    },
    { name: "no to a false comparison", context: MUSICIANS, query: "Is Ross Lynch older than Glenn Hughes?", response: "No." },
    {
      name: "more members",
      context: BANDS,
      query: "Which band has more members, The Quiet Owls or Static Rain?",
      response: "The Quiet Owls have more members.",
    },
  ],
};

async function judge(c: Case): Promise<HallucinationResult> {
  return detectHallucination({ context: c.context, response: c.response, ...(c.query === undefined ? {} : { query: c.query }) });
}

function count(groups: Record<string, readonly Case[]>): number {
  return Object.values(groups).reduce((sum, cases) => sum + cases.length, 0);
}

describe("grounding detector: hallucinated answers", () => {
  for (const [behaviour, cases] of Object.entries(hallucinated)) {
    describe(behaviour, () => {
      for (const c of cases) {
        it(`${c.name}: "${c.response}"`, async () => {
          const result = await judge(c);
          expect(result.label, result.explanation).toBe("hallucinated");
          expect(result.isHallucination).toBe(true);
          expect(result.score).toBeGreaterThanOrEqual(0.5);
          expect(result.detector).toBe("grounding");
          if (c.offending !== undefined) {
            const offending = c.offending;
            expect(
              result.unsupported.some((part) => part.includes(offending)),
              `unsupported ${JSON.stringify(result.unsupported)} should name "${offending}"`,
            ).toBe(true);
            expect(result.explanation).toContain(offending.split(" ")[0]);
          }
        });
      }
    });
  }
});

describe("grounding detector: faithful answers", () => {
  for (const [behaviour, cases] of Object.entries(faithful)) {
    describe(behaviour, () => {
      for (const c of cases) {
        it(`${c.name}: "${c.response}"`, async () => {
          const result = await judge(c);
          expect(result.label, result.explanation).toBe("factual");
          expect(result.isHallucination).toBe(false);
          expect(result.unsupported).toEqual([]);
          expect(result.score).toBeLessThan(0.5);
        });
      }
    });
  }
});

describe("grounding detector: the case set", () => {
  it("has at least 40 hand-written cases, balanced between hallucinated and faithful", () => {
    const bad = count(hallucinated);
    const good = count(faithful);
    expect(bad + good).toBeGreaterThanOrEqual(40);
    expect(Math.abs(bad - good)).toBeLessThanOrEqual(4);
  });
});

describe("grounding detector: score, confidence and threshold", () => {
  it("keeps score and confidence in [0, 1] and applies the threshold to the score", async () => {
    const input = { context: EIFFEL, response: "The Eiffel Tower is located in London, England." };
    const strict = await detectHallucination({ ...input, threshold: 0.999 });
    const lax = await detectHallucination({ ...input, threshold: 0.1 });
    expect(strict.score).toBe(lax.score);
    expect(strict.score).toBeGreaterThan(0.9);
    expect(strict.label).toBe(strict.score >= 0.999 ? "hallucinated" : "factual");
    expect(lax.label).toBe("hallucinated");
    for (const r of [strict, lax]) {
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });

  it("is less confident of a factual label when nothing could be checked", async () => {
    const bare = await detectHallucination({ context: MUSICIANS, response: "Yes." });
    const rich = await detectHallucination({ context: EIFFEL, response: "Gustave Eiffel's company built the tower, which was finished in 1889." });
    expect(bare.label).toBe("factual");
    expect(rich.label).toBe("factual");
    expect(bare.confidence).toBeLessThan(rich.confidence);
    expect(bare.explanation).toMatch(/could be checked/);
  });

  it("is deterministic", async () => {
    const input = { context: CURIE, response: "Albert Einstein discovered polonium in 1898." };
    expect(await detectHallucination(input)).toEqual(await detectHallucination(input));
  });

  it("is a CODE detector named grounding", () => {
    expect(grounding.name).toBe("grounding");
    expect(grounding.annotatorKind).toBe("CODE");
  });
});

describe("grounding detector: speed (a note, not an assertion)", () => {
  it("records the mean time per call for a paragraph of context", () => {
    const input = { context: ACME, response: "Dana Whitfield started Acme Robotics in Austin in 2012.", query: undefined, threshold: 0.5 };
    for (let i = 0; i < 50; i++) grounding.detect(input, {});
    const runs = 500;
    const started = performance.now();
    for (let i = 0; i < runs; i++) grounding.detect({ ...input, context: `${ACME} ${i % 2}` }, {});
    const meanMs = (performance.now() - started) / runs;
    // Speed targets are measured by `npm run eval:hallucination` (median and p99); a timed
    // assertion here would only make the suite flaky on a busy machine.
    console.info(`grounding: ${meanMs.toFixed(3)} ms per call (mean of ${runs}, context indexed each time)`);
    expect(meanMs).toBeGreaterThan(0);
  });
});
