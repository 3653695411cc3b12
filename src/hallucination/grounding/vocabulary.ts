/**
 * What a text "says" at the word level: its stems, the synonym groups those
 * stems belong to, and where each stem occurs. Built once for the context
 * and once for the query, then looked up per response word.
 */
import { phraseSynonym, synonymGroups } from "./synonyms.js";
import type { Token } from "./tokens.js";

export interface Vocabulary {
  readonly stems: ReadonlySet<string>;
  readonly groups: ReadonlySet<number>;
  /** Token indices of each stem, for proximity checks on multi-word names. */
  readonly positions: ReadonlyMap<string, readonly number[]>;
}

const NO_POSITIONS: ReadonlyMap<string, readonly number[]> = new Map();

/**
 * @param withPositions record token positions (needed for the whole context
 *   and the query, not for single sentences)
 */
export function buildVocabulary(tokens: readonly Token[], withPositions = true): Vocabulary {
  const stems = new Set<string>();
  const groups = new Set<number>();
  const positions = withPositions ? new Map<string, number[]>() : undefined;
  tokens.forEach((token, index) => {
    stems.add(token.stem);
    for (const group of synonymGroups(token.stem)) groups.add(group);
    if (positions !== undefined) {
      const list = positions.get(token.stem);
      if (list === undefined) positions.set(token.stem, [index]);
      else list.push(index);
    }

    const next = tokens[index + 1];
    if (next !== undefined) {
      const meaning = phraseSynonym(token.norm, next.norm);
      if (meaning !== undefined) {
        stems.add(meaning);
        for (const group of synonymGroups(meaning)) groups.add(group);
      }
    }
  });
  return { stems, groups, positions: positions ?? NO_POSITIONS };
}

/** The stem, or a synonym of it, occurs in the vocabulary. */
export function mentions(vocabulary: Vocabulary, stemmed: string): boolean {
  if (vocabulary.stems.has(stemmed)) return true;
  for (const group of synonymGroups(stemmed)) if (vocabulary.groups.has(group)) return true;
  return false;
}
