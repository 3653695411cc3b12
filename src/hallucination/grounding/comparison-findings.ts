/**
 * Comparison answers: the side an answer takes on the question's comparison,
 * and a comparison a claim states itself, settled from the context's dates
 * or figures.
 */
import type { ClaimRange, ResponseText } from "./claims.js";
import { judgeComparativeClaim, judgeComparison } from "./comparison.js";
import type { ContextIndex } from "./context-index.js";
import { STRENGTH, trimEnd, type Finding } from "./findings.js";
import type { QueryFacts } from "./query-facts.js";

export interface ComparisonAnswerFindings {
  readonly findings: readonly Finding[];
  /** The question's comparison was settled (either way) from the context. */
  readonly judged: boolean;
  /** The answer took the side the context supports. */
  readonly verified: boolean;
}

const NOT_A_COMPARISON: ComparisonAnswerFindings = { findings: [], judged: false, verified: false };

export function checkComparisonAnswer(
  response: ResponseText,
  context: ContextIndex,
  query: QueryFacts | undefined,
): ComparisonAnswerFindings {
  const comparison = query?.comparison;
  if (comparison === undefined) return NOT_A_COMPARISON;
  const verdict = judgeComparison(comparison, response.tokens, context);
  const judged = verdict.status !== "undecided";
  const verified = verdict.status === "correct";
  if (verdict.status !== "wrong" || verdict.chosen === undefined) return { findings: [], judged, verified };
  const finding: Finding = {
    kind: "comparison",
    text: verdict.chosen,
    reason: verdict.explanation,
    strength: STRENGTH.comparison,
    start: Math.max(0, response.text.toLowerCase().indexOf(verdict.chosen.toLowerCase())),
  };
  return { findings: [finding], judged, verified };
}

/** Whether the claim states a comparison ("A is younger than B"). */
export function isComparativeClaim(response: ResponseText, claim: ClaimRange): boolean {
  return response.tokens.slice(claim.first, claim.last).some((t) => t.norm === "than");
}

export function checkComparativeClaim(response: ResponseText, claim: ClaimRange, context: ContextIndex): Finding[] {
  const claimText = response.text.slice(claim.start, claim.end);
  const verdict = judgeComparativeClaim(claimText, context);
  if (verdict.status !== "wrong") return [];
  return [
    {
      kind: "comparison",
      text: trimEnd(claimText),
      reason: verdict.explanation,
      strength: STRENGTH.comparison,
      start: claim.start,
    },
  ];
}
