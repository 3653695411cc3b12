/**
 * The grounding analysis. The response is read once into claims; each check
 * is a pure function that returns its findings and the parts it checked, and
 * this module combines them. What one check hands the next is explicit: a
 * settled comparison answer grounds its "older" / "first"; tokens judged as
 * figures are not names, and neither are words; a claim's grounded names and
 * figures feed its negation and relation checks.
 */
import { checkNamedAsAnswer, checkPersonAnswer, checkSuperlativeAnswer } from "./answer-fit.js";
import { claimAt, readResponse, type ClaimRange } from "./claims.js";
import { checkComparativeClaim, checkComparisonAnswer, isComparativeClaim } from "./comparison-findings.js";
import type { ContextIndex } from "./context-index.js";
import { checkFigures } from "./figure-findings.js";
import type { CheckedPart, Finding } from "./findings.js";
import { checkNames } from "./name-findings.js";
import { checkNegation } from "./negation.js";
import { checkQuestion } from "./question-findings.js";
import { readQuery } from "./query-facts.js";
import { checkRelations } from "./relation-findings.js";
import { checkNameSlots } from "./slot-findings.js";
import { checkClaimWords } from "./word-findings.js";

export type { Finding, FindingKind } from "./findings.js";

export interface GroundingAnalysis {
  readonly findings: readonly Finding[];
  /** Checkable parts of the response (names, numbers, content words). */
  readonly checked: number;
  /** Of those, the ones found in the context. */
  readonly grounded: number;
}

function inClaim(claim: ClaimRange, at: number): boolean {
  return at >= claim.first && at < claim.last;
}

export function analyseGrounding(context: ContextIndex, responseText: string, queryText: string | undefined): GroundingAnalysis {
  const response = readResponse(responseText);
  const query = readQuery(queryText);

  const comparison = checkComparisonAnswer(response, context, query);
  const figures = checkFigures(response, context);
  const names = checkNames(response, context, query, figures.covered);
  const nodes = [...figures.nodes, ...names.nodes];
  const namesAndFigures: readonly CheckedPart[] = [...figures.parts, ...names.parts];

  const asked = checkQuestion(response, context, query, { entities: names.entities, quantities: figures.quantities }, comparison.judged);
  // Whether what the answer names is the kind of thing, or the thing, the question describes (answer-fit.ts).
  const fit = query === undefined || queryText === undefined || comparison.judged ? [] : [
    ...checkPersonAnswer(response, context, query, queryText, names.entities),
    ...checkSuperlativeAnswer(response, context, query, queryText, names.entities),
    ...checkNamedAsAnswer(response, context, queryText),
  ];
  const findings: Finding[] = [...comparison.findings, ...asked, ...fit, ...figures.findings, ...names.findings];
  const parts: CheckedPart[] = [...namesAndFigures];
  for (const claim of response.claims) {
    const claimNodes = nodes.filter((n) => inClaim(claim, n.first));
    const claimWords = checkClaimWords(response, claim, {
      context,
      query,
      covered: names.covered,
      comparisonVerified: comparison.verified,
      namesAndFigures: namesAndFigures.filter((p) => inClaim(claim, p.at)),
    });
    findings.push(...claimWords.findings);
    parts.push(...claimWords.parts);
    // A settled comparison answer was read with its negation ("B was not born first").
    if (!comparison.judged) findings.push(...checkNegation(response, claim, claimWords.words, names.inName, claimNodes, context));
    findings.push(...checkNameSlots(response, claim, claimNodes, names.covered, context));
    // The question's comparison, once settled, already judged any comparison the answer states.
    const comparative = isComparativeClaim(response, claim);
    if (comparative && !comparison.judged) findings.push(...checkComparativeClaim(response, claim, context));
    // A comparison relates its two sides through dates or figures, not by naming them together.
    if (!comparative && !comparison.judged) findings.push(...checkRelations(response, claim, claimWords.words, claimNodes, context));
  }

  // Only parts inside a claim count towards how much of the response was checked.
  const counted = parts.filter((p) => claimAt(response.claims, p.at) !== undefined);
  return {
    findings: findings.sort((a, b) => a.start - b.start),
    checked: counted.length,
    grounded: counted.filter((p) => p.grounded).length,
  };
}
