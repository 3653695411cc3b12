const MAX_ERROR_TEXT = 2_000;

/**
 * The text of anything thrown (or given as a failed prediction), for
 * Phoenix's `error` fields: an Error's name and message, anything else as
 * text. Never throws, whatever the value (a getter that throws, a
 * `toString` that throws), and stays bounded.
 */
export function errorText(value: unknown): string {
  let text: string;
  if (isError(value)) {
    const name = readable(() => value.name) || "Error";
    const message = readable(() => value.message);
    text = message ? `${name}: ${message}` : name;
  } else {
    text = readable(() => (typeof value === "string" ? value : String(value))) || "an unreadable error";
  }
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

/** `value instanceof Error`, without throwing for a hostile proxy. */
export function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/** A string property of untrusted code, or "" when it is not one or throws. */
function readable(read: () => unknown): string {
  try {
    const value = read();
    return typeof value === "string" ? value : "";
  } catch {
    return "";
  }
}
