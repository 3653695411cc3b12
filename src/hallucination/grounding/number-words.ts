/**
 * Words that read, qualify or measure a number: number and ordinal words,
 * months, units, and the cues for round figures and bounds.
 */

/** Adjectives that only say what a figure measures ("330 m tall", "2,300 km long", "16 years old"). */
export const DIMENSION_WORDS: ReadonlySet<string> = new Set(["long", "tall", "high", "wide", "deep", "old", "thick", "heavy", "away", "across"]);

/** Cues that a number is a round figure rather than an exact claim. */
export const APPROXIMATION_CUES: ReadonlySet<string> = new Set([
  "about",
  "approximately",
  "around",
  "roughly",
  "nearly",
  "almost",
  "some",
  "circa",
  "ca",
  "c",
  "approx",
  "estimated",
]);

/** Lower bounds ("over 200", "more than 200") and upper bounds ("under 200", "up to 200"). */
export const LOWER_BOUND_CUES: ReadonlySet<string> = new Set(["over", "above", "exceeding"]);
export const LOWER_BOUND_PHRASES: ReadonlySet<string> = new Set(["more than", "over than", "at least", "greater than"]);
export const UPPER_BOUND_CUES: ReadonlySet<string> = new Set(["under", "below"]);
export const UPPER_BOUND_PHRASES: ReadonlySet<string> = new Set(["less than", "fewer than", "at most", "up to"]);

/** Canonical unit for a unit word, so "km", "kilometres" and "kilometers" compare equal. */
const UNIT_WORDS: ReadonlyMap<string, string> = new Map(Object.entries({
  km: "km",
  kilometre: "km",
  kilometres: "km",
  kilometer: "km",
  kilometers: "km",
  m: "m",
  metre: "m",
  metres: "m",
  meter: "m",
  meters: "m",
  cm: "cm",
  centimetre: "cm",
  centimetres: "cm",
  centimeter: "cm",
  centimeters: "cm",
  mm: "mm",
  millimetre: "mm",
  millimetres: "mm",
  millimeter: "mm",
  millimeters: "mm",
  mi: "mi",
  mile: "mi",
  miles: "mi",
  ft: "ft",
  foot: "ft",
  feet: "ft",
  inch: "in",
  inches: "in",
  yard: "yd",
  yards: "yd",
  kg: "kg",
  kilogram: "kg",
  kilograms: "kg",
  g: "g",
  gram: "g",
  grams: "g",
  lb: "lb",
  lbs: "lb",
  tonne: "t",
  tonnes: "t",
  ton: "t",
  tons: "t",
  year: "year",
  years: "year",
  yr: "year",
  month: "month",
  months: "month",
  week: "week",
  weeks: "week",
  day: "day",
  days: "day",
  hour: "hour",
  hours: "hour",
  minute: "minute",
  minutes: "minute",
  percent: "percent",
  dollar: "dollar",
  dollars: "dollar",
  euro: "euro",
  euros: "euro",
  century: "century",
  centuries: "century",
  decade: "decade",
  decades: "decade",
}));

export function unitOf(word: string): string | undefined {
  return UNIT_WORDS.get(word);
}

export const MONTHS: ReadonlyMap<string, number> = new Map(Object.entries({
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
}));

/** Cardinal number words. "one" is left out: it is a pronoun far more often than a count. */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(Object.entries({
  zero: 0,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
}));

export const SCALE_WORDS: ReadonlyMap<string, number> = new Map(Object.entries({
  hundred: 100,
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
  trillion: 1_000_000_000_000,
}));

/** Ordinal words. "first" and "last" are left out: they mostly mean order, not a count. */
export const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map(Object.entries({
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
  fortieth: 40,
  fiftieth: 50,
  hundredth: 100,
}));
