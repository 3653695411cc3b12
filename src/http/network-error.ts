/**
 * What a network-level failure (no HTTP answer) means, in words: the one
 * reading of undici / Node / OpenSSL errors that the transport, the
 * connector and `doctor` share. Pure: it only looks at the error and at
 * what the caller tells it about the request.
 */

export type NetworkErrorKind =
  /** Nothing listens on the port (ECONNREFUSED). */
  | "refused"
  /** The host name does not resolve. */
  | "dns"
  /** No route to the host or network. */
  | "unreachable"
  /** No TCP/TLS connection within the connect timeout. */
  | "connect-timeout"
  /** Connected, but no answer (headers) within the timeout. */
  | "no-answer"
  /** An answer began, then stopped coming. */
  | "answer-stalled"
  /** The server closed the connection without answering. */
  | "closed"
  /** An https:// endpoint on a server that speaks plain HTTP. */
  | "tls-plain-http"
  /** The certificate chain is not trusted (self-signed, private CA). */
  | "tls-untrusted"
  /** The certificate has expired or is not valid yet. */
  | "tls-expired"
  /** The certificate is not for this host name. */
  | "tls-hostname"
  /** Any other TLS failure. */
  | "tls-other"
  /** Cancelled by the caller (an AbortSignal that is not a timeout). */
  | "cancelled"
  | "other";

export interface NetworkErrorContext {
  /** The URL (or origin) requested; its scheme, host and port go into the words. */
  url: string;
  /** The timeout of the request (headers, body, or the whole request), in ms. */
  timeoutMillis?: number;
  /** The connect timeout, in ms (defaults to `timeoutMillis`). */
  connectTimeoutMillis?: number;
  /**
   * For a timeout of the whole request (an abort, which does not say how far
   * the request got): whether a connection to the server was open when it
   * fired (e.g. undici `Pool#stats.connected > 0`). Unknown when omitted.
   */
  connected?: boolean;
  /** Applied to any text taken from the error (credentials scrubbing). */
  redact?: (text: string) => string;
}

export interface NetworkErrorReading {
  kind: NetworkErrorKind;
  /** The low-level code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, CERT_HAS_EXPIRED…), when there is a textual one. */
  code?: string;
  /** What happened, in words, starting with the code where people search for it: "ECONNREFUSED: nothing listens on …". */
  reason: string;
  /** What to do about it. */
  fix: string;
  /** Worth another attempt (a timeout, a refused or reset connection, DNS); a TLS mistake is not. */
  retryable: boolean;
}

const PLAIN_HTTP_ON_TLS = new Set(["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG", "ERR_SSL_HTTP_REQUEST", "EPROTO"]);
const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_CHAIN_TOO_LONG",
  "INVALID_CA",
]);
const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "EAI_NODATA"]);
const UNREACHABLE = new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "EADDRNOTAVAIL"]);
const CLOSED = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);

/** Reads a network error (thrown by undici `request`/`fetch`, a Pool, or node:net/tls) as a cause in words. */
export function readNetworkError(error: unknown, context: NetworkErrorContext): NetworkErrorReading {
  const chain = causeChain(error);
  const redact = context.redact ?? ((text: string) => text);
  const codes = chain.map(textCode).filter((c): c is string => c !== undefined);
  const names = chain.map((e) => e.name);
  const messages = chain.map((e) => e.message ?? "").join(" | ");
  const has = (set: ReadonlySet<string>) => codes.find((c) => set.has(c));
  const target = describeTarget(context.url);
  const timeout = context.timeoutMillis;
  const connectTimeout = context.connectTimeoutMillis ?? timeout;
  const within = (millis: number | undefined) => (millis === undefined ? "in time" : `within ${millis} ms`);
  const after = (millis: number | undefined) => (millis === undefined ? "timed out" : `timed out after ${millis} ms`);
  const https = target.protocol === "https:";
  const reading = (kind: NetworkErrorKind, code: string | undefined, reason: string, fix: string, retryable: boolean): NetworkErrorReading =>
    code === undefined ? { kind, reason, fix, retryable } : { kind, code, reason, fix, retryable };

  // Timeouts first: an abort by our own timer carries a numeric DOMException code (23), never shown.
  if (codes.includes("UND_ERR_HEADERS_TIMEOUT")) {
    return reading(
      "no-answer",
      "UND_ERR_HEADERS_TIMEOUT",
      `${after(timeout)}: the server at ${target.hostPort} accepts connections but does not answer ${within(timeout)}`,
      "Phoenix is overloaded or stuck, or something else listens on that port: check the server, or raise the timeout.",
      true,
    );
  }
  if (codes.includes("UND_ERR_BODY_TIMEOUT")) {
    return reading(
      "answer-stalled",
      "UND_ERR_BODY_TIMEOUT",
      `${after(timeout)}: the server at ${target.hostPort} began answering, then sent nothing more for ${timeout ?? "too many"} ms`,
      "Check the server and the network in between (a proxy cutting long answers), or raise the timeout.",
      true,
    );
  }
  const connectTimedOut = codes.includes("UND_ERR_CONNECT_TIMEOUT") || codes.includes("ETIMEDOUT");
  if (connectTimedOut || (names.includes("TimeoutError") && context.connected === false)) {
    return reading(
      "connect-timeout",
      connectTimedOut ? (codes.includes("UND_ERR_CONNECT_TIMEOUT") ? "UND_ERR_CONNECT_TIMEOUT" : "ETIMEDOUT") : undefined,
      `${after(connectTimedOut ? connectTimeout : timeout)}: no connection to ${target.hostPort} could be opened ${within(connectTimedOut ? connectTimeout : timeout)}`,
      "Check the host and port: a firewall may drop the packets, or the address is not the server's.",
      true,
    );
  }
  if (names.includes("TimeoutError")) {
    return reading(
      "no-answer",
      undefined,
      context.connected === true
        ? `${after(timeout)}: the server at ${target.hostPort} accepts connections but does not answer ${within(timeout)}`
        : `${after(timeout)}: no answer from ${target.hostPort} ${within(timeout)}`,
      "Phoenix is overloaded or stuck, or something else listens on that port: check the server, or raise the timeout.",
      true,
    );
  }
  if (names.includes("AbortError") || codes.includes("ABORT_ERR") || codes.includes("UND_ERR_ABORTED")) {
    return reading("cancelled", undefined, "cancelled", "", false);
  }

  const plainHttp = has(PLAIN_HTTP_ON_TLS) ?? (/wrong version number|packet length too long|http request/i.test(messages) ? "ERR_SSL_WRONG_VERSION_NUMBER" : undefined);
  if (https && plainHttp !== undefined) {
    return reading(
      "tls-plain-http",
      plainHttp,
      `${plainHttp}: the server at ${target.hostPort} speaks plain HTTP, not HTTPS`,
      `Use http:// instead of https:// in the endpoint (http://${target.hostPort}${target.path}), or enable TLS on the server.`,
      false,
    );
  }
  const untrusted = has(UNTRUSTED);
  if (untrusted !== undefined) {
    return reading(
      "tls-untrusted",
      untrusted,
      `TLS certificate not trusted (${untrusted}): the certificate of ${target.hostPort} is not signed by a CA this process trusts`,
      "Pass the CA with the ca option if Phoenix uses a private CA (or set NODE_EXTRA_CA_CERTS to its PEM file).",
      false,
    );
  }
  const expired = has(EXPIRED);
  if (expired !== undefined) {
    return reading(
      "tls-expired",
      expired,
      `${expired}: the TLS certificate of ${target.hostPort} ${expired === "CERT_HAS_EXPIRED" ? "has expired" : "is not valid yet"}`,
      "Renew the server's certificate (or check this machine's clock).",
      false,
    );
  }
  if (codes.includes("ERR_TLS_CERT_ALTNAME_INVALID")) {
    return reading(
      "tls-hostname",
      "ERR_TLS_CERT_ALTNAME_INVALID",
      `ERR_TLS_CERT_ALTNAME_INVALID: the TLS certificate of ${target.hostPort} is not issued for the host name ${target.host}`,
      "Use a host name the certificate names in the endpoint, or reissue the certificate for this one.",
      false,
    );
  }
  const tls = codes.find((c) => /SSL|TLS|CERT/i.test(c));
  if (tls !== undefined) {
    return reading(
      "tls-other",
      tls,
      `${tls}: the TLS handshake with ${target.hostPort} failed (${redact(firstLine(chain.find((e) => textCode(e) === tls)?.message ?? ""))})`,
      "Check that the endpoint's https:// server has a valid certificate, and the ca option.",
      false,
    );
  }
  if (codes.includes("ECONNREFUSED")) {
    return reading(
      "refused",
      "ECONNREFUSED",
      `ECONNREFUSED: nothing listens on ${target.hostPort} (connection refused)`,
      "Start Phoenix, or point the endpoint at the host and port it listens on.",
      true,
    );
  }
  const dns = has(DNS);
  if (dns !== undefined) {
    return reading(
      "dns",
      dns,
      `${dns}: the host name ${target.host} does not resolve${dns === "EAI_AGAIN" ? " (the DNS server did not answer)" : ""}`,
      "Check the host name in the endpoint (a typo?), and this machine's DNS.",
      // A name that does not resolve yet (a service still starting, a DNS blip) may resolve on the next attempt.
      true,
    );
  }
  const unreachable = has(UNREACHABLE);
  if (unreachable !== undefined) {
    return reading("unreachable", unreachable, `${unreachable}: no route to ${target.hostPort}`, "Check the network and the host in the endpoint.", true);
  }
  const closed = has(CLOSED);
  if (closed !== undefined) {
    return reading(
      "closed",
      closed,
      `${closed}: the server at ${target.hostPort} closed the connection without answering`,
      https
        ? "Check that the server is Phoenix and is healthy."
        : `Check that the server is Phoenix; if it serves HTTPS, use https://${target.hostPort}${target.path}.`,
      true,
    );
  }
  const code = codes[0];
  const message = redact(firstLine(chain[0]?.message ?? String(error)));
  return reading("other", code, code && !message.includes(code) ? `${code}: ${message}` : message, "Check the endpoint and the server.", true);
}

interface ErrorLike {
  name: string;
  message: string;
  code?: unknown;
}

/** The error, its causes and the members of an AggregateError (Happy Eyeballs tries several addresses), at most 8 deep. */
function causeChain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 8) {
    const current = queue.shift();
    if (current === null || current === undefined) continue;
    if (typeof current !== "object") {
      out.push({ name: "Error", message: String(current) });
      continue;
    }
    const e = current as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown; errors?: unknown };
    out.push({ name: typeof e.name === "string" ? e.name : "Error", message: typeof e.message === "string" ? e.message : "", code: e.code });
    if (e.cause !== undefined) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return out;
}

/** Only textual codes: a DOMException's numeric `code` (23 for a timeout) means nothing to a reader. */
function textCode(error: ErrorLike): string | undefined {
  return typeof error.code === "string" && error.code !== "" ? error.code : undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.slice(0, 200);
}

function describeTarget(url: string): { protocol: string; host: string; hostPort: string; path: string } {
  try {
    const parsed = new URL(url);
    const port = parsed.port || (parsed.protocol === "https:" ? "443" : parsed.protocol === "http:" ? "80" : "");
    const host = parsed.hostname;
    const path = parsed.pathname.replace(/\/+$/, "");
    return { protocol: parsed.protocol, host, hostPort: port ? `${parsed.host.replace(/:\d+$/, "")}:${port}` : parsed.host, path };
  } catch {
    return { protocol: "", host: url, hostPort: url, path: "" };
  }
}
