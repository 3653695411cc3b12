/**
 * Named things in a text: runs of capitalised words ("Kings of Leon",
 * "Kim Yool-ho"), acronyms ("NFL") and quoted titles ("The Map Against the
 * World"). These are the parts an answer most often gets wrong, so each one
 * must be found in the context as a whole.
 */
import { STOPWORDS } from "./function-words.js";
import { HONORIFICS, NAME_CONNECTORS } from "./name-words.js";
import type { Token } from "./tokens.js";

export interface EntityMention {
  /** As written, e.g. "London, England" is two mentions: "London" and "England". */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Index range [first, last) into the token array the mention was read from. */
  readonly first: number;
  readonly last: number;
  /** The tokens that identify it: without "the", "of", "Sir", ... */
  readonly keyTokens: readonly Token[];
  /** A quoted title: its words must appear in this order. */
  readonly quoted: boolean;
}

const QUOTED = /["“]([^"“”\n]{1,120})["”]/g;

function isSignificant(token: Token): boolean {
  if (token.allCaps) return true;
  return !STOPWORDS.has(token.norm) && !HONORIFICS.has(token.norm) && !NAME_CONNECTORS.has(token.norm);
}

function keyTokensOf(tokens: readonly Token[]): Token[] {
  const key = tokens.filter((t) => isSignificant(t) && !t.numeric);
  return key.length > 0 ? key : tokens.filter((t) => !t.numeric);
}

function joinedByHyphen(text: string, left: Token, right: Token): boolean {
  return right.start - left.end === 1 && text.charAt(left.end) === "-";
}

/** Only white space (or an apostrophe's leftovers) between two tokens: "London, England" is two names. */
function adjacent(text: string, left: Token, right: Token): boolean {
  return /^[\s'’]*$/.test(text.slice(left.end, right.start));
}

export interface EntityScanOptions {
  /** Token indices where a sentence starts: a capital there proves nothing. */
  readonly sentenceStarts: ReadonlySet<number>;
  /** Whether a single capitalised word opening a sentence is a name ("Curie won ...") or not ("Construction was ..."). */
  readonly openerIsName: (norm: string) => boolean;
}

export function findEntities(tokens: readonly Token[], text: string, options: EntityScanOptions): EntityMention[] {
  const mentions: EntityMention[] = [];
  const inQuote = new Uint8Array(tokens.length);

  QUOTED.lastIndex = 0;
  for (const match of text.matchAll(QUOTED)) {
    const innerStart = match.index + 1;
    const innerEnd = innerStart + (match[1]?.length ?? 0);
    let first = -1;
    let last = -1;
    tokens.forEach((token, index) => {
      if (token.start >= innerStart && token.end <= innerEnd) {
        if (first === -1) first = index;
        last = index + 1;
        inQuote[index] = 1;
      }
    });
    const firstToken = tokens[first];
    const lastToken = tokens[last - 1];
    if (first === -1 || firstToken === undefined || lastToken === undefined) continue;
    const span = tokens.slice(first, last);
    mentions.push({
      text: text.slice(firstToken.start, lastToken.end),
      start: firstToken.start,
      end: lastToken.end,
      first,
      last,
      keyTokens: keyTokensOf(span),
      quoted: true,
    });
  }

  const nameLike = (index: number): boolean => {
    const token = tokens[index];
    if (token === undefined || token.numeric || inQuote[index] === 1) return false;
    if (token.allCaps) return true;
    if (!token.capitalized) return false;
    if (options.sentenceStarts.has(index)) {
      if (STOPWORDS.has(token.norm) || HONORIFICS.has(token.norm)) return false;
      const next = tokens[index + 1];
      const nextIsName = next !== undefined && next.capitalized && !next.numeric && adjacent(text, token, next);
      return nextIsName || options.openerIsName(token.norm);
    }
    return true;
  };

  let i = 0;
  while (i < tokens.length) {
    if (!nameLike(i)) {
      i++;
      continue;
    }
    let end = i + 1;
    for (;;) {
      const previous = tokens[end - 1];
      const current = tokens[end];
      if (previous === undefined || current === undefined || options.sentenceStarts.has(end) || inQuote[end] === 1) break;
      if (nameLike(end) && adjacent(text, previous, current)) {
        end++;
      } else if (joinedByHyphen(text, previous, current) && !current.numeric) {
        end++; // "Kim Yool-ho", "Jun-fan"
      } else if (
        !current.capitalized &&
        NAME_CONNECTORS.has(current.norm) &&
        nameLike(end + 1) &&
        adjacent(text, previous, current) &&
        tokens[end + 1] !== undefined &&
        adjacent(text, current, tokens[end + 1] as Token)
      ) {
        end += 2; // "Kings of Leon", "First for Women"
      } else {
        break;
      }
    }
    const span = tokens.slice(i, end);
    const firstToken = span[0];
    const lastToken = span[span.length - 1];
    if (firstToken !== undefined && lastToken !== undefined) {
      const key = keyTokensOf(span);
      if (key.length > 0) {
        mentions.push({
          text: text.slice(firstToken.start, lastToken.end),
          start: firstToken.start,
          end: lastToken.end,
          first: i,
          last: end,
          keyTokens: key,
          quoted: false,
        });
      }
    }
    i = end;
  }
  return mentions.sort((a, b) => a.start - b.start);
}
