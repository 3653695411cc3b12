import { describe, expect, it } from "vitest";
import { detectHallucination } from "../../src/hallucination/index.js";

// Hand-written cases for issue 17: denials of what the context states, and answers
// made of the context's own words that do not answer the question asked.
const AMD =
  "Advanced Micro Devices, Inc. is an American multinational semiconductor company based in Santa Clara, California. " +
  "It was founded in 1969 by Jerry Sanders.";
const BOLANO = "Roberto Bolaño Ávalos (28 April 1953 – 15 July 2003) was a Chilean novelist, short-story writer, poet and essayist.";
const SINGERS =
  "Anita Lane (born 18 March 1959) was an Australian singer-songwriter. " +
  "Nick Cave (born 22 September 1957) is an Australian musician and songwriter.";
const FILMMAKERS =
  "Jon Jost (born 1943) is an American independent filmmaker. Paul Verhoeven (born 18 July 1938) is a Dutch filmmaker.";
const COCKTAILS =
  "A gin and tonic is a highball cocktail made with gin and tonic water. The paloma is a tequila-based cocktail.";
const BERLIN = "The Reichstag is a historic edifice in Berlin, Germany. The Bundestag station is in Berlin.";
const BAND = "The Quiet Owls are a folk band from Leeds with four members, formed in 1998.";
const PLANTS =
  "Cardwellia grows naturally only in the rainforests of Queensland, Australia. " +
  "Ochagavia is a genus of plants endemic to Chile in South America.";

interface Case {
  readonly name: string;
  readonly context: string;
  readonly response: string;
  readonly query?: string;
  /** Words the explanation must contain. */
  readonly says?: string;
}

const hallucinated: readonly Case[] = [
  { name: "is not, against is", context: AMD, response: "Advanced Micro Devices, Inc. is not an American multinational semiconductor company.", says: "negates" },
  { name: "was not, against was", context: BOLANO, response: "Roberto Bolaño Ávalos was not a Chilean novelist.", says: "negates" },
  { name: "was never", context: BOLANO, response: "Roberto Bolaño was never a poet.", says: "negates" },
  { name: "is no longer", context: AMD, response: "Advanced Micro Devices is no longer based in Santa Clara, California.", says: "negates" },
  { name: "did not", context: AMD, response: "Jerry Sanders did not found Advanced Micro Devices in 1969.", says: "negates" },
  {
    name: "wrong side of a comparison, stated",
    context: SINGERS,
    query: "Who is older, Anita Lane or Nick Cave?",
    response: "Anita Lane was older than Nick Cave.",
    says: "1957",
  },
  {
    name: "comparison negated the wrong way",
    context: SINGERS,
    query: "Who is older, Anita Lane or Nick Cave?",
    response: "Nick Cave was not born first.",
    says: "Nick Cave",
  },
  {
    name: "yes flipped on a both-question",
    context: FILMMAKERS,
    query: "Are Jon Jost and Paul Verhoeven both American filmmakers?",
    response: "Yes, both filmmakers are American.",
    says: "not of Paul Verhoeven",
  },
  {
    name: "yes to a both-question the context answers no",
    context: COCKTAILS,
    query: "Are Gin and tonic and Paloma both cocktails based on tequila?",
    response: "Yes, both cocktails are tequila-based.",
    says: "question asks whether",
  },
  {
    name: "yes to a same-nationality question",
    context: FILMMAKERS,
    query: "Are Jon Jost and Paul Verhoeven of the same nationality?",
    response: "Yes.",
    says: "different nationalities",
  },
  { name: "a country for a city", context: BERLIN, query: "What city do the Bundestag station and the Reichstag have in common?", response: "Germany", says: "a country or state" },
  { name: "no number for how many", context: BAND, query: "How many members do The Quiet Owls have?", response: "They are a folk band from Leeds.", says: "how many" },
  { name: "no year for when", context: BAND, query: "When were The Quiet Owls formed?", response: "The Quiet Owls were formed in Leeds.", says: "when" },
  {
    name: "the other candidate",
    context: PLANTS,
    query: "Which genus, Cardwellia or Ochagavia, is native to South America?",
    response: "Cardwellia",
    says: "South America",
  },
];

const faithful: readonly Case[] = [
  { name: "negation kept", context: "Shipping costs are not refundable.", response: "Shipping costs are not refundable." },
  { name: "not only ... but also", context: BOLANO, response: "Roberto Bolaño was not only a novelist but also a poet." },
  { name: "denial the context makes", context: `${AMD} The company does not make memory chips.`, response: "Advanced Micro Devices does not make memory chips." },
  { name: "right side, negated", context: SINGERS, query: "Who is older, Anita Lane or Nick Cave?", response: "Anita Lane was not born first." },
  { name: "no on a both-question", context: FILMMAKERS, query: "Are Jon Jost and Paul Verhoeven both American?", response: "No" },
  { name: "yes on a both-question", context: COCKTAILS, query: "Are Gin and tonic and Paloma both cocktails?", response: "yes" },
  { name: "no on a same-nationality question", context: FILMMAKERS, query: "Are Jon Jost and Paul Verhoeven of the same nationality?", response: "No." },
  { name: "the city", context: BERLIN, query: "What city do the Bundestag station and the Reichstag have in common?", response: "Berlin" },
  { name: "a number word for how many", context: BAND, query: "How many members do The Quiet Owls have?", response: "four" },
  { name: "the right candidate", context: PLANTS, query: "Which genus, Cardwellia or Ochagavia, is native to South America?", response: "Ochagavia" },
  { name: "synonym rewording", context: "House is an American television medical drama.", response: "House is an American TV medical drama." },
];

async function judge(c: Case) {
  return detectHallucination({ context: c.context, response: c.response, ...(c.query === undefined ? {} : { query: c.query }) });
}

describe("grounding: denials and answers to the question", () => {
  for (const c of hallucinated) {
    it(`flags ${c.name}: "${c.response}"`, async () => {
      const result = await judge(c);
      expect(result.label, result.explanation).toBe("hallucinated");
      if (c.says !== undefined) expect(result.explanation).toContain(c.says);
      expect(result.unsupported.length).toBeGreaterThan(0);
    });
  }
  for (const c of faithful) {
    it(`leaves ${c.name} alone: "${c.response}"`, async () => {
      const result = await judge(c);
      expect(result.label, result.explanation).toBe("factual");
      expect(result.unsupported).toEqual([]);
    });
  }
});
