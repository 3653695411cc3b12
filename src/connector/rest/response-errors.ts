import type { Credentials } from "../../config/credentials.js";
import {
  PhoenixAuthenticationError,
  PhoenixConnectionError,
  PhoenixResponseError,
  type PhoenixConnectorError,
} from "../../errors.js";
import { bodyText, type TransportResponse } from "../../http/transport.js";

/**
 * A transport answer that is not a success → the typed error a user can act
 * on: 401/403 → authentication (what to check, never the key); no answer
 * after the bounded retries → connection; any other status → response, with
 * Phoenix's own words (credentials redacted, in case a proxy echoes them).
 */
export function responseError(
  response: Exclude<TransportResponse, { status: "success" }>,
  route: string,
  display: string,
  credentials: Credentials,
): PhoenixConnectorError {
  const { statusCode } = response;
  if (statusCode === 401 || statusCode === 403) return new PhoenixAuthenticationError(statusCode, display);
  if (statusCode === undefined) {
    const reason = credentials.redact(response.error.message);
    return new PhoenixConnectionError(
      display,
      response.status === "retryable" ? `${reason} (gave up after bounded retries)` : reason,
      { cause: response.error },
    );
  }
  const text = credentials.redact(bodyText(response.body, 300));
  return new PhoenixResponseError(
    statusCode,
    `Phoenix at ${display} answered ${route} with HTTP ${statusCode}${text ? `: ${text}` : ""}.` +
      (response.status === "retryable" ? " It kept answering so through the bounded retries; try again later." : ""),
  );
}
