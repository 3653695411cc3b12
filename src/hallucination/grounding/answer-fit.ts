/**
 * Whether the thing an answer names is the kind of thing, or the very thing,
 * the question describes. Three readings of the question, each held against
 * what the context says:
 *
 * - A "who" question about a person (it says "he", "she", "born" ...) is not
 *   answered by a gym, a college or a town: a name whose head word is an
 *   institution's ("Mike's Gym"), a country or state, or a name the context
 *   writes after "in" / "at" (a place).
 * - "What retailer is the second-largest in the United States?": where the
 *   context identifies "X is the second-largest ... in the United States", the
 *   answer must name X, not another name ("behind Walmart").
 * - "What was the event officially known as?": where the context writes
 *   "officially known as the 23rd Summer Deaflympics", the answer must give
 *   (most of) that name.
 *
 * Each check returns findings of kind "question"; none keeps state.
 */
import type { ResponseText } from "./claims.js";
import type { ContextIndex, ContextSentence } from "./context-index.js";
import type { EntityMention } from "./entities.js";
import { STRENGTH, type Finding } from "./findings.js";
import { STOPWORDS } from "./function-words.js";
import { isCountryOrState } from "./places.js";
import type { QueryFacts } from "./query-facts.js";
import { tokenize, type Token } from "./tokens.js";

/** The question says the one asked about is a person. */
const PERSON_CUE = /\b(?:he|she|his|her|him|himself|herself|born|died|married|wife|husband)\b/i;
/** Head words of names that are institutions, buildings or places, never people. */
const NON_PERSON_HEADS: ReadonlySet<string> = new Set(
  (
    "gym club company corporation inc ltd llc group university college school academy institute records studios airport " +
    "stadium arena hospital cathedral museum theatre theater hotel railway airlines association society league festival " +
    "magazine newspaper network county province district"
  ).split(" "),
);
/** Prepositions that put the name after them in a place. */
const LOCATIVE: ReadonlySet<string> = new Set(["in", "at"]);

const SUPERLATIVES =
  "largest|biggest|oldest|youngest|longest|shortest|highest|lowest|tallest|smallest|greatest|best|worst|earliest|latest|" +
  "fastest|deepest|widest|richest|busiest|heaviest|nearest|closest|newest|strongest|most|least";
const ORDINALS = "second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth";
/** "What retailer is the second-largest in ...": the wh-noun, the ordinal, the superlative and what follows. */
const SUPERLATIVE_QUESTION = new RegExp(
  `^\\s*(?:what|which|who)\\s+(?:(\\w+)\\s+)?(?:\\w+\\s+){0,2}?(?:is|was|are|were)\\s+the\\s+(?:(${ORDINALS})[\\s-]+)?(${SUPERLATIVES})\\b(.*)$`,
  "i",
);
const COPULAS: ReadonlySet<string> = new Set(["is", "was", "are", "were", "remains", "remained"]);

/** "... officially known as?": the question asks for the name the context gives after the cue. */
const NAMED_AS =
  /\b(?:(officially|also|commonly|better|popularly|formerly|originally|sometimes|often|usually)\s+)?(known\s+as|called|named|nicknamed|dubbed|referred\s+to\s+as)\s*[?.!]*\s*$/i;
/** Where a name given after the cue ends. */
const NAME_END = /[,.;:()[\]]|\s(?:and|which|who|is|was|are|were|in|from|by)\s/;

function question(response: ResponseText, text: string, reason: string): Finding {
  const at = response.text.indexOf(text);
  return { kind: "question", text, reason, strength: STRENGTH.question, start: Math.max(0, at) };
}

function whole(response: ResponseText): string {
  return response.text.trim().replace(/[.!]+$/, "");
}

/** Names of the answer the question does not already give. */
function newNames(entities: readonly EntityMention[], query: QueryFacts): EntityMention[] {
  return entities.filter((e) => !e.keyTokens.every((t) => query.stems.has(t.stem)));
}

/** The context writes the name right after "in" or "at" (not as a possessive: "in Hitchcock's film"). */
function placedInContext(entity: EntityMention, context: ContextIndex): boolean {
  const stems = entity.keyTokens.map((t) => t.stem);
  return context.entities.some((e) => {
    if (e.keyTokens.length !== stems.length || !e.keyTokens.every((t, i) => t.stem === stems[i])) return false;
    const before = context.tokens[e.first - 1];
    const last = context.tokens[e.last - 1];
    return before !== undefined && LOCATIVE.has(before.norm) && !/['’]s?$/.test(last?.text ?? "") && !/['’]s\b/.test(context.text.slice(last?.end ?? 0, (last?.end ?? 0) + 2));
  });
}

function isNonPerson(entity: EntityMention, context: ContextIndex): boolean {
  const head = entity.keyTokens[entity.keyTokens.length - 1];
  if (head !== undefined && NON_PERSON_HEADS.has(head.norm)) return true;
  if (isCountryOrState(entity.keyTokens.map((t) => t.norm), entity.keyTokens.map((t) => t.stem))) return true;
  return placedInContext(entity, context);
}

/** "Who ... he ...?" answered only by names of places or institutions. */
export function checkPersonAnswer(response: ResponseText, context: ContextIndex, query: QueryFacts, queryText: string, entities: readonly EntityMention[]): Finding[] {
  if (query.asked?.kind !== "person" || !PERSON_CUE.test(queryText)) return [];
  const names = newNames(entities, query);
  if (names.length === 0 || !names.every((e) => isNonPerson(e, context))) return [];
  const named = names.map((e) => e.text).join(", ");
  return [question(response, whole(response), `the question asks who (a person); the answer names only ${named}, a place or an institution`)];
}

function contentStems(tokens: readonly Token[]): string[] {
  return tokens.filter((t) => !STOPWORDS.has(t.norm) && !t.numeric).map((t) => t.stem);
}

interface Subject {
  readonly text: string;
  readonly stems: readonly string[];
}

/**
 * The name right before the copula of "X is the second-largest ...": a name of
 * the context ending there, or the capitalised words opening the sentence
 * ("Chicago is the largest city ...", a lone opener the name scan leaves out).
 */
function subjectBefore(copula: number, sentence: ContextSentence, context: ContextIndex): Subject | undefined {
  const named = context.entities.find((e) => e.last === copula && e.first >= sentence.first);
  if (named !== undefined) return { text: named.text, stems: named.keyTokens.map((t) => t.stem) };
  const opening = context.tokens.slice(sentence.first, copula);
  const first = opening[0];
  const last = opening[opening.length - 1];
  if (first === undefined || last === undefined || opening.length > 4 || !opening.every((t) => t.capitalized && !STOPWORDS.has(t.norm))) return undefined;
  return { text: context.text.slice(first.start, last.end), stems: opening.map((t) => t.stem) };
}

/** Subjects the context gives the question's superlative ("X is the second-largest ... retailer in the United States"). */
function superlativeSubjects(match: RegExpExecArray, context: ContextIndex): { subjects: Subject[]; phrase: string } {
  const [, noun, ordinal, superlative, rest] = match;
  const wanted = [...(noun !== undefined && !STOPWORDS.has(noun.toLowerCase()) ? contentStems(tokenize(noun)) : []), ...contentStems(tokenize(rest ?? "")).slice(0, 2)];
  const phrase = `${ordinal === undefined ? "" : `${ordinal.toLowerCase()}-`}${(superlative ?? "").toLowerCase()}`;
  const subjects: Subject[] = [];
  const { tokens } = context;
  for (const sentence of context.sentences) {
    if (!wanted.every((s) => sentence.stems.has(s))) continue;
    for (let i = sentence.first; i < sentence.last; i++) {
      if (tokens[i]?.norm !== superlative?.toLowerCase()) continue;
      if (ordinal !== undefined && tokens[i - 1]?.norm !== ordinal.toLowerCase()) continue;
      // "X is the (second-)largest", "X was the most ...": the copula within four words before.
      const from = i - (ordinal === undefined ? 1 : 2);
      for (let c = from; c >= Math.max(sentence.first, from - 3); c--) {
        if (!COPULAS.has(tokens[c]?.norm ?? "")) continue;
        const subject = subjectBefore(c, sentence, context);
        if (subject !== undefined) subjects.push(subject);
        break;
      }
    }
  }
  return { subjects, phrase };
}

const shares = (a: Subject, b: Subject): boolean => a.stems.some((s) => b.stems.includes(s));
const asSubject = (e: EntityMention): Subject => ({ text: e.text, stems: e.keyTokens.map((t) => t.stem) });

/** "What retailer is the second-largest ...?" answered with a name other than the one the context says it of. */
export function checkSuperlativeAnswer(response: ResponseText, context: ContextIndex, query: QueryFacts, queryText: string, entities: readonly EntityMention[]): Finding[] {
  const match = SUPERLATIVE_QUESTION.exec(queryText);
  if (match === null) return [];
  const names = newNames(entities, query);
  if (names.length === 0) return [];
  const { subjects, phrase } = superlativeSubjects(match, context);
  const subject = subjects[0];
  // One thing, named the same way every time, is what the context calls that.
  if (subject === undefined || !subjects.every((s) => shares(s, subject))) return [];
  if (names.some((n) => shares(asSubject(n), subject))) return [];
  const named = names.map((e) => e.text).join(", ");
  return [question(response, names[0]?.text ?? whole(response), `the question asks what is the ${phrase}; the context says that of ${subject.text}, not of ${named}`)];
}

/** "What was the event officially known as?" answered without the name the context gives after "officially known as". */
export function checkNamedAsAnswer(response: ResponseText, context: ContextIndex, queryText: string): Finding[] {
  const cue = NAMED_AS.exec(queryText);
  if (cue === null) return [];
  const verb = (cue[2] ?? "").toLowerCase().replace(/\s+/g, "\\s+");
  const adverb = cue[1]?.toLowerCase();
  const find = (withAdverb: boolean) => [...context.text.matchAll(new RegExp(`\\b${withAdverb && adverb !== undefined ? `${adverb}\\s+` : ""}${verb}\\s+`, "gi"))];
  const withAdverb = find(true);
  const cues = withAdverb.length > 0 ? withAdverb : find(false);
  const candidates = cues
    .map((m) => {
      const after = context.text.slice(m.index + m[0].length, m.index + m[0].length + 120);
      const end = after.search(NAME_END);
      const name = end === -1 ? after : after.slice(0, end);
      // Figures count here: "the 23rd Summer Deaflympics" is not "the Summer Deaflympics".
      return { text: name.trim(), stems: tokenize(name).filter((t) => !STOPWORDS.has(t.norm)).map((t) => t.stem).slice(0, 6) };
    })
    .filter((c) => c.stems.length > 0);
  if (candidates.length === 0) return [];
  const said = new Set(response.tokens.map((t) => t.stem));
  // Most of one of the names the context gives: "the 23rd Summer Deaflympics" for "officially known as".
  if (candidates.some((c) => c.stems.filter((s) => said.has(s)).length * 2 >= c.stems.length)) return [];
  const given = candidates.map((c) => `"${c.text}"`).slice(0, 2).join(" or ");
  return [question(response, whole(response), `the question asks what it is ${(cue[0] ?? "").replace(/[?.!\s]+$/, "").trim()}; the context gives ${given}, which the answer does not give`)];
}
