/**
 * Comparison questions ("Who was born first, A or B?", "Is A older than B?").
 * Every word of a wrong answer ("B was born first.") can be in the context,
 * so the only way to catch it is to work the comparison out from the dates or
 * counts the context gives for A and B, and see which side the answer took.
 */
import type { ContextIndex } from "./context-index.js";
import { STOPWORDS } from "./function-words.js";
import { HONORIFICS, NAME_CONNECTORS } from "./name-words.js";
import { isNegated } from "./negation.js";
import type { Quantity } from "./quantities.js";
import { stem } from "./stem.js";
import { tokenize, type Token } from "./tokens.js";

export type ComparisonDirection = "earlier" | "later" | "more" | "less";

export interface ComparisonQuestion {
  readonly options: readonly [string, string];
  /** The direction as the question words it ("older" is "earlier"). */
  readonly direction: ComparisonDirection;
  /** Whether the smaller date or number is the answer (earlier, fewer, a higher rank). */
  readonly smallerWins: boolean;
  /** "choice": "A or B?"; "than": "Is A older than B?" (answered yes or no). */
  readonly form: "choice" | "than";
  /** For "more members": the stem of the thing counted. */
  readonly countedStem: string | undefined;
  /** The question's own wording of the comparison ("born first", "older"). */
  readonly phrase: string;
}

const DIRECTION_WORDS: Readonly<Record<ComparisonDirection, ReadonlySet<string>>> = {
  earlier: new Set(["first", "earlier", "earliest", "older", "oldest", "elder", "before", "sooner", "preceded", "predates"]),
  later: new Set(["later", "latest", "younger", "youngest", "newer", "newest", "after", "recent", "recently", "last"]),
  more: new Set(["more", "most", "larger", "largest", "bigger", "biggest", "greater", "higher", "highest", "taller", "tallest", "longer", "longest", "heavier"]),
  less: new Set(["fewer", "fewest", "less", "least", "smaller", "smallest", "lower", "lowest", "shorter", "shortest", "lighter"]),
};

const OPPOSITE: Readonly<Record<ComparisonDirection, ComparisonDirection>> = {
  earlier: "later",
  later: "earlier",
  more: "less",
  less: "more",
};

/** Every word that states a direction, stemmed: answers may use any of them. */
export const COMPARISON_STEMS: ReadonlySet<string> = new Set(
  Object.values(DIRECTION_WORDS).flatMap((words) => [...words].map(stem)),
);

const KEYWORD =
  /\b(more recent(?:ly)?|most recent(?:ly)?|first|earlier|earliest|older|oldest|elder|sooner|later|latest|younger|youngest|newer|newest|more|most|fewer|fewest|less|larger|largest|bigger|biggest|greater|higher|highest|taller|tallest|longer|longest|heavier|smaller|smallest|lower|lowest|shorter|shortest|lighter)\b/i;

function directionOf(keyword: string): ComparisonDirection | undefined {
  const word = keyword.toLowerCase().split(/\s+/)[0] ?? "";
  if (/^(?:more|most) recent/i.test(keyword)) return "later";
  for (const direction of ["earlier", "later", "more", "less"] as const) {
    if (DIRECTION_WORDS[direction].has(word)) return direction;
  }
  return undefined;
}

function cleanOption(raw: string): string {
  return raw
    .replace(/^[\s,:;–-]+|[\s,:;?.!–-]+$/g, "")
    .replace(/^["“]|["”]$/g, "")
    .trim();
}

/** Leading words before a name in "Was A or B ...": auxiliaries, wh-words. */
function stripLeadingLowercase(text: string): string {
  const words = text.trim().split(/\s+/);
  while (words.length > 1 && /^[a-z]/.test(words[0] ?? "")) words.shift();
  return words.join(" ");
}

/** Trailing predicate after a name in "... or B started first": lower-case words. */
function stripTrailingLowercase(text: string): string {
  const words = text.trim().split(/\s+/);
  while (words.length > 1 && /^[a-z]/.test(words[words.length - 1] ?? "")) words.pop();
  return words.join(" ");
}

export function parseComparison(query: string): ComparisonQuestion | undefined {
  const question = query.trim().replace(/[?.!\s]+$/, "");
  const than = /^(?:is|was|are|were|did|does|do|has|had)\s+(.+?)\s+(?:born\s+)?(older|younger|earlier|later|larger|bigger|smaller|taller|shorter|longer|higher|lower|newer)\s+than\s+(.+)$/i.exec(
    question,
  );
  if (than !== null) {
    const direction = directionOf(than[2] ?? "");
    const a = cleanOption(than[1] ?? "");
    const b = cleanOption(than[3] ?? "");
    if (direction !== undefined && a !== "" && b !== "") {
      return {
        options: [a, b],
        direction,
        smallerWins: direction === "earlier" || direction === "less",
        form: "than",
        countedStem: undefined,
        phrase: than[2] ?? "",
      };
    }
  }

  const keyword = KEYWORD.exec(question);
  const orIndex = question.toLowerCase().lastIndexOf(" or ");
  if (keyword === null || orIndex === -1) return undefined;
  const direction = directionOf(keyword[1] ?? "");
  if (direction === undefined) return undefined;
  let keywordEnd = keyword.index + keyword[0].length;

  let countedStem: string | undefined;
  if ((direction === "more" || direction === "less") && /^(?:more|most|fewer|fewest|less)$/i.test(keyword[1] ?? "")) {
    // "more Grand Slam titles, A or B": the thing counted is the last word before the options.
    const rest = question.slice(keywordEnd);
    const phraseEnd = rest.search(/[,:]/);
    const counted = (phraseEnd === -1 ? rest.split(/\s+/).filter(Boolean).slice(0, 1) : rest.slice(0, phraseEnd).split(/\s+/).filter(Boolean));
    const head = counted[counted.length - 1];
    if (head === undefined) return undefined;
    countedStem = stem(head.toLowerCase());
    keywordEnd += phraseEnd === -1 ? rest.indexOf(head) + head.length : phraseEnd;
  }

  let a: string;
  let b: string;
  if (keyword.index < orIndex) {
    const left = question.slice(keywordEnd, orIndex);
    const segments = left.split(/[,:;]/).map((segment) => segment.trim());
    // "..., A or B": A is the last segment; "first, Hole, the band that ..., or B": A is the first one.
    const endsWithComma = /,\s*$/.test(left);
    const nonEmpty = segments.filter((segment) => segment !== "");
    a = cleanOption((endsWithComma ? nonEmpty[0] : nonEmpty[nonEmpty.length - 1]) ?? "");
    b = cleanOption(question.slice(orIndex + 4));
  } else {
    a = cleanOption(stripLeadingLowercase(question.slice(0, orIndex)));
    b = cleanOption(stripTrailingLowercase(question.slice(orIndex + 4, keyword.index)));
  }
  if (a === "" || b === "") return undefined;
  // A "higher ranking" is a smaller number (No. 2 ranks above No. 19).
  const ranked = /\b(?:rank|ranking|ranked|position|place|seed)\b/i.test(question.slice(keyword.index));
  const smallerWins = ranked ? direction === "more" : direction === "earlier" || direction === "less";
  return { options: [a, b], direction, smallerWins, form: "choice", countedStem, phrase: question.slice(keyword.index, keywordEnd).trim() };
}

function keyStems(option: string): string[] {
  return tokenize(option)
    .filter((t) => !STOPWORDS.has(t.norm) && !HONORIFICS.has(t.norm) && !NAME_CONNECTORS.has(t.norm))
    .map((t) => t.stem);
}

/** Token index where the context mentions the option, if it does. */
function locate(stems: readonly string[], context: ContextIndex): number | undefined {
  const positions = stems.map((s) => context.vocabulary.positions.get(s) ?? []);
  const anchorList = positions[positions.length - 1] ?? [];
  for (const anchor of anchorList) {
    const near = positions.every((list) => list.some((p) => Math.abs(p - anchor) <= stems.length + 4));
    if (near) return anchor;
  }
  // Only the surname or the distinctive word: "Elytis" for "Odysseas Elytis".
  return anchorList[0];
}

type Measure = { readonly sortKey: number; readonly year: number; readonly precise: boolean; readonly label: string };

function sentenceAt(context: ContextIndex, tokenIndex: number): { first: number; last: number } | undefined {
  return context.sentences.find((s) => tokenIndex >= s.first && tokenIndex < s.last);
}

function dateMeasure(quantity: Quantity, context: ContextIndex): Measure | undefined {
  if (quantity.kind === "date" && quantity.year !== undefined) {
    return {
      sortKey: quantity.year * 10_000 + quantity.month * 100 + (quantity.day ?? 0),
      year: quantity.year,
      precise: true,
      label: context.text.slice(context.tokens[quantity.first]?.start ?? 0, context.tokens[quantity.last - 1]?.end ?? 0),
    };
  }
  if (quantity.kind === "number" && Number.isInteger(quantity.value) && quantity.value >= 1000 && quantity.value <= 2199) {
    return { sortKey: quantity.value * 10_000, year: quantity.value, precise: false, label: String(quantity.value) };
  }
  return undefined;
}

function countMeasure(quantity: Quantity, countedStem: string | undefined, context: ContextIndex): Measure | undefined {
  if (quantity.kind !== "number") return undefined;
  if (Number.isInteger(quantity.value) && quantity.value >= 1000 && quantity.value <= 2199 && quantity.unit === undefined) return undefined;
  if (countedStem !== undefined) {
    const window = context.tokens.slice(quantity.last, quantity.last + 4);
    if (!window.some((t) => t.stem === countedStem)) return undefined;
  }
  return { sortKey: quantity.value, year: 0, precise: true, label: String(quantity.value) };
}

/** The first date (or count) the context gives after naming the option, within that sentence. */
function measureOption(
  mention: number,
  question: ComparisonQuestion,
  context: ContextIndex,
): Measure | undefined {
  const sentence = sentenceAt(context, mention);
  if (sentence === undefined) return undefined;
  const inSentence = context.quantities.filter((q) => q.first >= sentence.first && q.first < sentence.last);
  const measure = (q: Quantity): Measure | undefined =>
    question.direction === "earlier" || question.direction === "later"
      ? dateMeasure(q, context)
      : countMeasure(q, question.countedStem, context);
  for (const q of inSentence) {
    if (q.first < mention) continue;
    const m = measure(q);
    if (m !== undefined) return m;
  }
  for (const q of inSentence) {
    const m = measure(q);
    if (m !== undefined) return m;
  }
  return undefined;
}

/** -1 when a is the answer, 1 when b is, 0 when the context cannot tell. */
function decide(a: Measure, b: Measure, question: ComparisonQuestion): -1 | 0 | 1 {
  const bothDates = question.direction === "earlier" || question.direction === "later";
  if (bothDates && a.year === b.year && !(a.precise && b.precise)) return 0;
  if (a.sortKey === b.sortKey) return 0;
  const aSmaller = a.sortKey < b.sortKey;
  return aSmaller === question.smallerWins ? -1 : 1;
}

export interface ComparisonVerdict {
  readonly status: "correct" | "wrong" | "undecided";
  /** The option the response picked, as the question wrote it. */
  readonly chosen: string | undefined;
  readonly expected: string | undefined;
  readonly explanation: string;
}

const UNDECIDED: ComparisonVerdict = { status: "undecided", chosen: undefined, expected: undefined, explanation: "" };

function firstIndexOf(stems: readonly string[], tokens: readonly Token[]): number {
  const wanted = new Set(stems);
  return tokens.findIndex((t) => wanted.has(t.stem));
}

/** Which option the context says wins the comparison, with the facts it rests on. */
function settle(question: ComparisonQuestion, context: ContextIndex): { expectedIndex: 0 | 1; facts: string } | undefined {
  const [optionA, optionB] = question.options;
  const stemsA = keyStems(optionA);
  const stemsB = keyStems(optionB);
  if (stemsA.every((s) => stemsB.includes(s)) || stemsB.every((s) => stemsA.includes(s))) return undefined;
  const mentionA = locate(stemsA, context);
  const mentionB = locate(stemsB, context);
  if (mentionA === undefined || mentionB === undefined) return undefined;
  const measureA = measureOption(mentionA, question, context);
  const measureB = measureOption(mentionB, question, context);
  if (measureA === undefined || measureB === undefined || measureA.label === measureB.label) return undefined;
  const decision = decide(measureA, measureB, question);
  if (decision === 0) return undefined;
  return {
    expectedIndex: decision === -1 ? 0 : 1,
    facts: `the context gives ${optionA}: ${measureA.label} and ${optionB}: ${measureB.label}`,
  };
}

const COMPARATIVE_CLAIM =
  /^(.+?)\s+(?:is|was|are|were)\s+(not\s+|never\s+)?(?:born\s+)?(older|younger|earlier|later|larger|bigger|smaller|taller|shorter|longer|higher|lower|newer)\s+than\s+(.+?)[\s.!]*$/i;

/**
 * A claim that states a comparison itself ("Ross Lynch is younger than Glenn
 * Hughes"), checked against the dates or figures the context gives.
 */
export function judgeComparativeClaim(claim: string, context: ContextIndex): ComparisonVerdict {
  const match = COMPARATIVE_CLAIM.exec(claim.trim());
  if (match === null) return UNDECIDED;
  const direction = directionOf(match[3] ?? "");
  const a = cleanOption(stripLeadingLowercase(match[1] ?? ""));
  const b = cleanOption(match[4] ?? "");
  if (direction === undefined || a === "" || b === "") return UNDECIDED;
  const question: ComparisonQuestion = {
    options: [a, b],
    direction,
    smallerWins: direction === "earlier" || direction === "less",
    form: "than",
    countedStem: undefined,
    phrase: match[3] ?? "",
  };
  const settled = settle(question, context);
  if (settled === undefined) return UNDECIDED;
  // "A is not older than B" holds when B is the older one.
  const negated = match[2] !== undefined;
  const holds = (settled.expectedIndex === 0) !== negated;
  return holds
    ? { status: "correct", chosen: a, expected: a, explanation: settled.facts }
    : {
        status: "wrong",
        chosen: a,
        expected: b,
        explanation: `the answer says ${a} is ${negated ? "not " : ""}${question.phrase} than ${b}, but ${settled.facts}`,
      };
}

export function judgeComparison(
  question: ComparisonQuestion,
  responseTokens: readonly Token[],
  context: ContextIndex,
): ComparisonVerdict {
  const [optionA, optionB] = question.options;
  const stemsA = keyStems(optionA);
  const stemsB = keyStems(optionB);
  const onlyA = stemsA.filter((s) => !stemsB.includes(s));
  const onlyB = stemsB.filter((s) => !stemsA.includes(s));
  if (onlyA.length === 0 || onlyB.length === 0) return UNDECIDED;
  const settled = settle(question, context);
  if (settled === undefined) return UNDECIDED;
  const { expectedIndex, facts } = settled;
  const expected = question.options[expectedIndex];

  if (question.form === "than") {
    const particle = responseTokens[0]?.norm;
    if (particle !== "yes" && particle !== "no") return UNDECIDED;
    const truth = expectedIndex === 0 ? "yes" : "no";
    const written = responseTokens[0]?.text ?? particle;
    return particle === truth
      ? { status: "correct", chosen: written, expected: truth, explanation: facts }
      : {
          status: "wrong",
          chosen: written,
          expected: truth,
          explanation: `the question asks whether ${optionA} is ${question.phrase} than ${optionB}; ${facts}, so the answer is "${truth}", not "${written}"`,
        };
  }

  const atA = firstIndexOf(onlyA, responseTokens);
  const atB = firstIndexOf(onlyB, responseTokens);
  if (atA === -1 && atB === -1) return UNDECIDED;
  let pickedIndex: 0 | 1 = atB === -1 || (atA !== -1 && atA < atB) ? 0 : 1;

  // Words inside the option names ("First for Women") say nothing about the direction.
  const optionStems = new Set([...stemsA, ...stemsB]);
  const words = new Set(responseTokens.filter((t) => !optionStems.has(t.stem)).map((t) => t.norm));
  const says = (direction: ComparisonDirection): boolean => [...DIRECTION_WORDS[direction]].some((w) => words.has(w));
  const same = says(question.direction);
  const opposite = says(OPPOSITE[question.direction]);
  if (opposite && same) return UNDECIDED;
  // "B is younger than A" answers "who is older?" with A, and so does "B was not born first".
  if (opposite) pickedIndex = pickedIndex === 0 ? 1 : 0;
  if (isNegated(responseTokens.filter((t, i) => i > 0 || (t.norm !== "no" && t.norm !== "yes")))) pickedIndex = pickedIndex === 0 ? 1 : 0;

  const chosen = question.options[pickedIndex];
  if (pickedIndex === expectedIndex) return { status: "correct", chosen, expected, explanation: facts };
  return {
    status: "wrong",
    chosen,
    expected,
    explanation: `the question asks which is ${question.phrase}; ${facts}, so the answer is ${expected}, not ${chosen}`,
  };
}
