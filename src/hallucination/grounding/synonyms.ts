/**
 * Words that state the same relation or thing, so that a faithful rewording
 * ("started" for "founded") is grounded. Small on purpose: a long list would
 * quietly turn "not in the context" into "fine".
 */
import { stem } from "./stem.js";

/**
 * Groups of words that state the same relation or thing. A response word is
 * grounded when the context holds any word of one of its groups.
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
  ["largest", "biggest"],
  ["small", "little", "tiny"],
  ["smallest", "tiniest"],
  ["television", "tv"],
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
];

/** Demonyms with their country ("American" / "America"): one group per nationality. */
const NATIONALITY_GROUPS: readonly (readonly string[])[] = [
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

const ALL_GROUPS: readonly (readonly string[])[] = [...SYNONYM_GROUPS, ...NATIONALITY_GROUPS];

function buildGroupIndex(): ReadonlyMap<string, readonly number[]> {
  const index = new Map<string, number[]>();
  ALL_GROUPS.forEach((group, id) => {
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

/** The nationality a stem names ("american", "america", "usa" → one id), if it names one. */
export function nationalityOf(stemmed: string): number | undefined {
  return synonymGroups(stemmed).find((id) => id >= SYNONYM_GROUPS.length);
}

const PHRASE_INDEX: ReadonlyMap<string, string> = new Map(
  PHRASE_SYNONYMS.map(([first, second, meaning]) => [`${first} ${second}`, stem(meaning)]),
);

/** The stem a two-word phrase stands for, if it is a listed phrase. */
export function phraseSynonym(first: string, second: string): string | undefined {
  return PHRASE_INDEX.get(`${first} ${second}`);
}
