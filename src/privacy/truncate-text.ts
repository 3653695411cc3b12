/**
 * The first `keep` characters of `text` and a marker saying how many were
 * cut: `…[truncated 18,234,112 chars]`. Never splits a surrogate pair.
 * Characters are UTF-16 code units, as `String#length` counts them.
 */
export function truncateText(text: string, keep: number): string {
  let end = Math.max(0, Math.min(keep, text.length));
  if (end >= text.length) return text;
  // A high surrogate at the cut would be left alone: cut before it.
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + truncationMarker(text.length - end);
}

export function truncationMarker(cut: number): string {
  return `…[truncated ${groupThousands(cut)} chars]`;
}

/** 18234112 → "18,234,112", whatever the locale. */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
