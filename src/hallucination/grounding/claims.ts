/**
 * How a response is cut into claims (sentences, split at contrasts), and a
 * claim into the parts that each state one relation.
 */
import { splitClaims } from "./sentences.js";
import { tokenize, type Token } from "./tokens.js";

export interface ClaimRange {
  /** Character offsets in the response. */
  readonly start: number;
  readonly end: number;
  /** Token index range [first, last). */
  readonly first: number;
  readonly last: number;
}

export function claimRanges(response: string, tokens: readonly Token[]): ClaimRange[] {
  const ranges: ClaimRange[] = [];
  let index = 0;
  for (const span of splitClaims(response)) {
    while (index < tokens.length && (tokens[index]?.start ?? Infinity) < span.start) index++;
    const first = index;
    while (index < tokens.length && (tokens[index]?.end ?? Infinity) <= span.end) index++;
    if (index > first) ranges.push({ start: span.start, end: span.end, first, last: index });
  }
  return ranges;
}

const ANSWER_PARTICLES: ReadonlySet<string> = new Set(["yes", "no", "yeah", "nope", "correct", "incorrect", "true", "false"]);

/** "Yes," / "No." opening a claim answers the question; it is not part of what the claim states. */
function isAnswerParticle(token: Token, response: string, claim: ClaimRange): boolean {
  if (!ANSWER_PARTICLES.has(token.norm)) return false;
  const after = response.slice(token.end).trimStart().charAt(0);
  return claim.last - claim.first === 1 || after === "," || after === "." || after === "!" || after === "";
}

/** The response cut into tokens and claims, read once and shared by every check. */
export interface ResponseText {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly claims: readonly ClaimRange[];
  /** 1 where a "Yes"/"No" answer particle opens a claim. */
  readonly particle: Uint8Array;
  /** Token indices where a sentence starts (after a particle, too): a capital there need not mark a name. */
  readonly sentenceStarts: ReadonlySet<number>;
}

export function readResponse(text: string): ResponseText {
  const tokens = tokenize(text);
  const claims = claimRanges(text, tokens);
  const particle = new Uint8Array(tokens.length);
  const sentenceStarts = new Set<number>();
  for (const claim of claims) {
    sentenceStarts.add(claim.first);
    const opener = tokens[claim.first];
    if (opener !== undefined && isAnswerParticle(opener, text, claim)) {
      particle[claim.first] = 1;
      sentenceStarts.add(claim.first + 1);
    }
  }
  return { text, tokens, claims, particle, sentenceStarts };
}

/** The claim holding a token, if any. */
export function claimAt(claims: readonly ClaimRange[], tokenIndex: number): ClaimRange | undefined {
  return claims.find((c) => tokenIndex >= c.first && tokenIndex < c.last);
}

/**
 * A part of a claim that states one relation: a relative clause or an aside
 * between commas (", who was born in Warsaw,", ", off Queensland,") is about
 * the word before it, not about the rest of the sentence, so "Curie, who was
 * born in Warsaw in 1867, won the Nobel Prize in 1903" relates Curie to
 * Warsaw and 1867, and Curie to 1903, but not Warsaw to 1903.
 */
export interface RelationPart {
  readonly ranges: readonly (readonly [number, number])[];
  /** Token index of the word an aside hangs on. */
  readonly antecedent: number | undefined;
}

const RELATIVE_PRONOUNS = new Set(["who", "which", "whose", "whom", "where"]);
/** Longest aside between two commas treated as a part of its own (", off Queensland in Australia,"). */
const MAX_ASIDE_TOKENS = 6;

function commaBetween(text: string, left: Token | undefined, right: Token | undefined): boolean {
  return left !== undefined && right !== undefined && text.slice(left.end, right.start).includes(",");
}

export function relationParts(claim: ClaimRange, tokens: readonly Token[], text: string): RelationPart[] {
  const asides: { first: number; last: number }[] = [];
  for (let i = claim.first + 1; i < claim.last; i++) {
    if (!commaBetween(text, tokens[i - 1], tokens[i])) continue;
    let end = i + 1;
    while (end < claim.last && !commaBetween(text, tokens[end - 1], tokens[end])) end++;
    const token = tokens[i];
    const relative = token !== undefined && RELATIVE_PRONOUNS.has(token.norm);
    // A relative clause runs to the next comma or the end; any other aside must be closed by a comma.
    if (relative || (end < claim.last && end - i <= MAX_ASIDE_TOKENS)) {
      asides.push({ first: i, last: end });
      i = end - 1;
    }
  }
  const main: [number, number][] = [];
  let from = claim.first;
  for (const aside of asides) {
    if (aside.first > from) main.push([from, aside.first]);
    from = aside.last;
  }
  if (from < claim.last) main.push([from, claim.last]);
  return [
    { ranges: main, antecedent: undefined },
    ...asides.map((r): RelationPart => ({ ranges: [[r.first, r.last]], antecedent: r.first - 1 })),
  ];
}

export function inPart(index: number, part: RelationPart): boolean {
  return part.ranges.some(([first, last]) => index >= first && index < last);
}
