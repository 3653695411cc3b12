/**
 * Every content word of a claim must be in the context, a synonym of one, or
 * in the question's premise. Unsupported words become phrase findings, or one
 * "not mentioned" finding when most of the claim is unsupported.
 */
import type { ClaimRange, ResponseText } from "./claims.js";
import { COMPARISON_STEMS } from "./comparison.js";
import type { ContextIndex } from "./context-index.js";
import { MINOR_PHRASE_STRENGTH, STRENGTH, quote, trimEnd, type CheckedPart, type Finding } from "./findings.js";
import { LIGHT_WORDS, STOPWORDS } from "./function-words.js";
import { NEGATORS } from "./negation.js";
import type { QueryFacts } from "./query-facts.js";
import { mentions } from "./vocabulary.js";

/**
 * A claim with at least this many content words, fewer than half of them
 * grounded, is "not mentioned" as a whole. Names and figures do not count
 * here: "X is in London" is about X, which the context may well mention.
 */
const CLAIM_MIN_WORDS = 2;
/** Share of a claim's checked parts that makes it well grounded, so one stray word weighs less. */
const WELL_GROUNDED = 0.75;

export interface ClaimWords {
  /** Stems of content words found in the context as written. */
  readonly predicateStems: ReadonlySet<string>;
  /** Token indices of those words, comparison words excluded: what the claim says of its names. */
  readonly predicateAt: readonly number[];
}

export interface WordFindings {
  readonly findings: readonly Finding[];
  readonly parts: readonly CheckedPart[];
  readonly words: ClaimWords;
}

export interface ClaimWordInputs {
  readonly context: ContextIndex;
  readonly query: QueryFacts | undefined;
  /** 1 for tokens already judged as part of a figure or a name. */
  readonly covered: Uint8Array;
  /** The question's comparison was verified from the context: its "older" / "first" is grounded. */
  readonly comparisonVerified: boolean;
  /** The claim's names and figures, already checked: they count towards "well grounded". */
  readonly namesAndFigures: readonly CheckedPart[];
}

export function checkClaimWords(response: ResponseText, claim: ClaimRange, inputs: ClaimWordInputs): WordFindings {
  const { tokens, text: responseText, particle } = response;
  const { context, query, covered } = inputs;
  const premise = query?.premise;
  const predicateStems = new Set<string>();
  const predicateAt: number[] = [];
  const parts: CheckedPart[] = [];
  const phrases: { first: number; last: number }[] = [];

  for (let i = claim.first; i < claim.last; i++) {
    const token = tokens[i];
    if (token === undefined || covered[i] === 1 || particle[i] === 1 || token.numeric) continue;
    if (STOPWORDS.has(token.norm) || NEGATORS.has(token.norm)) continue;
    // "no longer" is a negation, not a length.
    if (token.norm === "longer" && tokens[i - 1]?.norm === "no") continue;
    // Framing words ("located", "became", "according") neither count for nor against a claim.
    if (LIGHT_WORDS.has(token.stem)) continue;
    const direct = context.vocabulary.stems.has(token.stem);
    const grounded =
      direct ||
      mentions(context.vocabulary, token.stem) ||
      (premise !== undefined && mentions(premise, token.stem)) ||
      (inputs.comparisonVerified && COMPARISON_STEMS.has(token.stem));
    parts.push({ at: i, grounded });
    if (grounded) {
      if (direct) predicateStems.add(token.stem);
      if (direct && !COMPARISON_STEMS.has(token.stem)) predicateAt.push(i);
      continue;
    }
    // "invented the telephone" is one unsupported phrase, not two words.
    const open = phrases[phrases.length - 1];
    const joinable =
      open !== undefined &&
      i - open.last <= 2 &&
      tokens.slice(open.last, i).every((t) => STOPWORDS.has(t.norm) && !NEGATORS.has(t.norm));
    if (open !== undefined && joinable) open.last = i + 1;
    else phrases.push({ first: i, last: i + 1 });
  }
  const words: ClaimWords = { predicateStems, predicateAt };

  const groundedWords = parts.filter((p) => p.grounded).length;
  if (parts.length >= CLAIM_MIN_WORDS && groundedWords / parts.length < 0.5) {
    const claimText = responseText.slice(claim.start, claim.end);
    const finding: Finding = {
      kind: "claim",
      text: trimEnd(claimText),
      reason: `the claim ${quote(claimText)} is not mentioned in the context`,
      strength: STRENGTH.claim,
      start: claim.start,
    };
    return { findings: [finding], parts, words };
  }

  const all = [...inputs.namesAndFigures, ...parts];
  const wellGrounded = all.length > 0 && all.filter((p) => p.grounded).length / all.length >= WELL_GROUNDED;
  const findings = phrases.flatMap((phrase): Finding[] => {
    const firstToken = tokens[phrase.first];
    const lastToken = tokens[phrase.last - 1];
    if (firstToken === undefined || lastToken === undefined) return [];
    const text = responseText.slice(firstToken.start, lastToken.end);
    return [
      {
        kind: "phrase",
        text,
        reason: `${quote(text)} is not supported by the context`,
        strength: wellGrounded && phrase.last - phrase.first === 1 ? MINOR_PHRASE_STRENGTH : STRENGTH.phrase,
        start: firstToken.start,
      },
    ];
  });
  return { findings, parts, words };
}
