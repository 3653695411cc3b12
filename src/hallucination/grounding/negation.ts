/**
 * Negation flips: "X is not Y" against a context saying "X is Y", or the
 * reverse. Word overlap alone calls such a claim grounded, so the claim is
 * matched to the context clause that shares most of its words, and the two
 * must agree on whether they are negated.
 */
import type { ClaimRange, ResponseText } from "./claims.js";
import type { ContextIndex } from "./context-index.js";
import type { PlacedNode } from "./cooccurrence.js";
import { STRENGTH, quote, trimEnd, type Finding } from "./findings.js";
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

export function isNegated(tokens: readonly Token[]): boolean {
  let count = 0;
  tokens.forEach((token, index) => {
    if (NEGATORS.has(token.norm)) count++;
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
      for (const s of nameStems) if (clause.stems.has(s)) (overlap++, weight++);
      if (overlap < needed || weight < bestWeight) continue;
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
  const flip = findNegationFlip(claimTokens, words.predicateStems, nameStems, context);
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
