/**
 * Word lists the grounding detector relies on. They are small on purpose:
 * every entry is a judgement about what carries a claim in English prose,
 * and a long list would quietly turn "not in the context" into "fine".
 */
import { stem } from "./stem.js";

/** Function words: they never carry a checkable claim on their own. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an the this that these those there here i me my mine we us our ours you your yours he him his she her hers " +
    "it its they them their theirs who whom whose which what whatever when where why how " +
    "is are was were be been being am do does did done doing have has had having will would shall should can could " +
    "may might must of in on at to for from by with within into onto upon about above below over under between among " +
    "through throughout during before after since until till against toward towards across along around behind beyond " +
    "and or but nor so yet if then than as because while although though whereas however also too very just even " +
    "still already again ever all any some each every both either few many much more most less least other another " +
    "such same own not no never s t up down out off thus therefore hence yes etc per via et al one's itself himself " +
    "herself themselves whom whose upon onto due back"
  ).split(/\s+/),
);

/**
 * Words that frame a claim without adding a fact ("is located in", "is known
 * as", "according to the context"). An answer may add them freely.
 */
export const LIGHT_WORDS: ReadonlySet<string> = new Set(
  (
    "known called located situated based stands stood lies sits considered regarded described referred currently " +
    "originally actually " +
    "really indeed mainly mostly primarily generally usually typically often widely notably especially particularly " +
    "namely respectively approximately roughly exactly precisely nearly almost some according context text passage " +
    "document source information provided mention mentioned mentions stated says say said indicates indicate answer " +
    "question reference given following specifically simply only " +
    // Verbs too general to carry a fact on their own ("became a World Heritage Site", "came out in 2008").
    "become became make made come came go goes went get got take took give gave put keep kept turn remain stay seem happen occur"
  )
    .split(/\s+/)
    .map(stem),
);

/** Words that negate the predicate they sit next to. */
export const NEGATORS: ReadonlySet<string> = new Set([
  "not",
  "no",
  "never",
  "none",
  "neither",
  "nor",
  "nobody",
  "nothing",
  "nowhere",
  "cannot",
]);

/** Titles that may be added to or dropped from a name without changing who it is. */
export const HONORIFICS: ReadonlySet<string> = new Set([
  "sir",
  "mr",
  "mrs",
  "ms",
  "miss",
  "dr",
  "prof",
  "dame",
  "jr",
  "sr",
]);

/** Lower-case words allowed inside a proper name ("Kings of Leon", "Ludwig van Beethoven"). */
export const NAME_CONNECTORS: ReadonlySet<string> = new Set([
  "of",
  "the",
  "de",
  "da",
  "del",
  "della",
  "di",
  "du",
  "la",
  "le",
  "van",
  "von",
  "der",
  "den",
  "dos",
  "das",
  "y",
  "for",
  "on",
  "upon",
]);

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

/**
 * Groups of words that state the same relation or thing. A response word is
 * grounded when the context holds any word of one of its groups. Demonyms
 * sit with their country ("American" / "America").
 */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ["born", "birth", "birthplace", "native"],
  ["die", "death", "dead", "deceased"],
  ["locate", "situate", "lie", "sit", "stand", "base", "headquarter", "headquarters", "home", "seat"],
  ["found", "founder", "establish", "form", "start", "create", "launch", "incorporate", "begin", "commence", "originate", "inception"],
  ["write", "writer", "author", "pen", "compose"],
  ["compose", "composer", "songwriter", "write"],
  ["direct", "director", "helm", "filmmaker"],
  ["produce", "producer", "production"],
  ["star", "act", "actor", "actress", "appear", "feature", "play", "portray", "role", "cast"],
  ["sing", "singer", "vocal", "vocalist", "perform", "performer", "frontman", "frontwoman"],
  ["release", "publish", "issue", "debut", "premiere", "air", "broadcast", "launch", "publication"],
  ["complete", "finish", "build", "construct", "erect", "open"],
  ["win", "award", "receive", "earn"],
  // Direction of a change ("up 12%" = "grew 12%"); the opposite direction stays unsupported.
  ["increase", "rise", "grow", "growth", "gain", "climb", "jump", "up", "higher", "raise"],
  ["decrease", "fall", "drop", "decline", "shrink", "reduce", "reduction", "down", "lower", "slip"],
  ["return", "refund"],
  ["large", "big", "huge", "vast"],
  ["small", "little", "tiny"],
  ["city", "town", "municipality"],
  ["country", "nation"],
  ["company", "firm", "business", "corporation", "enterprise", "conglomerate"],
  ["film", "movie", "picture"],
  ["song", "single", "track", "tune"],
  ["album", "record", "lp"],
  ["show", "series", "programme", "program", "sitcom"],
  ["book", "novel"],
  ["end", "finish", "conclude", "close", "cease"],
  ["child", "kid"],
  ["buy", "purchase", "acquire", "acquisition"],
  ["make", "manufacture", "produce", "create"],
  ["old", "age", "aged"],
  ["famous", "know", "renowned", "notable", "noted", "celebrated", "prominent", "fame"],
  ["team", "club", "franchise"],
  ["lead", "leader", "head", "chief", "chair"],
  ["marry", "married", "marriage", "spouse"],
  ["teach", "teacher", "lecturer", "lecture"],
  ["study", "student", "attend", "graduate", "alumnus", "educate"],
  ["use", "utilize"],
  ["employ", "employee", "staff", "worker", "workforce"],
  ["include", "contain", "comprise", "consist", "feature"],
  ["kill", "murder", "slay", "assassinate"],
  ["name", "call", "title", "dub", "nickname"],
  ["member", "part", "belong"],
  ["sell", "sale"],
  ["near", "close", "nearby", "adjacent", "next"],
  ["north", "northern"],
  ["south", "southern"],
  ["east", "eastern"],
  ["west", "western"],
  ["ingredient", "component"],
  ["american", "america", "usa", "us"],
  ["british", "britain", "uk"],
  ["english", "england"],
  ["scottish", "scotland", "scot", "scots"],
  ["welsh", "wales"],
  ["irish", "ireland"],
  ["french", "france"],
  ["german", "germany"],
  ["italian", "italy"],
  ["spanish", "spain"],
  ["portuguese", "portugal"],
  ["dutch", "netherlands", "holland"],
  ["belgian", "belgium"],
  ["swiss", "switzerland"],
  ["austrian", "austria"],
  ["swedish", "sweden", "swede"],
  ["norwegian", "norway"],
  ["danish", "denmark", "dane"],
  ["finnish", "finland"],
  ["polish", "poland"],
  ["russian", "russia"],
  ["ukrainian", "ukraine"],
  ["greek", "greece"],
  ["turkish", "turkey"],
  ["chinese", "china"],
  ["japanese", "japan"],
  ["korean", "korea"],
  ["indian", "india"],
  ["pakistani", "pakistan"],
  ["australian", "australia"],
  ["canadian", "canada"],
  ["mexican", "mexico"],
  ["brazilian", "brazil"],
  ["argentine", "argentinian", "argentina"],
  ["egyptian", "egypt"],
  ["israeli", "israel"],
  ["iranian", "iran"],
  ["filipino", "philippines"],
  ["vietnamese", "vietnam"],
  ["nigerian", "nigeria"],
  ["czech", "czechia"],
  ["hungarian", "hungary"],
  ["romanian", "romania"],
  ["cuban", "cuba"],
  ["jamaican", "jamaica"],
  ["chilean", "chile"],
  ["colombian", "colombia"],
  ["peruvian", "peru"],
  ["armenian", "armenia"],
];

/** Two-word phrases that mean one group's word ("United States" = "America"). */
const PHRASE_SYNONYMS: readonly (readonly [string, string, string])[] = [
  ["united", "states", "america"],
  ["united", "kingdom", "britain"],
  ["great", "britain", "britain"],
  ["head", "office", "headquarters"],
  ["passed", "away", "die"],
  ["set", "up", "found"],
  ["came", "out", "release"],
  ["best", "known", "famous"],
  ["well", "known", "famous"],
];

function buildGroupIndex(): Map<string, number[]> {
  const index = new Map<string, number[]>();
  SYNONYM_GROUPS.forEach((group, id) => {
    for (const word of group) {
      const key = stem(word);
      const ids = index.get(key);
      if (ids === undefined) index.set(key, [id]);
      else if (!ids.includes(id)) ids.push(id);
    }
  });
  return index;
}

const GROUPS_BY_STEM = buildGroupIndex();
const NO_GROUPS: readonly number[] = [];

/** Synonym group ids a stem belongs to (empty when it has no listed synonyms). */
export function synonymGroups(stemmed: string): readonly number[] {
  return GROUPS_BY_STEM.get(stemmed) ?? NO_GROUPS;
}

const PHRASE_INDEX: ReadonlyMap<string, string> = new Map(
  PHRASE_SYNONYMS.map(([first, second, meaning]) => [`${first} ${second}`, stem(meaning)]),
);

/** The stem a two-word phrase stands for, if it is a listed phrase. */
export function phraseSynonym(first: string, second: string): string | undefined {
  return PHRASE_INDEX.get(`${first} ${second}`);
}

/** Canonical unit for a unit word, so "km", "kilometres" and "kilometers" compare equal. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
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
};

export function unitOf(word: string): string | undefined {
  return UNIT_WORDS[word];
}

export const MONTHS: Readonly<Record<string, number>> = {
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
};

/** Cardinal number words. "one" is left out: it is a pronoun far more often than a count. */
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
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
};

export const SCALE_WORDS: Readonly<Record<string, number>> = {
  hundred: 100,
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
  trillion: 1_000_000_000_000,
};

/** Ordinal words. "first" and "last" are left out: they mostly mean order, not a count. */
export const ORDINAL_WORDS: Readonly<Record<string, number>> = {
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
};
