/**
 * Names and figures a claim relates must be related in the context, and so
 * must a name and what the claim says of it.
 */
import { inPart, relationParts, type ClaimRange, type ResponseText } from "./claims.js";
import type { ContextIndex } from "./context-index.js";
import { findDisconnected, type PlacedNode } from "./cooccurrence.js";
import { STRENGTH, quote, trimEnd, type Finding } from "./findings.js";
import { findUnlinked } from "./linkage.js";
import type { ClaimWords } from "./word-findings.js";

export function checkRelations(
  response: ResponseText,
  claim: ClaimRange,
  words: ClaimWords,
  claimNodes: readonly PlacedNode[],
  context: ContextIndex,
): Finding[] {
  const { tokens, text } = response;
  const claimText = text.slice(claim.start, claim.end);
  const findings: Finding[] = [];
  for (const part of relationParts(claim, tokens, text)) {
    const partNodes = claimNodes.filter((n) => inPart(n.first, part));
    const antecedent = part.antecedent === undefined ? undefined : claimNodes.find((n) => n.last - 1 === part.antecedent);
    if (antecedent !== undefined) partNodes.unshift(antecedent);

    const disconnected = findDisconnected(partNodes, context.sentences);
    if (disconnected !== undefined) {
      findings.push({
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
      findings.push({
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
  return findings;
}
