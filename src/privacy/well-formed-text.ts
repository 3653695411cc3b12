/**
 * Text Phoenix stores as sent. Two things in a JavaScript string it cannot:
 * a lone UTF-16 surrogate (not Unicode; it cannot be encoded as UTF-8, so
 * it would be stored altered or refused) and U+0000 (PostgreSQL text and
 * JSONB cannot hold it). Both become U+FFFD, the replacement character.
 * Other control characters are stored fine and are kept.
 *
 * `isWellFormed` / `toWellFormed` are native in Node 20 (V8 11.3); the
 * TypeScript lib this package compiles against (ES2023) does not declare them.
 */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

export function isCleanText(text: string): boolean {
  return (text as unknown as WellFormedString).isWellFormed() && !text.includes("\0");
}

export function cleanText(text: string): string {
  if (isCleanText(text)) return text;
  const wellFormed = (text as unknown as WellFormedString).toWellFormed();
  return wellFormed.includes("\0") ? wellFormed.replaceAll("\0", "\uFFFD") : wellFormed;
}
