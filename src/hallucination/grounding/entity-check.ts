/**
 * Whether a name in the response is one the context contains. All of its
 * identifying words must be there, close together ("New York" is not
 * grounded by "New Jersey ... York"), or it must be an acronym of a name the
 * context spells out (or the reverse).
 */
import type { ContextIndex } from "./context-index.js";
import type { EntityMention } from "./entities.js";
import { mentions, type Vocabulary } from "./vocabulary.js";

export interface EntityCheck {
  readonly grounded: boolean;
  /** Context names sharing a word with the ungrounded one ("Kelli Ward" for "Kelli Clarkson"). */
  readonly similar: readonly string[];
}

function close(positionLists: readonly (readonly number[])[], window: number): boolean {
  if (positionLists.length < 2) return true;
  const [anchorList, ...rest] = positionLists;
  return (anchorList ?? []).some((anchor) => rest.every((list) => list.some((p) => Math.abs(p - anchor) <= window)));
}

/** The stems occur in this order in the context, with at most two other words between neighbours. */
function inOrder(stems: readonly string[], context: ContextIndex): boolean {
  const [head, ...rest] = stems;
  if (head === undefined) return true;
  return (context.vocabulary.positions.get(head) ?? []).some((start) => {
    let at = start;
    for (const stem of rest) {
      const next = (context.vocabulary.positions.get(stem) ?? []).find((p) => p > at && p <= at + 3);
      if (next === undefined) return false;
      at = next;
    }
    return true;
  });
}

function similarNames(entity: EntityMention, context: ContextIndex): string[] {
  const stems = new Set(entity.keyTokens.map((t) => t.stem));
  const names: string[] = [];
  for (const candidate of context.entities) {
    if (candidate.keyTokens.some((t) => stems.has(t.stem)) && !names.includes(candidate.text)) names.push(candidate.text);
  }
  return names.slice(0, 3);
}

/**
 * @param premise the query's vocabulary when the query is a wh-question: a
 *   name the question itself spells out may be repeated, as long as part of
 *   it is in the context too.
 */
export function checkEntity(entity: EntityMention, context: ContextIndex, premise: Vocabulary | undefined): EntityCheck {
  const key = entity.keyTokens;
  const first = key[0];
  if (key.length === 1 && first !== undefined && first.allCaps && context.acronyms.has(first.norm)) {
    return { grounded: true, similar: [] };
  }
  if (key.length >= 2) {
    const initials = key.map((t) => t.norm.charAt(0)).join("");
    if (context.vocabulary.stems.has(initials) && [...initials].length >= 2 && context.tokens.some((t) => t.allCaps && t.norm === initials)) {
      return { grounded: true, similar: [] };
    }
  }

  // The question may name the thing in full where the context shortens it ("Malcolm Smith" / "Smith").
  const namedByQuestion =
    premise !== undefined &&
    key.every((t) => premise.stems.has(t.stem)) &&
    close(
      key.map((t) => premise.positions.get(t.stem) ?? []),
      key.length + 2,
    );
  let inContext = 0;
  const directPositions: (readonly number[])[] = [];
  for (const token of key) {
    const positions = context.vocabulary.positions.get(token.stem);
    if (positions !== undefined) {
      inContext++;
      directPositions.push(positions);
    } else if (mentions(context.vocabulary, token.stem)) {
      inContext++;
    } else if (!namedByQuestion) {
      return { grounded: false, similar: similarNames(entity, context) };
    }
  }
  if (inContext === 0 || !close(directPositions, key.length + 4)) {
    return { grounded: false, similar: similarNames(entity, context) };
  }
  if (entity.quoted && !namedByQuestion && !inOrder(key.map((t) => t.stem), context)) {
    return { grounded: false, similar: similarNames(entity, context) };
  }
  return { grounded: true, similar: [] };
}
