/**
 * Names of countries and US states, so that an answer naming only "Maine"
 * or "Germany" is known not to name the city, town or county a question
 * asks for. Names that are also common city names (New York, Washington)
 * are left out.
 */
import { nationalityOf } from "./synonyms.js";

const US_STATES: ReadonlySet<string> = new Set(
  (
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois " +
    "indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri " +
    "montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin wyoming"
  ).split(" "),
);

const TWO_WORD_STATES: ReadonlySet<string> = new Set([
  "new hampshire",
  "new jersey",
  "new mexico",
  "north carolina",
  "north dakota",
  "rhode island",
  "south carolina",
  "south dakota",
  "west virginia",
  "united states",
  "united kingdom",
  "great britain",
]);

/** A name that is a country or a US state ("Maine", "New Jersey", "Germany", "United States"). */
export function isCountryOrState(norms: readonly string[], stems: readonly string[]): boolean {
  if (norms.length === 1) {
    const [norm] = norms;
    const [stemmed] = stems;
    return (norm !== undefined && US_STATES.has(norm)) || (stemmed !== undefined && nationalityOf(stemmed) !== undefined);
  }
  return norms.length === 2 && TWO_WORD_STATES.has(norms.join(" "));
}
