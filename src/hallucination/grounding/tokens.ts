/**
 * Tokens with their position in the original text, so that what the detector
 * reports ("London, England") is quoted from the response as written.
 */
import { stem } from "./stem.js";

export interface Token {
  /** The token as written. */
  readonly text: string;
  /** Lower case, diacritics and apostrophes removed, possessive "'s" dropped. */
  readonly norm: string;
  readonly stem: string;
  /** Offsets of the token in the original text. */
  readonly start: number;
  readonly end: number;
  /** The token as written starts with an upper-case letter. */
  readonly capitalized: boolean;
  /** Two or more letters, all upper case ("NFL", "USA"). */
  readonly allCaps: boolean;
  /** Digits ("1844", "6.213", "722,664", "19th", "1990s"). */
  readonly numeric: boolean;
}

const TOKEN_PATTERN =
  /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:st|nd|rd|th|s)?|[\p{L}\p{M}](?:[\p{L}\p{M}\p{N}]|['’](?=[\p{L}\p{M}]))*/gu;

/** Letters NFKD does not decompose into a base letter plus a mark. */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: "ss",
  ø: "o",
  æ: "ae",
  œ: "oe",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};

/** Lower case without diacritics: "Único" → "unico", "Müller" → "muller". */
export function fold(text: string): string {
  // Most tokens are plain ASCII: skip Unicode normalisation for them.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  const lower = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  return /[ßøæœłđðþı]/.test(lower) ? lower.replace(/[ßøæœłđðþı]/g, (c) => LETTER_FOLDS[c] ?? c) : lower;
}

const UPPER = /^\p{Lu}/u;
const ALL_CAPS = /^\p{Lu}{2,}$/u;

function makeToken(text: string, norm: string, start: number, end: number): Token {
  const first = norm.charCodeAt(0);
  const numeric = first >= 48 && first <= 57;
  const capitalized = text !== norm && UPPER.test(text);
  return {
    text,
    norm,
    stem: numeric ? norm : stem(norm),
    start,
    end,
    capitalized,
    allCaps: capitalized && text.length > 1 && ALL_CAPS.test(text),
    numeric,
  };
}

/** Contractions whose stem changes when "n't" is removed. */
const NEGATED_BASES: Readonly<Record<string, string>> = { ca: "can", wo: "will", sha: "shall" };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // exec() rather than matchAll(): this runs on every call and iterator objects add up.
  const pattern = new RegExp(TOKEN_PATTERN.source, TOKEN_PATTERN.flags);
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const surface = match[0];
    const start = match.index;
    const end = start + surface.length;
    let lower = fold(surface);
    if (lower.includes("’")) lower = lower.replace(/’/g, "'");
    if (!lower.includes("'")) {
      tokens.push(makeToken(surface, lower, start, end));
      continue;
    }

    if (lower.endsWith("n't")) {
      // "isn't" carries two tokens: the verb and a negation the negation check must see.
      const rawBase = lower.slice(0, -3);
      const base = NEGATED_BASES[rawBase] ?? rawBase;
      if (base.length > 0) tokens.push(makeToken(surface.slice(0, -3), base, start, end - 3));
      tokens.push(makeToken(surface.slice(-3), "not", end - 3, end));
      continue;
    }
    if (lower.endsWith("'s")) lower = lower.slice(0, -2);
    else lower = lower.replace(/'(?:re|ve|ll|d|m)$/, "");
    lower = lower.replace(/'/g, "");
    if (lower.length === 0) continue;
    tokens.push(makeToken(surface, lower, start, end));
  }
  return tokens;
}
