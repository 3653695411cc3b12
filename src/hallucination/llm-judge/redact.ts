/**
 * Removes credentials from text that may end up in an error message: the
 * configured key wherever it appears (some providers echo it back), and
 * anything shaped like a bearer token or an OpenAI-style key.
 */

const EXCERPT_LENGTH = 200;

export function createRedactor(apiKey: string | undefined): (text: string) => string {
  return (text) => {
    let clean = text;
    if (apiKey !== undefined && apiKey.length > 0) clean = clean.split(apiKey).join("[redacted]");
    return clean
      .replace(/(bearer\s+)[^\s"',;]+/gi, "$1[redacted]")
      .replace(/\bsk-[A-Za-z0-9_-]{6,}/g, "sk-[redacted]");
  };
}

/** The first characters of a text, white space collapsed, credentials removed. */
export function excerptOf(text: string, redact: (text: string) => string): string {
  const flat = redact(text).replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
}
