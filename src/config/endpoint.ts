import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PhoenixConfigurationError } from "../errors.js";

/** Where spans go: a Phoenix server over HTTP(S), or the local store in a directory. */
export type PhoenixEndpoint =
  | { kind: "http"; /** Base URL without trailing slash, path prefix kept. */ baseUrl: string; display: string }
  | { kind: "file"; directory: string; display: string };

export const DEFAULT_ENDPOINT = "http://localhost:6006";

/**
 * Parses `http(s)://host[:port][/prefix]` or `file://DIR`.
 *
 * A trailing slash and a `/v1/traces` suffix (the OTLP URL people copy from
 * Phoenix's docs) are tolerated. `file://./phoenix-data`, `file://phoenix-data`
 * and `file:///abs/dir` all name a directory; relative ones resolve against
 * the working directory.
 */
export function parseEndpoint(raw: string, source: "option" | "environment"): PhoenixEndpoint {
  const text = raw.trim();
  if (/^file:/i.test(text)) return fileEndpoint(text, source);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PhoenixConfigurationError(
      `${label(source)} ${JSON.stringify(text)} is not a URL. Use e.g. http://localhost:6006 or file://./phoenix-data.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PhoenixConfigurationError(
      `${label(source)} must be http://, https:// or file://, not ${url.protocol}//.`,
    );
  }
  if (url.search || url.hash) {
    throw new PhoenixConfigurationError(`${label(source)} must not carry a query string or fragment.`);
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and error messages; they belong in the API key or headers.
    throw new PhoenixConfigurationError(
      `${label(source)} must not contain a user name or password; pass the key as apiKey / PHOENIX_API_KEY or in headers.`,
    );
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v1\/traces$/, "");
  const baseUrl = `${url.protocol}//${url.host}${path}`;
  return { kind: "http", baseUrl, display: baseUrl };
}

function fileEndpoint(text: string, source: "option" | "environment"): PhoenixEndpoint {
  let directory: string;
  if (/^file:\/\/\//i.test(text)) {
    directory = fileURLToPath(text);
  } else {
    directory = text.replace(/^file:(\/\/)?/i, "");
  }
  if (directory === "") {
    throw new PhoenixConfigurationError(`${label(source)} file:// needs a directory, e.g. file://./phoenix-data.`);
  }
  const absolute = isAbsolute(directory) ? directory : resolve(process.cwd(), directory);
  return { kind: "file", directory: absolute, display: `file://${absolute}` };
}

function label(source: "option" | "environment"): string {
  return source === "option" ? "The endpoint option" : "PHOENIX_COLLECTOR_ENDPOINT";
}

/** True for 127.0.0.0/8, ::1 and localhost: plain http there does not expose a key on a network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
