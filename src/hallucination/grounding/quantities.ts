/**
 * Numbers, dates, ordinals and decades read from tokens, in one canonical
 * form so that "nine weeks" meets "9 weeks", "2 March 1991" meets
 * "March 2, 1991" and "1.5 million" meets "1,500,000".
 */
import {
  APPROXIMATION_CUES,
  LOWER_BOUND_CUES,
  LOWER_BOUND_PHRASES,
  MONTHS,
  NUMBER_WORDS,
  ORDINAL_WORDS,
  SCALE_WORDS,
  UPPER_BOUND_CUES,
  UPPER_BOUND_PHRASES,
  unitOf,
} from "./number-words.js";
import type { Token } from "./tokens.js";

interface QuantityBase {
  /** Token range [first, last) the quantity was read from. */
  readonly first: number;
  readonly last: number;
}

export interface NumberQuantity extends QuantityBase {
  readonly kind: "number";
  readonly value: number;
  /** Canonical unit ("km", "week", "percent") when one follows the number. */
  readonly unit: string | undefined;
  /** Preceded by "about", "approximately", ... */
  readonly approximate: boolean;
  /** "over 200" is a lower bound, "under 200" an upper one. */
  readonly bound: "lower" | "upper" | undefined;
}

export interface DateQuantity extends QuantityBase {
  readonly kind: "date";
  readonly year: number | undefined;
  readonly month: number;
  readonly day: number | undefined;
}

export interface OrdinalQuantity extends QuantityBase {
  readonly kind: "ordinal";
  readonly value: number;
  /** "19th century" reads as an ordinal with unit "century". */
  readonly unit: string | undefined;
}

export interface DecadeQuantity extends QuantityBase {
  readonly kind: "decade";
  readonly value: number;
}

export type Quantity = NumberQuantity | DateQuantity | OrdinalQuantity | DecadeQuantity;

function integerToken(token: Token | undefined): number | undefined {
  if (token === undefined || !/^\d+(?:st|nd|rd|th)?$/.test(token.norm)) return undefined;
  return Number.parseInt(token.norm, 10);
}

function isYear(value: number | undefined): value is number {
  return value !== undefined && value >= 1000 && value <= 2199;
}

function isDay(value: number | undefined): value is number {
  return value !== undefined && value >= 1 && value <= 31;
}

function monthOf(token: Token | undefined, neighbourIsNumber: boolean): number | undefined {
  if (token === undefined) return undefined;
  const month = MONTHS.get(token.norm);
  // "may" and "march" are verbs too: only a capitalised word next to a number is a month.
  if (month === undefined || !token.capitalized || !neighbourIsNumber) return undefined;
  return month;
}

function readDate(tokens: readonly Token[], i: number): DateQuantity | undefined {
  const here = tokens[i];
  const next = tokens[i + 1];
  const afterNext = tokens[i + 2];

  // "March 2, 1991", "March 1991", "February 5th, 1953"
  const monthFirst = monthOf(here, integerToken(next) !== undefined);
  if (monthFirst !== undefined) {
    const value = integerToken(next);
    if (isYear(value)) return { kind: "date", year: value, month: monthFirst, day: undefined, first: i, last: i + 2 };
    if (isDay(value)) {
      const year = integerToken(afterNext);
      return isYear(year)
        ? { kind: "date", year, month: monthFirst, day: value, first: i, last: i + 3 }
        : { kind: "date", year: undefined, month: monthFirst, day: value, first: i, last: i + 2 };
    }
    return undefined;
  }

  // "2 March 1991", "2 March"
  const day = integerToken(here);
  if (isDay(day) && here !== undefined && !here.norm.includes(".")) {
    const month = monthOf(next, true);
    if (month !== undefined) {
      const year = integerToken(afterNext);
      return isYear(year)
        ? { kind: "date", year, month, day, first: i, last: i + 3 }
        : { kind: "date", year: undefined, month, day, first: i, last: i + 2 };
    }
  }
  return undefined;
}

function cueBefore(tokens: readonly Token[], i: number): { approximate: boolean; bound: "lower" | "upper" | undefined } {
  const one = tokens[i - 1]?.norm ?? "";
  const two = tokens[i - 2]?.norm ?? "";
  const pair = `${two} ${one}`;
  let bound: "lower" | "upper" | undefined;
  if (LOWER_BOUND_PHRASES.has(pair) || LOWER_BOUND_CUES.has(one)) bound = "lower";
  else if (UPPER_BOUND_PHRASES.has(pair) || UPPER_BOUND_CUES.has(one)) bound = "upper";
  // "about 300", "some 300", "approximately 300"; also "an estimated 300".
  const approximate = APPROXIMATION_CUES.has(one) || (one === "of" && APPROXIMATION_CUES.has(two));
  return { approximate, bound };
}

/** Reads "twenty-five", "two hundred and five", "three million" starting at i. */
function readNumberWords(tokens: readonly Token[], i: number): { value: number; last: number } | undefined {
  let total = 0;
  let current = 0;
  let j = i;
  let consumed = false;
  while (j < tokens.length) {
    const word = tokens[j]?.norm ?? "";
    const small = NUMBER_WORDS.get(word) ?? (word === "one" ? 1 : undefined);
    const scale = SCALE_WORDS.get(word);
    if (small !== undefined) {
      current += small;
    } else if (scale !== undefined && (consumed || word === "hundred" || word === "thousand")) {
      current = (current === 0 ? 1 : current) * scale;
      if (scale >= 1000) {
        total += current;
        current = 0;
      }
    } else if (word === "and" && consumed && NUMBER_WORDS.get(tokens[j + 1]?.norm ?? "") !== undefined) {
      j++;
      continue;
    } else {
      break;
    }
    consumed = true;
    j++;
  }
  if (!consumed) return undefined;
  return { value: total + current, last: j };
}

function unitAfter(tokens: readonly Token[], j: number, text: string): { unit: string | undefined; last: number } {
  const token = tokens[j - 1];
  if (token !== undefined && text.charAt(token.end) === "%") return { unit: "percent", last: j };
  const next = tokens[j];
  if (next === undefined) return { unit: undefined, last: j };
  const unit = unitOf(next.norm);
  if (unit !== undefined) return { unit, last: j + 1 };
  if (next.norm === "per" && tokens[j + 1]?.norm === "cent") return { unit: "percent", last: j + 2 };
  return { unit: undefined, last: j };
}

/** All quantities in the tokens, left to right, each token read at most once. */
export function readQuantities(tokens: readonly Token[], text: string): Quantity[] {
  const found: Quantity[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token === undefined) break;

    const date = readDate(tokens, i);
    if (date !== undefined) {
      found.push(date);
      i = date.last;
      continue;
    }

    if (token.numeric) {
      const norm = token.norm;
      if (/^\d+(?:st|nd|rd|th)$/.test(norm)) {
        const value = Number.parseInt(norm, 10);
        const unit = tokens[i + 1]?.norm === "century" ? "century" : undefined;
        found.push({ kind: "ordinal", value, unit, first: i, last: unit === undefined ? i + 1 : i + 2 });
        i += unit === undefined ? 1 : 2;
        continue;
      }
      if (/^\d+s$/.test(norm)) {
        found.push({ kind: "decade", value: Number.parseInt(norm, 10), first: i, last: i + 1 });
        i++;
        continue;
      }
      let value = Number.parseFloat(norm.replace(/,/g, ""));
      let j = i + 1;
      const scale = SCALE_WORDS.get(tokens[j]?.norm ?? "");
      if (scale !== undefined) {
        value *= scale;
        j++;
      }
      const { unit, last } = unitAfter(tokens, j, text);
      found.push({ kind: "number", value, unit, ...cueBefore(tokens, i), first: i, last });
      i = last;
      continue;
    }

    const ordinal = ORDINAL_WORDS.get(token.norm);
    if (ordinal !== undefined) {
      const unit = tokens[i + 1]?.norm === "century" ? "century" : undefined;
      found.push({ kind: "ordinal", value: ordinal, unit, first: i, last: unit === undefined ? i + 1 : i + 2 });
      i += unit === undefined ? 1 : 2;
      continue;
    }

    const words = token.norm === "one" && SCALE_WORDS.get(tokens[i + 1]?.norm ?? "") === undefined ? undefined : readNumberWords(tokens, i);
    if (words !== undefined) {
      const { unit, last } = unitAfter(tokens, words.last, text);
      found.push({ kind: "number", value: words.value, unit, ...cueBefore(tokens, i), first: i, last });
      i = last;
      continue;
    }
    i++;
  }
  return found;
}

/** A stable key for a numeric value (floating point noise removed). */
export function valueKey(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  return String(Number(value.toPrecision(12)));
}
