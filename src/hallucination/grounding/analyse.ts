/**
 * The grounding analysis. The response is cut into claims; then, in order:
 * a comparison answer is settled against the context's dates or figures;
 * every number, date and name must be in the context; every content word
 * must be in the context (or a synonym, or the question's premise); a claim
 * must not flip the negation of the clause it restates; and the names and
 * figures a claim relates must be related by the context too. Each problem
 * becomes a finding naming the part of the response it is about.
 */
import { claimRanges, inPart, isAnswerParticle, relationParts, type ClaimRange } from "./claims.js";
import { COMPARISON_STEMS, judgeComparativeClaim, judgeComparison } from "./comparison.js";
import type { ContextIndex } from "./context-index.js";
import { findDisconnected, type ClaimNode } from "./cooccurrence.js";
import { findEntities, type EntityMention } from "./entities.js";
import { checkEntity } from "./entity-check.js";
import { DIMENSION_WORDS, LIGHT_WORDS, NEGATORS, STOPWORDS } from "./lexicon.js";
import { findUnlinked } from "./linkage.js";
import { findNegationFlip } from "./negation.js";
import { readQuantities } from "./quantities.js";
import { checkQuantity, quantityMatches } from "./quantity-check.js";
import { readQuery, type QueryFacts } from "./query-facts.js";
import { stem } from "./stem.js";
import { tokenize, type Token } from "./tokens.js";
import { mentions } from "./vocabulary.js";

export type FindingKind = "entity" | "number" | "negation" | "comparison" | "claim" | "phrase" | "link" | "unrelated";

export interface Finding {
  readonly kind: FindingKind;
  /** The part of the response the finding is about, as written. */
  readonly text: string;
  /** Why it is not grounded, for the explanation. */
  readonly reason: string;
  /** How strongly this finding alone indicates a hallucination, in (0, 1). */
  readonly strength: number;
  readonly start: number;
}

export interface GroundingAnalysis {
  readonly findings: readonly Finding[];
  /** Checkable parts of the response (names, numbers, content words). */
  readonly checked: number;
  /** Of those, the ones found in the context. */
  readonly grounded: number;
}

/**
 * A name, number or comparison the context contradicts or lacks is
 * near-certain evidence; so is a claim the context does not mention at all.
 * A negation flip, names the context never relates, or a name attached to
 * someone else's facts rest on word matching and weigh a little less; an
 * unsupported word least, as it may be a paraphrase the lexicon lacks.
 */
const STRENGTH: Readonly<Record<FindingKind, number>> = {
  entity: 0.9,
  number: 0.9,
  comparison: 0.9,
  claim: 0.9,
  negation: 0.85,
  unrelated: 0.8,
  link: 0.75,
  phrase: 0.7,
};
/** One unsupported word in an otherwise well grounded claim. */
const MINOR_PHRASE_STRENGTH = 0.6;
/**
 * A claim with at least this many content words, fewer than half of them
 * grounded, is "not mentioned" as a whole. Names and figures do not count
 * here: "X is in London" is about X, which the context may well mention.
 */
const CLAIM_MIN_WORDS = 2;

function quote(text: string): string {
  return `"${text.replace(/[\s.,;:!?]+$/, "")}"`;
}

function trimEnd(text: string): string {
  return text.replace(/[\s.;,]+$/, "");
}

/** A grounded name or figure of the response, placed by its tokens, for the relation checks. */
interface PlacedNode extends ClaimNode {
  readonly first: number;
  readonly last: number;
  readonly entity: EntityMention | undefined;
}

/** Everything the steps share while analysing one response. */
interface Analysis {
  readonly context: ContextIndex;
  readonly response: string;
  readonly tokens: readonly Token[];
  readonly claims: readonly ClaimRange[];
  readonly query: QueryFacts | undefined;
  readonly findings: Finding[];
  /** Tokens already judged as part of a number, date or name. */
  readonly handled: Uint8Array;
  /** "Yes"/"No" answer particles opening a claim. */
  readonly particle: Uint8Array;
  readonly sentenceStarts: Set<number>;
  readonly nodes: PlacedNode[];
  readonly tally: Map<ClaimRange, { checked: number; grounded: number }>;
  /** The question's comparison was settled (either way) from the context. */
  comparisonJudged: boolean;
  comparisonVerified: boolean;
}

function tallyPart(analysis: Analysis, tokenIndex: number, grounded: boolean): void {
  const claim = analysis.claims.find((c) => tokenIndex >= c.first && tokenIndex < c.last);
  if (claim === undefined) return;
  const tally = analysis.tally.get(claim) ?? { checked: 0, grounded: 0 };
  tally.checked++;
  if (grounded) tally.grounded++;
  analysis.tally.set(claim, tally);
}

function checkComparisonAnswer(analysis: Analysis): void {
  const comparison = analysis.query?.comparison;
  if (comparison === undefined) return;
  const verdict = judgeComparison(comparison, analysis.tokens, analysis.context);
  analysis.comparisonJudged = verdict.status !== "undecided";
  analysis.comparisonVerified = verdict.status === "correct";
  if (verdict.status === "wrong" && verdict.chosen !== undefined) {
    analysis.findings.push({
      kind: "comparison",
      text: verdict.chosen,
      reason: verdict.explanation,
      strength: STRENGTH.comparison,
      start: Math.max(0, analysis.response.toLowerCase().indexOf(verdict.chosen.toLowerCase())),
    });
  }
}

function checkQuantities(analysis: Analysis): void {
  const { tokens, response, context, handled } = analysis;
  for (const quantity of readQuantities(tokens, response)) {
    const firstToken = tokens[quantity.first];
    const lastToken = tokens[quantity.last - 1];
    if (firstToken === undefined || lastToken === undefined) continue;
    for (let i = quantity.first; i < quantity.last; i++) handled[i] = 1;
    const after = tokens[quantity.last];
    if (after !== undefined && DIMENSION_WORDS.has(after.norm)) handled[quantity.last] = 1;

    const text = response.slice(firstToken.start, lastToken.end);
    const check = checkQuantity(quantity, context);
    tallyPart(analysis, quantity.first, check.grounded);
    if (check.grounded) {
      analysis.nodes.push({
        text,
        inSentence: (sentence) => sentence.quantities.some((q) => quantityMatches(q, quantity)),
        first: quantity.first,
        last: quantity.last,
        entity: undefined,
      });
      continue;
    }
    analysis.findings.push({
      kind: "number",
      text,
      reason:
        check.contextSays === undefined
          ? `${quote(text)} does not appear in the context`
          : `${quote(text)} does not match the context, which says ${check.contextSays}`,
      strength: STRENGTH.number,
      start: firstToken.start,
    });
  }
}

/** Returns the token indices that lie inside names (a "Not" there negates nothing). */
function checkNames(analysis: Analysis): Uint8Array {
  const { tokens, response, context, handled, query } = analysis;
  const entities = findEntities(tokens, response, {
    sentenceStarts: analysis.sentenceStarts,
    // An opener is an ordinary word when the context or question writes it in lower case, or it only frames ("According ...").
    openerIsName: (norm) =>
      !context.lowercaseNorms.has(norm) && !(query?.lowercaseNorms.has(norm) ?? false) && !LIGHT_WORDS.has(stem(norm)),
  });
  const inName = new Uint8Array(tokens.length);
  for (const entity of entities) for (let i = entity.first; i < entity.last; i++) inName[i] = 1;

  for (const entity of entities) {
    // "March" in "March 2, 1991" was already checked as part of the date.
    if (!handled.subarray(entity.first, entity.last).includes(0)) continue;
    for (let i = entity.first; i < entity.last; i++) handled[i] = 1;
    const check = checkEntity(entity, context, query?.premise);
    tallyPart(analysis, entity.first, check.grounded);
    if (check.grounded) {
      const stems = entity.keyTokens.map((t) => t.stem).filter((s) => mentions(context.vocabulary, s));
      // A name only the question supplies has no place in the context to be related from.
      if (stems.length > 0) {
        analysis.nodes.push({
          text: entity.text,
          inSentence: (sentence) => stems.every((s) => mentions(sentence.vocabulary, s) || sentence.subjectStems.has(s)),
          first: entity.first,
          last: entity.last,
          entity,
        });
      }
      continue;
    }
    analysis.findings.push({
      kind: "entity",
      text: entity.text,
      reason:
        check.similar.length > 0
          ? `${quote(entity.text)} is not in the context (it names ${check.similar.join(", ")})`
          : `${quote(entity.text)} is not in the context`,
      strength: STRENGTH.entity,
      start: entity.start,
    });
  }
  return inName;
}

interface ClaimWords {
  /** Stems of content words found in the context as written. */
  readonly predicateStems: Set<string>;
  /** Token indices of those words, comparison words excluded: what the claim says of its names. */
  readonly predicateAt: number[];
}

/** Content words of one claim; unsupported ones become phrase findings, or one claim finding if most are. */
function checkClaimWords(analysis: Analysis, claim: ClaimRange): ClaimWords {
  const { tokens, response, context, handled, particle, query } = analysis;
  const premise = query?.premise;
  const words: ClaimWords = { predicateStems: new Set(), predicateAt: [] };
  const phrases: { first: number; last: number }[] = [];
  let contentWords = 0;
  let groundedWords = 0;

  for (let i = claim.first; i < claim.last; i++) {
    const token = tokens[i];
    if (token === undefined || handled[i] === 1 || particle[i] === 1 || token.numeric) continue;
    if (STOPWORDS.has(token.norm) || NEGATORS.has(token.norm)) continue;
    // Framing words ("located", "became", "according") neither count for nor against a claim.
    if (LIGHT_WORDS.has(token.stem)) continue;
    const direct = context.vocabulary.stems.has(token.stem);
    const grounded =
      direct ||
      mentions(context.vocabulary, token.stem) ||
      (premise !== undefined && mentions(premise, token.stem)) ||
      (analysis.comparisonVerified && COMPARISON_STEMS.has(token.stem));
    tallyPart(analysis, i, grounded);
    contentWords++;
    if (grounded) groundedWords++;
    if (grounded) {
      if (direct) words.predicateStems.add(token.stem);
      if (direct && !COMPARISON_STEMS.has(token.stem)) words.predicateAt.push(i);
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

  if (contentWords >= CLAIM_MIN_WORDS && groundedWords / contentWords < 0.5) {
    const claimText = response.slice(claim.start, claim.end);
    analysis.findings.push({
      kind: "claim",
      text: trimEnd(claimText),
      reason: `the claim ${quote(claimText)} is not mentioned in the context`,
      strength: STRENGTH.claim,
      start: claim.start,
    });
    return words;
  }
  const tally = analysis.tally.get(claim) ?? { checked: 0, grounded: 0 };
  const wellGrounded = tally.checked > 0 && tally.grounded / tally.checked >= 0.75;
  for (const phrase of phrases) {
    const firstToken = tokens[phrase.first];
    const lastToken = tokens[phrase.last - 1];
    if (firstToken === undefined || lastToken === undefined) continue;
    const text = response.slice(firstToken.start, lastToken.end);
    analysis.findings.push({
      kind: "phrase",
      text,
      reason: `${quote(text)} is not supported by the context`,
      strength: wellGrounded && phrase.last - phrase.first === 1 ? MINOR_PHRASE_STRENGTH : STRENGTH.phrase,
      start: firstToken.start,
    });
  }
  return words;
}

function checkNegation(analysis: Analysis, claim: ClaimRange, words: ClaimWords, inName: Uint8Array, claimNodes: readonly PlacedNode[]): void {
  const { tokens, context, particle } = analysis;
  const nameStems = new Set<string>();
  for (const node of claimNodes) {
    for (const t of node.entity?.keyTokens ?? []) if (context.vocabulary.stems.has(t.stem)) nameStems.add(t.stem);
  }
  // Neither an answer particle ("No, ...") nor a "Not" inside a name negates the claim.
  const claimTokens = tokens
    .slice(claim.first, claim.last)
    .filter((_, k) => particle[claim.first + k] !== 1 && inName[claim.first + k] !== 1);
  const flip = findNegationFlip(claimTokens, words.predicateStems, nameStems, context);
  if (flip === undefined) return;
  const claimText = analysis.response.slice(claim.start, claim.end);
  analysis.findings.push({
    kind: "negation",
    text: trimEnd(claimText),
    reason: flip.claimNegated
      ? `${quote(claimText)} negates what the context states: ${quote(flip.clause)}`
      : `${quote(claimText)} drops the negation in the context: ${quote(flip.clause)}`,
    strength: STRENGTH.negation,
    start: claim.start,
  });
}

/** A comparison the claim states itself ("A is younger than B"); returns whether the claim is one. */
function checkComparativeClaim(analysis: Analysis, claim: ClaimRange): boolean {
  const comparative = analysis.tokens.slice(claim.first, claim.last).some((t) => t.norm === "than");
  if (!comparative || analysis.comparisonJudged) return comparative;
  const claimText = analysis.response.slice(claim.start, claim.end);
  const verdict = judgeComparativeClaim(claimText, analysis.context);
  if (verdict.status === "wrong") {
    analysis.findings.push({
      kind: "comparison",
      text: trimEnd(claimText),
      reason: verdict.explanation,
      strength: STRENGTH.comparison,
      start: claim.start,
    });
  }
  return true;
}

/** Names and figures the claim relates must be related in the context, and so must a name and what is said of it. */
function checkRelations(analysis: Analysis, claim: ClaimRange, words: ClaimWords, claimNodes: readonly PlacedNode[]): void {
  const { tokens, response, context } = analysis;
  const claimText = response.slice(claim.start, claim.end);
  for (const part of relationParts(claim, tokens, response)) {
    const partNodes = claimNodes.filter((n) => inPart(n.first, part));
    const antecedent = part.antecedent === undefined ? undefined : claimNodes.find((n) => n.last - 1 === part.antecedent);
    if (antecedent !== undefined) partNodes.unshift(antecedent);

    const disconnected = findDisconnected(partNodes, context.sentences);
    if (disconnected !== undefined) {
      analysis.findings.push({
        kind: "unrelated",
        text: trimEnd(claimText),
        reason: `the context never relates ${quote(disconnected.left.text)} to ${quote(disconnected.right.text)}`,
        strength: STRENGTH.unrelated,
        start: claim.start,
      });
      continue;
    }

    const predicateAt = words.predicateAt.filter((i) => inPart(i, part));
    const predicate = new Set(predicateAt.map((i) => tokens[i]?.stem ?? ""));
    const partEntities = partNodes.flatMap((n) => (n.entity === undefined ? [] : [n.entity]));
    const saying = predicateAt
      .slice(0, 4)
      .map((i) => tokens[i]?.text ?? "")
      .join(" ");
    for (const unlinked of findUnlinked(partEntities, predicate, context)) {
      analysis.findings.push({
        kind: "link",
        text: unlinked.entity.text,
        reason:
          `the context does not connect ${quote(unlinked.entity.text)} with ${quote(saying)}` +
          (unlinked.insteadOf === undefined ? "" : `; it says that of ${unlinked.insteadOf}`),
        strength: STRENGTH.link,
        start: unlinked.entity.start,
      });
    }
  }
}

export function analyseGrounding(context: ContextIndex, response: string, query: string | undefined): GroundingAnalysis {
  const tokens = tokenize(response);
  const claims = claimRanges(response, tokens);
  const analysis: Analysis = {
    context,
    response,
    tokens,
    claims,
    query: readQuery(query),
    findings: [],
    handled: new Uint8Array(tokens.length),
    particle: new Uint8Array(tokens.length),
    sentenceStarts: new Set(),
    nodes: [],
    tally: new Map(),
    comparisonJudged: false,
    comparisonVerified: false,
  };
  for (const claim of claims) {
    analysis.sentenceStarts.add(claim.first);
    const opener = tokens[claim.first];
    if (opener !== undefined && isAnswerParticle(opener, response, claim)) {
      analysis.particle[claim.first] = 1;
      analysis.sentenceStarts.add(claim.first + 1);
    }
  }

  // Settled first: a verified comparison answer grounds its "older" / "first".
  checkComparisonAnswer(analysis);
  checkQuantities(analysis);
  const inName = checkNames(analysis);
  for (const claim of claims) {
    const claimNodes = analysis.nodes.filter((n) => n.first >= claim.first && n.first < claim.last);
    const words = checkClaimWords(analysis, claim);
    checkNegation(analysis, claim, words, inName, claimNodes);
    const comparative = checkComparativeClaim(analysis, claim);
    // A comparison relates its two sides through dates or figures, not by naming them together.
    if (!comparative && !analysis.comparisonJudged) checkRelations(analysis, claim, words, claimNodes);
  }

  let checked = 0;
  let grounded = 0;
  for (const tally of analysis.tally.values()) {
    checked += tally.checked;
    grounded += tally.grounded;
  }
  const findings = [...analysis.findings].sort((a, b) => a.start - b.start);
  return { findings, checked, grounded };
}
