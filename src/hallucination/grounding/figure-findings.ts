/**
 * Every number, date, ordinal and decade of the response must be one the
 * context states.
 */
import type { ResponseText } from "./claims.js";
import type { ContextIndex } from "./context-index.js";
import type { PlacedNode } from "./cooccurrence.js";
import { STRENGTH, quote, type CheckedPart, type Finding } from "./findings.js";
import { DIMENSION_WORDS } from "./number-words.js";
import { readQuantities, type Quantity } from "./quantities.js";
import { checkQuantity, quantityMatches } from "./quantity-check.js";

export interface FigureFindings {
  readonly findings: readonly Finding[];
  readonly parts: readonly CheckedPart[];
  /** The grounded figures, for the relation checks. */
  readonly nodes: readonly PlacedNode[];
  /** 1 for tokens judged here (the figure and a dimension word after it: "330 m tall"). */
  readonly covered: Uint8Array;
  /** Every figure of the response, grounded or not. */
  readonly quantities: readonly Quantity[];
}

export function checkFigures(response: ResponseText, context: ContextIndex): FigureFindings {
  const { tokens, text: responseText } = response;
  const findings: Finding[] = [];
  const parts: CheckedPart[] = [];
  const nodes: PlacedNode[] = [];
  const covered = new Uint8Array(tokens.length);
  const quantities = readQuantities(tokens, responseText);
  for (const quantity of quantities) {
    const firstToken = tokens[quantity.first];
    const lastToken = tokens[quantity.last - 1];
    if (firstToken === undefined || lastToken === undefined) continue;
    covered.fill(1, quantity.first, quantity.last);
    const after = tokens[quantity.last];
    if (after !== undefined && DIMENSION_WORDS.has(after.norm)) covered[quantity.last] = 1;

    const text = responseText.slice(firstToken.start, lastToken.end);
    const check = checkQuantity(quantity, context);
    parts.push({ at: quantity.first, grounded: check.grounded });
    if (check.grounded) {
      nodes.push({
        text,
        inSentence: (sentence) => sentence.quantities.some((q) => quantityMatches(q, quantity)),
        first: quantity.first,
        last: quantity.last,
        entity: undefined,
      });
      continue;
    }
    findings.push({
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
  return { findings, parts, nodes, covered, quantities };
}
