/**
 * What a grounding check reports: findings (a part of the response the
 * context does not support, with a reason and a strength) and the checked
 * parts it grounded, which tell how much evidence a clean verdict rests on.
 */

export type FindingKind =
  | "entity"
  | "number"
  | "negation"
  | "comparison"
  | "question"
  | "claim"
  | "phrase"
  | "link"
  | "unrelated";

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

/** A checkable part of the response (a name, a figure, a content word), by its first token. */
export interface CheckedPart {
  readonly at: number;
  readonly grounded: boolean;
}

/**
 * A name, number or comparison the context contradicts or lacks is
 * near-certain evidence; so is a claim the context does not mention at all,
 * and an answer that does not give what the question asks. A negation flip,
 * names the context never relates, or a name attached to someone else's
 * facts rest on word matching and weigh a little less; an unsupported word
 * least, as it may be a paraphrase the synonym lists lack.
 */
export const STRENGTH: Readonly<Record<FindingKind, number>> = {
  entity: 0.9,
  number: 0.9,
  comparison: 0.9,
  claim: 0.9,
  question: 0.85,
  negation: 0.85,
  unrelated: 0.8,
  link: 0.75,
  phrase: 0.7,
};

/** One unsupported word in an otherwise well grounded claim. */
export const MINOR_PHRASE_STRENGTH = 0.6;

export function quote(text: string): string {
  return `"${text.replace(/[\s.,;:!?]+$/, "")}"`;
}

export function trimEnd(text: string): string {
  return text.replace(/[\s.;,]+$/, "");
}
