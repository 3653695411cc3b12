/**
 * The `grounding` detector: deterministic, in-process, no network. It checks
 * that the response's names, numbers, dates, negations, comparison answers
 * and content words are grounded in the context, and reports what is not.
 *
 * Score: the findings combine as independent evidence,
 * `score = 1 - Π(1 - strength_i)`, with strengths 0.9 for a name, number,
 * date or comparison the context does not support and for a claim the
 * context does not mention at all, 0.85 for a negation flip and for an
 * answer that does not give what the question asks, 0.8 for names
 * or figures the context never relates to each other, 0.75 for a name
 * attached to facts the context gives about someone else, 0.6-0.7 for an
 * unsupported word or phrase. With no finding the score is
 * `0.2 * (1 - v)`, where `v = min(1, groundedParts / 2)`: an answer with
 * nothing checkable in it (a bare "yes") is not evidence of a hallucination,
 * but is not evidence against one either.
 *
 * Confidence: for a "hallucinated" label, the score itself (the strength of
 * the evidence); for "factual", `(1 - score) * (0.5 + 0.5 * v)`, at most
 * 0.95, so a verdict resting on one or two grounded words is less sure than
 * one resting on several.
 */
import type { DetectorVerdict, HallucinationDetector, ResolvedHallucinationInput } from "../types.js";
import { analyseGrounding, type GroundingAnalysis } from "./analyse.js";
import { indexContext, type ContextIndex } from "./context-index.js";

const NOTHING_CHECKABLE_SCORE = 0.2;
const MAX_FACTUAL_CONFIDENCE = 0.95;

/** Callers often check several responses against one context; keep the last index. */
let lastContext: ContextIndex | undefined;

function contextIndexFor(text: string): ContextIndex {
  if (lastContext?.text !== text) lastContext = indexContext(text);
  return lastContext;
}

function verifiability(analysis: GroundingAnalysis): number {
  return Math.min(1, analysis.grounded / 2);
}

export function scoreAnalysis(analysis: GroundingAnalysis): number {
  if (analysis.findings.length === 0) return NOTHING_CHECKABLE_SCORE * (1 - verifiability(analysis));
  let clean = 1;
  for (const finding of analysis.findings) clean *= 1 - finding.strength;
  return 1 - clean;
}

function explain(analysis: GroundingAnalysis, hallucinated: boolean): string {
  const reasons = analysis.findings.map((f) => f.reason);
  if (reasons.length > 0) {
    const lead = hallucinated ? "Not grounded in the context" : "Below the threshold, but not fully grounded";
    return `${lead}: ${reasons.join("; ")}.`;
  }
  if (analysis.checked === 0) {
    return "Nothing in the response could be checked against the context (no names, numbers or content words); nothing contradicts it either.";
  }
  return `All ${analysis.grounded} checked parts of the response (names, numbers, dates and content words) are grounded in the context.`;
}

function uniqueTexts(analysis: GroundingAnalysis): string[] {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const finding of analysis.findings) {
    if (!seen.has(finding.text)) {
      seen.add(finding.text);
      texts.push(finding.text);
    }
  }
  return texts;
}

export interface GroundingDetectorOptions {
  /** Reported as `detector`; default "grounding". */
  readonly name?: string;
}

/** Runs the grounding analysis and turns it into a verdict; exposed for tests and the eval script. */
export function groundingVerdict(input: ResolvedHallucinationInput): DetectorVerdict {
  const analysis = analyseGrounding(contextIndexFor(input.context), input.response, input.query);
  const score = scoreAnalysis(analysis);
  const hallucinated = score >= input.threshold;
  const confidence = hallucinated
    ? score
    : Math.min(MAX_FACTUAL_CONFIDENCE, (1 - score) * (0.5 + 0.5 * verifiability(analysis)));
  return {
    score,
    confidence,
    explanation: explain(analysis, hallucinated),
    unsupported: uniqueTexts(analysis),
  };
}

export function createGroundingDetector(options: GroundingDetectorOptions = {}): HallucinationDetector {
  return {
    name: options.name ?? "grounding",
    annotatorKind: "CODE",
    detect: (input) => groundingVerdict(input),
  };
}

/** The default detector: deterministic, offline, well under a millisecond for a paragraph of context. */
export const grounding: HallucinationDetector = createGroundingDetector();
