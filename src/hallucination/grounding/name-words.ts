/** Words inside or around a proper name that do not identify it. */

/** Titles that may be added to or dropped from a name without changing who it is. */
export const HONORIFICS: ReadonlySet<string> = new Set([
  "sir",
  "mr",
  "mrs",
  "ms",
  "miss",
  "dr",
  "prof",
  "dame",
  "jr",
  "sr",
]);

/** Lower-case words allowed inside a proper name ("Kings of Leon", "Ludwig van Beethoven"). */
export const NAME_CONNECTORS: ReadonlySet<string> = new Set([
  "of",
  "the",
  "de",
  "da",
  "del",
  "della",
  "di",
  "du",
  "la",
  "le",
  "van",
  "von",
  "der",
  "den",
  "dos",
  "das",
  "y",
  "for",
  "on",
  "upon",
]);
