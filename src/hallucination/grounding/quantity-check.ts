/**
 * Whether a number, date, ordinal or decade of the response is one the
 * context states. An unqualified number is an exact claim ("6 km" is not
 * "6.213 km"); "about"/"approximately" allows 5 %, and "over"/"under" is
 * checked as the bound it is.
 */
import type { ContextIndex } from "./context-index.js";
import { valueKey, type Quantity } from "./quantities.js";

export interface QuantityCheck {
  readonly grounded: boolean;
  /** What the context says instead, when it says something close. */
  readonly contextSays?: string;
}

const APPROXIMATION_TOLERANCE = 0.05;

function isYearLike(value: number): boolean {
  return Number.isInteger(value) && value >= 1000 && value <= 2199;
}

function unitsCompatible(a: string, b: string): boolean {
  return a === "" || b === "" || a === b;
}

function quoteText(text: string): string {
  return `"${text}"`;
}

function describeDates(context: ContextIndex, year: number | undefined, month: number): string | undefined {
  const near = context.dates.filter((d) => (year !== undefined && d.year === year) || d.month === month);
  const first = near[0];
  if (first === undefined) return undefined;
  return quoteText(context.text.slice(context.tokens[first.first]?.start ?? 0, context.tokens[first.last - 1]?.end ?? 0));
}

export function checkQuantity(quantity: Quantity, context: ContextIndex): QuantityCheck {
  switch (quantity.kind) {
    case "date": {
      const match = context.dates.some(
        (d) =>
          d.month === quantity.month &&
          (d.day === undefined || quantity.day === undefined || d.day === quantity.day) &&
          (d.year === undefined || quantity.year === undefined || d.year === quantity.year),
      );
      if (match) return { grounded: true };
      const says = describeDates(context, quantity.year, quantity.month);
      return says === undefined ? { grounded: false } : { grounded: false, contextSays: says };
    }
    case "ordinal": {
      if (context.ordinals.has(`${quantity.value}|${quantity.unit ?? ""}`)) return { grounded: true };
      if (quantity.unit === "century") {
        const from = (quantity.value - 1) * 100;
        for (const year of context.years) if (year >= from && year < from + 100) return { grounded: true };
      }
      return { grounded: false };
    }
    case "decade": {
      if (context.decades.has(quantity.value)) return { grounded: true };
      for (const year of context.years) if (year >= quantity.value && year < quantity.value + 10) return { grounded: true };
      return { grounded: false };
    }
    case "number": {
      const unit = quantity.unit ?? "";
      const units = context.numbers.get(valueKey(quantity.value));
      if (units !== undefined && [...units].some((u) => unitsCompatible(u, unit))) {
        return { grounded: true };
      }
      if (units !== undefined) {
        const same = context.numberValues.find((n) => valueKey(n.value) === valueKey(quantity.value));
        return same === undefined ? { grounded: false } : { grounded: false, contextSays: quoteText(same.text) };
      }
      const comparable = context.numberValues.filter((n) => unitsCompatible(n.unit, unit) && n.value !== 0);
      if (quantity.approximate) {
        const close = comparable.some((n) => Math.abs(n.value - quantity.value) / Math.abs(n.value) <= APPROXIMATION_TOLERANCE);
        if (close) return { grounded: true };
      }
      // A bound is grounded by a figure of the same order of magnitude that satisfies it, not by any year in the text.
      const sameOrder = comparable.filter(
        (n) => n.value >= quantity.value / 10 && n.value <= quantity.value * 10 && (isYearLike(n.value) === isYearLike(quantity.value) || n.unit !== ""),
      );
      if (quantity.bound === "lower" && sameOrder.some((n) => n.value > quantity.value)) return { grounded: true };
      if (quantity.bound === "upper" && sameOrder.some((n) => n.value < quantity.value)) return { grounded: true };
      const nearest = comparable
        .filter((n) => n.unit !== "" && n.unit === unit)
        .sort((a, b) => Math.abs(a.value - quantity.value) - Math.abs(b.value - quantity.value))[0];
      return nearest === undefined ? { grounded: false } : { grounded: false, contextSays: quoteText(nearest.text) };
    }
  }
}

/** The context quantity states the response quantity (same value, compatible date, same ordinal). */
export function quantityMatches(contextQuantity: Quantity, responseQuantity: Quantity): boolean {
  const c = contextQuantity;
  const r = responseQuantity;
  if (r.kind === "date") {
    return (
      c.kind === "date" &&
      c.month === r.month &&
      (c.day === undefined || r.day === undefined || c.day === r.day) &&
      (c.year === undefined || r.year === undefined || c.year === r.year)
    );
  }
  if (r.kind === "number") {
    if (c.kind === "number") {
      if (valueKey(c.value) === valueKey(r.value)) return true;
      return r.approximate && c.value !== 0 && Math.abs(c.value - r.value) / Math.abs(c.value) <= APPROXIMATION_TOLERANCE;
    }
    return c.kind === "date" && c.year === r.value;
  }
  if (r.kind === "ordinal") return c.kind === "ordinal" && c.value === r.value;
  if (c.kind === "decade") return c.value === r.value;
  if (c.kind === "number" || c.kind === "date") {
    const year = c.kind === "number" ? c.value : c.year;
    return year !== undefined && year >= r.value && year < r.value + 10;
  }
  return false;
}
