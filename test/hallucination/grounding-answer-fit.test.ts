import { describe, expect, it } from "vitest";
import { detectHallucination } from "../../src/hallucination/index.js";

// Hand-written cases for issue 17's question-aware checks (src/hallucination/grounding/answer-fit.ts):
// the answer names something of the context, but not the kind of thing, or not the very thing,
// the question describes.
const KICKBOXER =
  "Badr Hari (born 8 December 1984) is a Moroccan-Dutch kickboxer from Amsterdam, fighting out of Mike's Gym in Oostzaan. " +
  "He was once considered the best kickboxer in the world.";
const BAND = "Jane Doe (born 1950) founded The Quiet Owls in Leeds and led the band for thirty years.";
const MAGAZINE = "First for Women is a woman's magazine published by Bauer Media Group in the USA.";
const RETAILERS =
  "Target Corporation is the second-largest discount store retailer in the United States, behind Walmart, and a component of the S&P 500 Index.";
const CITIES = "Columbus is the largest city in Ohio. Chicago is the largest city in the Midwest.";
const GAMES =
  "The 2017 Summer Deaflympics, officially known as the 23rd Summer Deaflympics, took place in Samsun, Turkey. " +
  "Afghanistan competed at the Deaflympics for the first time in 2017.";
const FLOWERS = "Chrysanthemums, sometimes called mums or chrysanths, are flowering plants of the genus Chrysanthemum.";

interface Case {
  readonly name: string;
  readonly context: string;
  readonly query: string;
  readonly response: string;
  /** Words the explanation must contain. */
  readonly says?: string;
}

const hallucinated: readonly Case[] = [
  {
    name: "a gym for who (he)",
    context: KICKBOXER,
    query: "Who was once considered the best kickboxer in the world, although he was involved in controversies?",
    response: "Mike's Gym in Oostzaan",
    says: "a place or an institution",
  },
  {
    name: "a town the context writes after 'in', for who (she)",
    context: BAND,
    query: "Who founded The Quiet Owls, the band she led for thirty years?",
    response: "Leeds.",
    says: "the question asks who (a person)",
  },
  {
    name: "the name beside the superlative, not its subject",
    context: RETAILERS,
    query: "What retailer is the second-largest in the United States?",
    response: "Walmart",
    says: "the context says that of Target Corporation",
  },
  {
    name: "the subject of the superlative for another scope",
    context: CITIES,
    query: "What city is the largest in the Midwest?",
    response: "Columbus",
    says: "Chicago",
  },
  {
    name: "an answer without the name given after 'officially known as'",
    context: GAMES,
    query: "What was the event Afghanistan competed in for the first time in 2017 officially known as?",
    response: "The Deaflympics' first event in 2017.",
    says: "23rd Summer Deaflympics",
  },
];

const faithful: readonly Case[] = [
  { name: "the person, for who (he)", context: KICKBOXER, query: "Who was once considered the best kickboxer in the world, although he was involved in controversies?", response: "Badr Hari" },
  { name: "a person, for who (she)", context: BAND, query: "Who founded The Quiet Owls, the band she led for thirty years?", response: "Jane Doe" },
  // Without a cue that a person is asked about, "who" may be answered by a company.
  { name: "a company for who publishes", context: MAGAZINE, query: "Who publishes First for Women?", response: "Bauer Media Group" },
  { name: "the superlative's subject", context: RETAILERS, query: "What retailer is the second-largest in the United States?", response: "Target Corporation" },
  { name: "the superlative's subject, shortened", context: RETAILERS, query: "What retailer is the second-largest in the United States?", response: "Target" },
  { name: "the superlative's subject for the asked scope", context: CITIES, query: "What city is the largest in the Midwest?", response: "Chicago" },
  {
    name: "the name given after 'officially known as'",
    context: GAMES,
    query: "What was the event Afghanistan competed in for the first time in 2017 officially known as?",
    response: "the 23rd Summer Deaflympics",
  },
  { name: "one of two names given after 'sometimes called'", context: FLOWERS, query: "What are chrysanthemums sometimes called?", response: "mums" },
];

async function judge(c: Case) {
  return detectHallucination({ context: c.context, response: c.response, query: c.query });
}

describe("grounding: the answer names what the question describes", () => {
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
