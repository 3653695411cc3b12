/**
 * A light, deterministic stemmer. Both the context and the response go
 * through it, so it only needs to be consistent, not linguistically right:
 * "located"/"locate", "directed"/"director", "wrote"/"written"/"write" must
 * meet, and nothing here may be slow (it runs on every token).
 */

/** Irregular forms mapped to a base form before suffix stripping. */
const IRREGULAR: Readonly<Record<string, string>> = {
  wrote: "write",
  written: "write",
  writes: "write",
  won: "win",
  began: "begin",
  begun: "begin",
  became: "become",
  made: "make",
  built: "build",
  sang: "sing",
  sung: "sing",
  led: "lead",
  held: "hold",
  grew: "grow",
  grown: "grow",
  knew: "know",
  known: "know",
  gave: "give",
  given: "give",
  took: "take",
  taken: "take",
  ran: "run",
  went: "go",
  gone: "go",
  bought: "buy",
  sold: "sell",
  taught: "teach",
  fought: "fight",
  thought: "think",
  told: "tell",
  drew: "draw",
  drawn: "draw",
  flew: "fly",
  flown: "fly",
  chose: "choose",
  chosen: "choose",
  spoke: "speak",
  spoken: "speak",
  stood: "stand",
  rose: "rise",
  risen: "rise",
  fell: "fall",
  fallen: "fall",
  met: "meet",
  paid: "pay",
  sent: "send",
  spent: "spend",
  lost: "lose",
  broke: "break",
  broken: "break",
  drove: "drive",
  driven: "drive",
  saw: "see",
  seen: "see",
  came: "come",
  said: "say",
  died: "die",
  dies: "die",
  dying: "die",
  children: "child",
  men: "man",
  women: "woman",
  people: "person",
  lives: "life",
  wives: "wife",
  feet: "foot",
  mice: "mouse",
  geese: "goose",
  teeth: "tooth",
  cities: "city",
  countries: "country",
};

const VOWEL = /[aeiouy]/;
const KEEP_DOUBLE = new Set(["l", "s", "z"]);

const cache = new Map<string, string>();
const CACHE_LIMIT = 20_000;

function undouble(word: string): string {
  const last = word.charAt(word.length - 1);
  if (word.length > 3 && last === word.charAt(word.length - 2) && !VOWEL.test(last) && !KEEP_DOUBLE.has(last)) {
    return word.slice(0, -1);
  }
  return word;
}

function stripSuffixes(input: string): string {
  let w = input;
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;

  // Plurals and third person.
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is") && w.length > 3) {
    w = w.slice(0, -1);
  }

  // Verb inflections.
  if (w.endsWith("ing") && w.length - 3 >= 3 && VOWEL.test(w.slice(0, -3))) {
    w = undouble(w.slice(0, -3));
  } else if (w.endsWith("ed") && w.length - 2 >= 3 && VOWEL.test(w.slice(0, -2))) {
    w = undouble(w.slice(0, -2));
  }

  // Agent nouns and comparatives ("director"/"directed", "older"/"old").
  if (w.endsWith("er") && w.length - 2 >= 3 && VOWEL.test(w.slice(0, -2))) {
    w = undouble(w.slice(0, -2));
  } else if (w.endsWith("or") && w.length - 2 >= 4) {
    w = w.slice(0, -2);
  }

  if (w.endsWith("ly") && w.length - 2 >= 4) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length >= 4) w = w.slice(0, -1);
  return w;
}

/** Stem of a lower-case, diacritic-free word. */
export function stem(word: string): string {
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const base = IRREGULAR[word] ?? word;
  const result = stripSuffixes(base);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, result);
  return result;
}
