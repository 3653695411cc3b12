/**
 * Whether the answer gives what the question asks for. An answer can be
 * made only of words the context contains and still answer wrongly: "Yes,
 * both are American" when the context makes one of them Dutch, "Germany"
 * for "what city", a sentence with no number for "how many". These checks
 * read the question's form (question-kinds.ts) and hold the answer's
 * choice and polarity against what the context says of each candidate.
 */
import type { ResponseText } from "./claims.js";
import type { ContextIndex, ContextSentence } from "./context-index.js";
import type { EntityMention } from "./entities.js";
import { STRENGTH, type Finding } from "./findings.js";
import { LIGHT_WORDS, STOPWORDS } from "./function-words.js";
import { HONORIFICS, NAME_CONNECTORS } from "./name-words.js";
import { isNegated } from "./negation.js";
import { isCountryOrState } from "./places.js";
import type { Quantity } from "./quantities.js";
import type { AskedFor } from "./question-kinds.js";
import type { QueryFacts } from "./query-facts.js";
import { nationalityOf } from "./synonyms.js";
import { tokenize } from "./tokens.js";
import { mentions } from "./vocabulary.js";

export interface AnswerParts {
  readonly entities: readonly EntityMention[];
  readonly quantities: readonly Quantity[];
}

/** Words a "both"/"same" question adds around what it asks about ("both", "considered", "type of"). */
const ASKING_WORDS: ReadonlySet<string> = new Set(["both", "type", "kind", "sort", "form", "each", "two"]);
/** Answers to "how many" that give a count without a digit. */
const COUNT_WORDS: ReadonlySet<string> = new Set(["none", "no", "zero", "one", "single", "once", "twice", "dozen", "dozens", "hundreds", "thousands", "millions"]);
const NATIONALITY_ATTRIBUTES: ReadonlySet<string> = new Set(["nationality", "country", "country of origin", "citizenship", "nation"]);

function keyStems(text: string): string[] {
  return tokenize(text)
    .filter((t) => !STOPWORDS.has(t.norm) && !HONORIFICS.has(t.norm) && !NAME_CONNECTORS.has(t.norm))
    .map((t) => t.stem);
}

/** Context sentences about the option: naming it in full (or by pronoun), else by its last word. */
function sentencesAbout(option: string, context: ContextIndex): ContextSentence[] {
  const stems = keyStems(option);
  const last = stems[stems.length - 1];
  if (last === undefined) return [];
  const about = (s: ContextSentence, stem: string): boolean => s.stems.has(stem) || s.subjectStems.has(stem);
  const full = context.sentences.filter((s) => stems.every((stem) => about(s, stem)));
  return full.length > 0 ? full : context.sentences.filter((s) => about(s, last));
}

type Polarity = "yes" | "no" | undefined;

/** "Yes, ..." / "No, ..."; without a particle, "both ..." says yes and a negated answer says no. */
function polarityOf(response: ResponseText): Polarity {
  const opener = response.tokens[0];
  if (opener !== undefined && response.particle[0] === 1) {
    if (opener.norm === "yes" || opener.norm === "yeah" || opener.norm === "correct" || opener.norm === "true") return "yes";
    if (opener.norm === "no" || opener.norm === "nope" || opener.norm === "incorrect" || opener.norm === "false") return "no";
  }
  if (isNegated(response.tokens)) return "no";
  if (response.tokens.some((t) => t.norm === "both")) return "yes";
  return undefined;
}

function finding(response: ResponseText, text: string, reason: string): Finding {
  const at = response.text.indexOf(text);
  return { kind: "question", text, reason, strength: STRENGTH.question, start: Math.max(0, at) };
}

function opening(response: ResponseText): string {
  return response.text.trim().split(/[,.;!]/)[0]?.trim() || response.text.trim();
}

function checkBoth(response: ResponseText, asked: Extract<AskedFor, { kind: "both" }>, context: ContextIndex): Finding[] {
  const attribute = tokenize(asked.attribute)
    .filter((t) => !STOPWORDS.has(t.norm) && !LIGHT_WORDS.has(t.stem) && !ASKING_WORDS.has(t.norm))
    .map((t) => t.stem);
  const [a, b] = asked.options;
  const aboutA = sentencesAbout(a, context);
  const aboutB = sentencesAbout(b, context);
  if (attribute.length === 0 || aboutA.length === 0 || aboutB.length === 0) return [];
  const states = (sentences: readonly ContextSentence[], stem: string): boolean => sentences.some((s) => mentions(s.vocabulary, stem));
  const missingA = attribute.filter((s) => !states(aboutA, s));
  const missingB = attribute.filter((s) => !states(aboutB, s));
  const polarity = polarityOf(response);
  const described = `both ${asked.attribute}`;

  if (polarity === "no" && missingA.length === 0 && missingB.length === 0) {
    return [finding(response, opening(response), `the question asks whether ${a} and ${b} are ${described}; the context says that of both, so the answer is "yes"`)];
  }
  if (polarity !== "yes") return [];
  // "Yes" needs the context to say it of each; it is contradicted when the context says it of one side only.
  for (const [lacking, missing, other] of [
    [a, missingA, aboutB],
    [b, missingB, aboutA],
  ] as const) {
    if (missing.length === 0 || !missing.every((s) => states(other, s))) continue;
    const otherName = lacking === a ? b : a;
    return [
      finding(
        response,
        opening(response),
        `the question asks whether ${a} and ${b} are ${described}; the context says that of ${otherName} but not of ${lacking}, so the answer is not "yes"`,
      ),
    ];
  }
  return [];
}

/** The nationality the context gives the option: the first demonym after it names the option ("a Scottish-Australian singer"). */
function nationalityAfter(option: string, sentences: readonly ContextSentence[], context: ContextIndex): Set<number> {
  const found = new Set<number>();
  const first = sentences[0];
  if (first === undefined) return found;
  const optionStems = new Set(keyStems(option));
  const tokens = context.tokens;
  // From the end of the option's first mention (the sentence's start when it names the option by a pronoun).
  let start = first.first;
  while (start < first.last && !optionStems.has(tokens[start]?.stem ?? "")) start++;
  while (start < first.last && optionStems.has(tokens[start]?.stem ?? "")) start++;
  if (start >= first.last) start = first.first;
  for (let i = start; i < first.last; i++) {
    const nationality = nationalityOf(tokens[i]?.stem ?? "");
    if (nationality === undefined) continue;
    found.add(nationality);
    // "Scottish-Australian": a demonym joined by a hyphen is part of the same nationality.
    for (let j = i + 1; j < first.last && context.text.slice(tokens[j - 1]?.end ?? 0, tokens[j]?.start ?? 0) === "-"; j++) {
      const joined = nationalityOf(tokens[j]?.stem ?? "");
      if (joined !== undefined) found.add(joined);
    }
    break;
  }
  return found;
}

function firstYear(sentences: readonly ContextSentence[]): number | undefined {
  for (const sentence of sentences) {
    for (const q of sentence.quantities) {
      if (q.kind === "date" && q.year !== undefined) return q.year;
      if (q.kind === "number" && Number.isInteger(q.value) && q.value >= 1000 && q.value <= 2199) return q.value;
    }
  }
  return undefined;
}

function checkSame(response: ResponseText, asked: Extract<AskedFor, { kind: "same" }>, context: ContextIndex): Finding[] {
  const [a, b] = asked.options;
  const aboutA = sentencesAbout(a, context);
  const aboutB = sentencesAbout(b, context);
  if (aboutA.length === 0 || aboutB.length === 0 || aboutA[0] === aboutB[0]) return [];
  let same: boolean;
  let facts: string;
  if (NATIONALITY_ATTRIBUTES.has(asked.attribute)) {
    const ofA = nationalityAfter(a, aboutA, context);
    const ofB = nationalityAfter(b, aboutB, context);
    if (ofA.size === 0 || ofB.size === 0) return [];
    same = [...ofA].some((n) => ofB.has(n));
    facts = `the context gives different nationalities for ${a} and ${b}`;
    if (same) facts = `the context gives ${a} and ${b} the same nationality`;
  } else if (asked.attribute === "year") {
    const yearA = firstYear(aboutA);
    const yearB = firstYear(aboutB);
    if (yearA === undefined || yearB === undefined) return [];
    same = yearA === yearB;
    facts = `the context gives ${a}: ${yearA} and ${b}: ${yearB}`;
  } else {
    return [];
  }
  const polarity = polarityOf(response);
  if (polarity === undefined || (polarity === "yes") === same) return [];
  return [finding(response, opening(response), `the question asks whether ${a} and ${b} share the same ${asked.attribute}; ${facts}, so the answer is "${same ? "yes" : "no"}"`)];
}

const QUESTION_WORDS: ReadonlySet<string> = new Set(["which", "what", "who", "whom", "whose"]);

/**
 * The candidate the answer picks must be the one the context says the
 * question's words of: "Which species is native to South America?" is
 * answered by the species whose sentences say "South America".
 */
function checkChoice(response: ResponseText, asked: Extract<AskedFor, { kind: "choice" }>, context: ContextIndex): Finding[] {
  const [a, b] = asked.options;
  const stemsA = keyStems(a);
  const stemsB = keyStems(b);
  const onlyA = stemsA.filter((s) => !stemsB.includes(s));
  const onlyB = stemsB.filter((s) => !stemsA.includes(s));
  const says = (only: readonly string[]): boolean => only.length > 0 && response.tokens.some((t) => only.includes(t.stem));
  const saysA = says(onlyA);
  const saysB = says(onlyB);
  if (saysA === saysB) return [];
  const aboutA = sentencesAbout(a, context);
  const aboutB = sentencesAbout(b, context);
  if (aboutA.length === 0 || aboutB.length === 0 || aboutA.some((s) => aboutB.includes(s))) return [];
  const asking = tokenize(asked.asked)
    .filter((t) => !STOPWORDS.has(t.norm) && !LIGHT_WORDS.has(t.stem) && !QUESTION_WORDS.has(t.norm))
    .map((t) => t.stem);
  // "Which species ..." names the kind both candidates are: it tells them apart from nothing.
  const kind = /^\s*(?:which|what)\s+(\S+)/i.exec(asked.asked)?.[1];
  if (kind !== undefined) asking.splice(0, asking[0] === tokenize(kind)[0]?.stem ? 1 : 0);
  const states = (sentences: readonly ContextSentence[], stem: string): boolean => sentences.some((s) => mentions(s.vocabulary, stem));
  // Only words the context says of one candidate tell them apart.
  const ofA = asking.filter((s) => states(aboutA, s) && !states(aboutB, s));
  const ofB = asking.filter((s) => states(aboutB, s) && !states(aboutA, s));
  // "A is not ..." picks B.
  const picksA = saysA !== isNegated(response.tokens);
  const [picked, other, pickedWords, otherWords] = picksA ? [a, b, ofA, ofB] : [b, a, ofB, ofA];
  if (pickedWords.length > 0 || otherWords.length === 0) return [];
  const words = [...new Set(otherWords)].slice(0, 3).join(", ");
  return [
    finding(
      response,
      opening(response),
      `the question asks which of ${a} and ${b}${asked.asked.trim() === "" ? "" : ` ${asked.asked.trim().replace(/^(?:which|what|who)\s+/i, "")}`}; the context says that (${words}) of ${other}, not of ${picked}`,
    ),
  ];
}

/** Names of the answer the question does not already give. */
function newNames(parts: AnswerParts, query: QueryFacts): EntityMention[] {
  return parts.entities.filter((e) => !e.keyTokens.every((t) => query.stems.has(t.stem)));
}

function checkAskedType(response: ResponseText, asked: AskedFor, query: QueryFacts, parts: AnswerParts): Finding[] {
  const whole = response.text.trim().replace(/[.!]+$/, "");
  switch (asked.kind) {
    case "count": {
      const counted = parts.quantities.some((q) => q.kind === "number") || response.tokens.some((t) => COUNT_WORDS.has(t.norm));
      return counted ? [] : [finding(response, whole, `the question asks how many; the answer gives no number`)];
    }
    case "year": {
      const dated = parts.quantities.some((q) => q.kind === "date" || q.kind === "decade" || q.kind === "ordinal" || (q.kind === "number" && q.value >= 100));
      return dated ? [] : [finding(response, whole, `the question asks when; the answer gives no date or year`)];
    }
    case "town": {
      const names = newNames(parts, query);
      if (names.length === 0 || !names.every((e) => isCountryOrState(e.keyTokens.map((t) => t.norm), e.keyTokens.map((t) => t.stem)))) return [];
      const named = names.map((e) => e.text).join(", ");
      return [finding(response, names[0]?.text ?? whole, `the question asks for a ${asked.unit}; the answer names only ${named}, a country or state`)];
    }
    case "person": {
      if (newNames(parts, query).length > 0 || response.tokens.every((t, i) => response.particle[i] === 1 || STOPWORDS.has(t.norm))) return [];
      return [finding(response, whole, `the question asks who; the answer names no one the question does not already name`)];
    }
    default:
      return [];
  }
}

/**
 * @param comparisonJudged the question's comparison was already settled from the context
 */
export function checkQuestion(
  response: ResponseText,
  context: ContextIndex,
  query: QueryFacts | undefined,
  parts: AnswerParts,
  comparisonJudged: boolean,
): Finding[] {
  const asked = query?.asked;
  if (query === undefined || asked === undefined || comparisonJudged) return [];
  if (asked.kind === "both") return checkBoth(response, asked, context);
  if (asked.kind === "same") return checkSame(response, asked, context);
  // A comparison the context could not settle ("more members") is not settled by words either.
  if (asked.kind === "choice") return query.comparison === undefined ? checkChoice(response, asked, context) : [];
  return checkAskedType(response, asked, query, parts);
}
