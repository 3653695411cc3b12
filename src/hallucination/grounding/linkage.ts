/**
 * Swapped names: "Albert Einstein discovered polonium" against a context
 * where Marie Curie discovered polonium and Einstein did something else.
 * Every word is in the context, but never together: the name's own sentences
 * share none of the claim's words, while another sentence holds them.
 */
import type { ContextIndex, ContextSentence } from "./context-index.js";
import type { EntityMention } from "./entities.js";

export interface Unlinked {
  readonly entity: EntityMention;
  /** The names the context attaches the claim's words to instead. */
  readonly insteadOf: string | undefined;
}

function mentionsEntity(sentence: ContextSentence, stems: readonly string[]): boolean {
  return stems.every((s) => sentence.stems.has(s) || sentence.subjectStems.has(s));
}

function coverage(sentence: ContextSentence, predicate: ReadonlySet<string>): number {
  let count = 0;
  for (const s of predicate) if (sentence.stems.has(s)) count++;
  return count;
}

/**
 * @param entities the claim's names that the context does contain
 * @param predicate stems of the claim's other words that the context contains
 */
export function findUnlinked(
  entities: readonly EntityMention[],
  predicate: ReadonlySet<string>,
  context: ContextIndex,
): Unlinked[] {
  if (predicate.size === 0 || context.sentences.length < 2) return [];
  let bestAnywhere = 0;
  let bestSentence: ContextSentence | undefined;
  for (const sentence of context.sentences) {
    const c = coverage(sentence, predicate);
    if (c > bestAnywhere) {
      bestAnywhere = c;
      bestSentence = sentence;
    }
  }
  if (bestAnywhere < Math.max(1, Math.ceil(predicate.size / 2)) || bestSentence === undefined) return [];

  const unlinked: Unlinked[] = [];
  for (const entity of entities) {
    const stems = entity.keyTokens.map((t) => t.stem).filter((s) => context.vocabulary.stems.has(s));
    if (stems.length === 0) continue;
    const own = context.sentences.filter((s) => mentionsEntity(s, stems));
    if (own.length === 0 || own.includes(bestSentence)) continue;
    if (own.some((s) => coverage(s, predicate) > 0)) continue;
    const sentence = bestSentence;
    const others = context.entities
      .filter((e) => e.first >= sentence.first && e.last <= sentence.last)
      .map((e) => e.text)
      .filter((t) => !stems.some((s) => t.toLowerCase().includes(s)));
    unlinked.push({ entity, insteadOf: others.length > 0 ? others.slice(0, 2).join(", ") : undefined });
  }
  return unlinked;
}
