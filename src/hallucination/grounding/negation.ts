/**
 * Negation flips: "X is not Y" against a context saying "X is Y", or the
 * reverse. Word overlap alone calls such a claim grounded, so the claim is
 * matched to the context clause that says the same, and the two must agree
 * on whether they are negated. Two matches are tried: the whole claim
 * against the clause sharing most of its words, and, for a claim that
 * denies something ("is not", "was never", "is no longer", "did not",
 * "cannot"), what it denies (the words after the negation) against the
 * clauses of the sentences about its subject.
 */
import type { ClaimRange, ResponseText } from "./claims.js";
import type { ContextIndex } from "./context-index.js";
import type { PlacedNode } from "./cooccurrence.js";
import { STRENGTH, quote, trimEnd, type Finding } from "./findings.js";
import { LIGHT_WORDS, STOPWORDS } from "./function-words.js";
import type { Token } from "./tokens.js";
import type { ClaimWords } from "./word-findings.js";

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

export interface NegationFlip {
  /** The context clause the claim restates. */
  readonly clause: string;
  /** True when the claim adds a negation, false when it drops one. */
  readonly claimNegated: boolean;
}

/** "not only ... but also" affirms. */
function negates(tokens: readonly Token[], index: number): boolean {
  const token = tokens[index];
  return token !== undefined && NEGATORS.has(token.norm) && !(token.norm === "not" && tokens[index + 1]?.norm === "only");
}

export function isNegated(tokens: readonly Token[]): boolean {
  let count = 0;
  tokens.forEach((token, index) => {
    if (negates(tokens, index)) count++;
    // "only refundable if damaged" says what "not refundable unless damaged" says.
    if (token.norm === "only" && tokens.slice(index + 1, index + 5).some((t) => t.norm === "if" || t.norm === "when")) count++;
  });
  // Double negatives cancel out.
  return count % 2 === 1;
}

/**
 * @param claimTokens the claim without a leading "Yes,"/"No," answer particle
 * @param predicateStems stems of the claim's grounded content words ("designed", "permanent")
 * @param nameStems stems of the claim's grounded names ("Eiffel", "Tower")
 */
export function findNegationFlip(
  claimTokens: readonly Token[],
  predicateStems: ReadonlySet<string>,
  nameStems: ReadonlySet<string>,
  context: ContextIndex,
): NegationFlip | undefined {
  const size = predicateStems.size + nameStems.size;
  if (size < 2 || predicateStems.size === 0) return undefined;
  const needed = Math.max(2, Math.ceil(size * 0.5));
  let bestWeight = 0;
  let agreeing = false;
  let disagreeing: string | undefined;
  const claimNegated = isNegated(claimTokens);

  for (const sentence of context.sentences) {
    for (const clause of sentence.clauses) {
      let overlap = 0;
      let weight = 0;
      // What is said (the predicate) identifies the clause better than whom it is said of.
      for (const s of predicateStems) if (clause.stems.has(s)) (overlap++, (weight += 2));
      const saying = overlap;
      for (const s of nameStems) if (clause.stems.has(s)) (overlap++, weight++);
      // A clause that only names the subject ("Advanced Micro Devices, Inc. is ...") says nothing to agree with.
      if (saying === 0 || overlap < needed || weight < bestWeight) continue;
      if (weight > bestWeight) {
        bestWeight = weight;
        agreeing = false;
        disagreeing = undefined;
      }
      if (clause.negated === claimNegated) agreeing = true;
      else disagreeing ??= clause.text;
    }
  }
  // When equally good clauses disagree with each other, the context settles nothing.
  if (agreeing || disagreeing === undefined) return undefined;
  return { clause: disagreeing, claimNegated };
}

/** Words after which a denial no longer reaches ("X is not A but B"). */
const DENIAL_ENDS: ReadonlySet<string> = new Set(["but", "although", "though", "while", "whereas", "because", "instead", "rather"]);
/** Words read with the negator they follow ("no longer", "not yet", "never again"). */
const NEGATOR_TAILS: ReadonlySet<string> = new Set(["longer", "yet", "again", "even"]);
/** Share of the denied content words that identifies the context sentence stating them. */
const DENIED_MIN_SHARE = 0.6;

function isContent(token: Token): boolean {
  return !STOPWORDS.has(token.norm) && !NEGATORS.has(token.norm) && !LIGHT_WORDS.has(token.stem);
}

/**
 * A claim denying what the context states: "Advanced Micro Devices is not an
 * American semiconductor company" against "... is an American
 * semiconductor company". What is denied must be stated by a sentence about
 * the claim's subject, and no clause of that sentence may deny it too.
 *
 * @param tokens the claim's tokens, without a leading answer particle
 * @param inName 1 for tokens inside names, aligned with `tokens`
 */
export function findDeniedStatement(tokens: readonly Token[], inName: Uint8Array, context: ContextIndex): NegationFlip | undefined {
  const negators = tokens.flatMap((_, i) => (inName[i] !== 1 && negates(tokens, i) ? [i] : []));
  // A double negative affirms; it is left to the whole-claim match.
  const at = negators[0];
  if (at === undefined || negators.length !== 1) return undefined;
  if (tokens.some((t) => t.norm === "than")) return undefined;

  const subject = new Set<string>();
  for (const token of tokens.slice(0, at)) if (isContent(token) && context.vocabulary.stems.has(token.stem)) subject.add(token.stem);
  const denied = new Set<string>();
  for (let i = at + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || DENIAL_ENDS.has(token.norm)) break;
    if (i === at + 1 && NEGATOR_TAILS.has(token.norm)) continue;
    if (isContent(token) && context.vocabulary.stems.has(token.stem)) denied.add(token.stem);
  }
  if (denied.size === 0) return undefined;
  const needed = denied.size <= 2 ? denied.size : Math.ceil(denied.size * DENIED_MIN_SHARE);

  // Lists cut a sentence into many short clauses ("an American musician, songwriter, and producer"):
  // what is denied is matched against the whole sentence, and the sentence denies it too when one
  // of its negated clauses holds a denied word.
  let best = 0;
  let agreeing = false;
  let stating: string | undefined;
  for (const sentence of context.sentences) {
    // A claim with no named subject ("It was not ...") is matched by what it denies alone.
    const aboutSubject = subject.size === 0 || [...subject].some((s) => sentence.stems.has(s) || sentence.subjectStems.has(s));
    if (!aboutSubject) continue;
    let overlap = 0;
    for (const s of denied) if (sentence.stems.has(s)) overlap++;
    if (overlap < needed || overlap < best) continue;
    if (overlap > best) {
      best = overlap;
      agreeing = false;
      stating = undefined;
    }
    const deniesToo = sentence.clauses.some((clause) => clause.negated && [...denied].some((s) => clause.stems.has(s)));
    if (deniesToo) agreeing = true;
    else stating ??= sentence.text;
  }
  if (agreeing || stating === undefined) return undefined;
  return { clause: stating, claimNegated: true };
}

/** A claim that flips the negation of the context clause it restates. */
export function checkNegation(
  response: ResponseText,
  claim: ClaimRange,
  words: ClaimWords,
  inName: Uint8Array,
  claimNodes: readonly PlacedNode[],
  context: ContextIndex,
): Finding[] {
  const { tokens, particle } = response;
  const nameStems = new Set<string>();
  for (const node of claimNodes) {
    for (const t of node.entity?.keyTokens ?? []) if (context.vocabulary.stems.has(t.stem)) nameStems.add(t.stem);
  }
  // Neither an answer particle ("No, ...") nor a "Not" inside a name negates the claim.
  const claimTokens = tokens
    .slice(claim.first, claim.last)
    .filter((_, k) => particle[claim.first + k] !== 1 && inName[claim.first + k] !== 1);
  const withNames = tokens.slice(claim.first, claim.last).filter((_, k) => particle[claim.first + k] !== 1);
  const namesMask = inName.subarray(claim.first + (withNames.length < claim.last - claim.first ? 1 : 0), claim.last);
  const flip =
    findNegationFlip(claimTokens, words.predicateStems, nameStems, context) ??
    findDeniedStatement(withNames, namesMask, context);
  if (flip === undefined) return [];
  const claimText = response.text.slice(claim.start, claim.end);
  return [
    {
      kind: "negation",
      text: trimEnd(claimText),
      reason: flip.claimNegated
        ? `${quote(claimText)} negates what the context states: ${quote(flip.clause)}`
        : `${quote(claimText)} drops the negation in the context: ${quote(flip.clause)}`,
      strength: STRENGTH.negation,
      start: claim.start,
    },
  ];
}
