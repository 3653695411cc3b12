/**
 * A name moved into another name's slot: "ran on the Human Error network"
 * against "ran on the Fox network", "games by Sierra Entertainment" against
 * "games by Monolith Productions". Every word and name is in the context,
 * so only the words around the name tell: where the context writes the same
 * words next to a name, it must be this name.
 */
import type { ClaimRange, ResponseText } from "./claims.js";
import type { ContextIndex } from "./context-index.js";
import type { PlacedNode } from "./cooccurrence.js";
import type { EntityMention } from "./entities.js";
import { STRENGTH, quote, type Finding } from "./findings.js";
import { STOPWORDS } from "./function-words.js";
import type { Token } from "./tokens.js";
import { phraseSynonym, synonymGroups } from "./synonyms.js";

/** Words around a name that identify its slot: at most this many, at least one of them a content word. */
const SLOT_WORDS = 3;

const CONJUNCTIONS: ReadonlySet<string> = new Set(["and", "or", "but", "nor", "as", "than", "while", "whereas"]);

interface Slot {
  /** Norms of the words before (or after) the name, in text order. */
  readonly norms: readonly string[];
  readonly side: "before" | "after";
}

/** Only spaces or a hyphen between two tokens: a comma, a bracket or a quote ends a slot. */
function joined(text: string, left: Token | undefined, right: Token | undefined): boolean {
  return left !== undefined && right !== undefined && /^[\s-]*$/.test(text.slice(left.end, right.start));
}

function slotsOf(response: ResponseText, claim: ClaimRange, name: PlacedNode, covered: Uint8Array): Slot[] {
  const { tokens, text } = response;
  const slots: Slot[] = [];
  const before: string[] = [];
  for (let i = name.first - 1; i >= claim.first && before.length < SLOT_WORDS; i--) {
    const token = tokens[i];
    if (token === undefined || covered[i] === 1 || !joined(text, token, tokens[i + 1])) break;
    before.unshift(token.norm);
  }
  const after: string[] = [];
  for (let i = name.last; i < claim.last && after.length < SLOT_WORDS; i++) {
    const token = tokens[i];
    if (token === undefined || covered[i] === 1 || !joined(text, tokens[i - 1], token)) break;
    after.push(token.norm);
  }
  // A conjunction next to the name starts another phrase ("Argentina and is owned by"): no slot there.
  if (CONJUNCTIONS.has(before[before.length - 1] ?? "")) before.length = 0;
  if (CONJUNCTIONS.has(after[0] ?? "")) after.length = 0;
  // The shortest run of words next to the name that holds a content word ("games by").
  const content = (norm: string): boolean => !STOPWORDS.has(norm);
  for (let n = 1; n <= before.length; n++) {
    const norms = before.slice(before.length - n);
    if (norms.some(content)) {
      slots.push({ norms, side: "before" });
      break;
    }
  }
  for (let n = 1; n <= after.length; n++) {
    const norms = after.slice(0, n);
    if (norms.some(content)) {
      slots.push({ norms, side: "after" });
      break;
    }
  }
  return slots;
}

function initials(entity: EntityMention): string {
  return entity.keyTokens.map((t) => t.norm.charAt(0)).join("");
}

/** Every key word of `part` is a word of `whole`, or a synonym of one ("US" in "United States"). */
function within(part: EntityMention, whole: EntityMention): boolean {
  const stems = new Set(whole.keyTokens.map((t) => t.stem));
  whole.keyTokens.forEach((t, i) => {
    const next = whole.keyTokens[i + 1];
    const meaning = next === undefined ? undefined : phraseSynonym(t.norm, next.norm);
    if (meaning !== undefined) stems.add(meaning);
  });
  const groups = new Set([...stems].flatMap((s) => synonymGroups(s)));
  return part.keyTokens.every((t) => stems.has(t.stem) || synonymGroups(t.stem).some((g) => groups.has(g)));
}

/** One name written two ways: "Sébastien Buemi" / "Sébastien Olivier Buemi", "US" / "United States", "GCHQ". */
function sameName(a: EntityMention, b: EntityMention): boolean {
  if (within(a, b) || within(b, a)) return true;
  const single = (e: EntityMention): string | undefined => (e.keyTokens.length === 1 ? e.keyTokens[0]?.norm : undefined);
  return single(a) === initials(b) || single(b) === initials(a);
}

/** Names the context writes in this slot. */
function namesInSlot(slot: Slot, context: ContextIndex, byFirst: ReadonlyMap<number, EntityMention>, byLast: ReadonlyMap<number, EntityMention>): EntityMention[] {
  const { tokens, text } = context;
  const found: EntityMention[] = [];
  const n = slot.norms.length;
  for (let i = 0; i + n <= tokens.length; i++) {
    let matches = true;
    for (let k = 0; k < n && matches; k++) matches = tokens[i + k]?.norm === slot.norms[k] && (k === 0 || joined(text, tokens[i + k - 1], tokens[i + k]));
    if (!matches) continue;
    const named = slot.side === "before" ? byFirst.get(i + n) : byLast.get(i - 1);
    const touching = slot.side === "before" ? joined(text, tokens[i + n - 1], tokens[i + n]) : joined(text, tokens[i - 1], tokens[i]);
    if (named !== undefined && touching) found.push(named);
  }
  return found;
}

/**
 * @param covered tokens inside the response's names and figures: a slot is made of other words
 */
export function checkNameSlots(
  response: ResponseText,
  claim: ClaimRange,
  claimNodes: readonly PlacedNode[],
  covered: Uint8Array,
  context: ContextIndex,
): Finding[] {
  const names = claimNodes.filter((n) => n.entity !== undefined);
  if (names.length === 0) return [];
  const byFirst = new Map<number, EntityMention>();
  const byLast = new Map<number, EntityMention>();
  for (const e of context.entities) {
    byFirst.set(e.first, e);
    byLast.set(e.last - 1, e);
  }
  const findings: Finding[] = [];
  for (const node of names) {
    const entity = node.entity;
    if (entity === undefined) continue;
    for (const slot of slotsOf(response, claim, node, covered)) {
      const occupants = namesInSlot(slot, context, byFirst, byLast);
      if (occupants.length === 0 || occupants.some((o) => sameName(entity, o))) continue;
      const words = slot.norms.join(" ");
      const other = occupants[0]?.text ?? "";
      findings.push({
        kind: "link",
        text: entity.text,
        reason:
          slot.side === "before"
            ? `the context has ${quote(other)} after "${words}", not ${quote(entity.text)}`
            : `the context has ${quote(other)} before "${words}", not ${quote(entity.text)}`,
        strength: STRENGTH.link,
        start: entity.start,
      });
      break;
    }
  }
  return findings;
}
