import { inspect } from "node:util";
import { PhoenixConfigurationError } from "../errors.js";

const REDACTED = "[redacted]";

/**
 * The request headers, API key included, held where no log line can reach
 * them: in a private field, hidden from `util.inspect`, `JSON.stringify` and
 * enumeration. Only `toRequestHeaders()` hands them out, to the transport.
 */
export class Credentials {
  readonly #headers: Readonly<Record<string, string>>;
  /** True when an API key is sent (as `Authorization: Bearer …`). */
  readonly hasApiKey: boolean;

  constructor(apiKey: string | undefined, headers: Record<string, string> | undefined, source: "option" | "environment") {
    const merged: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(headers ?? {})) {
      checkHeader(name, value, source);
      merged[name.toLowerCase()] = value;
    }
    if (apiKey !== undefined && apiKey !== "") {
      checkHeader("authorization", apiKey, source);
      merged["authorization"] = `Bearer ${apiKey}`;
    }
    this.hasApiKey = "authorization" in merged;
    this.#headers = Object.freeze(merged);
  }

  /** A fresh copy of the headers for one request. */
  toRequestHeaders(): Record<string, string> {
    return { ...this.#headers };
  }

  /** The names (never the values) of the headers sent, for diagnostics. */
  headerNames(): string[] {
    return Object.keys(this.#headers);
  }

  /** Replaces every credential value found in `text` by a marker (defence in depth for messages built from foreign text). */
  redact(text: string): string {
    let out = text;
    for (const value of Object.values(this.#headers)) {
      for (const secret of secretForms(value)) {
        if (secret.length >= 4) out = out.split(secret).join(REDACTED);
      }
    }
    return out;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Credentials { headers: [${this.headerNames().join(", ")}] }`;
  }
}

function secretForms(value: string): string[] {
  return value.startsWith("Bearer ") ? [value, value.slice(7)] : [value];
}

function checkHeader(name: string, value: unknown, source: "option" | "environment"): void {
  const where = source === "option" ? "headers option" : "PHOENIX_CLIENT_HEADERS";
  if (typeof value !== "string") {
    throw new PhoenixConfigurationError(`Header ${JSON.stringify(name)} in the ${where} must be a string.`);
  }
  // A CR or LF would let a header value start a new header (request splitting).
  if (/[\r\n\0]/.test(value) || /[\r\n\0:]/.test(name) || name.trim() === "") {
    throw new PhoenixConfigurationError(
      `Header ${JSON.stringify(name.replace(/[\r\n\0]/g, "?"))} in the ${where} (or the API key) contains a line break or NUL; remove it.`,
    );
  }
}
