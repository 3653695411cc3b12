/**
 * Sentence and clause boundaries as character spans of the original text.
 * Retrieved passages are often glued together ("...century.First for Women"),
 * so a period followed directly by a capital also ends a sentence, unless the
 * word before it is an initial or a known abbreviation ("H. Bruce", "U.S.").
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "st",
  "jr",
  "sr",
  "no",
  "vs",
  "etc",
  "inc",
  "ltd",
  "co",
  "corp",
  "mt",
  "ft",
  "prof",
  "gen",
  "col",
  "lt",
  "sgt",
  "rev",
  "gov",
  "sen",
  "rep",
  "fig",
  "approx",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "ca",
  "c",
]);

function wordBefore(text: string, index: number): string {
  let start = index;
  while (start > 0 && /[\p{L}]/u.test(text.charAt(start - 1))) start--;
  return text.slice(start, index);
}

function isBoundary(text: string, index: number): boolean {
  const mark = text.charAt(index);
  if (mark === "\n") return true;
  if (mark !== "." && mark !== "!" && mark !== "?") return false;
  if (mark === ".") {
    const word = wordBefore(text, index);
    // An initial ("H."), an acronym's letter ("U.S.") or an abbreviation does not end a sentence.
    if (word.length === 1 || ABBREVIATIONS.has(word.toLowerCase())) return false;
    if (/\d/.test(text.charAt(index - 1)) && /\d/.test(text.charAt(index + 1))) return false;
  }
  let next = index + 1;
  while (next < text.length && /[.!?"'’”)\]]/.test(text.charAt(next))) next++;
  if (next >= text.length) return true;
  const following = text.charAt(next);
  if (/\s/.test(following)) {
    let after = next;
    while (after < text.length && /\s/.test(text.charAt(after))) after++;
    return after >= text.length || /[\p{Lu}\p{N}"'“‘(\[]/u.test(text.charAt(after));
  }
  // Glued passages: "century.First for Women", "in 1997.Your Pie"; not initials ("H.Bruce").
  return (
    mark === "." &&
    /\p{Lu}/u.test(following) &&
    (wordBefore(text, index).length >= 2 || /[\d)"'’”]/.test(text.charAt(index - 1)))
  );
}

/** Sentence spans, trimmed of surrounding white space, empty ones dropped. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (isBoundary(text, i)) {
      let end = i + 1;
      while (end < text.length && /[.!?"'’”)\]]/.test(text.charAt(end))) end++;
      pushTrimmed(text, start, end, spans);
      start = end;
      i = end - 1;
    }
  }
  pushTrimmed(text, start, text.length, spans);
  return spans;
}

function pushTrimmed(text: string, start: number, end: number, into: Span[]): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text.charAt(s))) s++;
  while (e > s && /\s/.test(text.charAt(e - 1))) e--;
  if (e > s) into.push({ start: s, end: e });
}

/** Where one claim of a response ends and a contrasting one starts. */
const CLAIM_BREAK = /;|,?\s+(?:but|however|whereas|while|although|though|yet)\b,?|,\s*and\s+(?=(?:he|she|it|they|this|these|its|his|her|their)\b)/gi;

/** Where one clause of a context sentence ends, for locating negations. */
const CLAUSE_BREAK = /[;,:()–—]|\s+(?:but|however|whereas|while|although|though|yet|except)\b/gi;

function splitBy(text: string, span: Span, pattern: RegExp): Span[] {
  const piece = text.slice(span.start, span.end);
  const spans: Span[] = [];
  let last = 0;
  pattern.lastIndex = 0;
  for (const match of piece.matchAll(pattern)) {
    pushTrimmed(text, span.start + last, span.start + match.index, spans);
    last = match.index + match[0].length;
  }
  pushTrimmed(text, span.start + last, span.end, spans);
  return spans;
}

/** Claims of a response: its sentences, further split at contrasts ("..., but ..."). */
export function splitClaims(text: string): Span[] {
  return splitSentences(text).flatMap((sentence) => splitBy(text, sentence, CLAIM_BREAK));
}

/** Clauses of a context sentence. */
export function splitClauses(text: string, sentence: Span): Span[] {
  return splitBy(text, sentence, CLAUSE_BREAK);
}
