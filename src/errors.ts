/**
 * The errors a user can cause or meet, each with a stable `code` to branch on
 * and a message that says what to do. None of them ever carries a credential:
 * messages are built from our own words and from Phoenix's answers, never
 * from request headers.
 */
export class PhoenixConnectorError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad option, thrown at construction so the mistake shows where it was made. */
export class PhoenixConfigurationError extends PhoenixConnectorError {
  constructor(message: string) {
    super("PHOENIX_CONFIGURATION", message);
  }
}

/** Phoenix answered 401 or 403. */
export class PhoenixAuthenticationError extends PhoenixConnectorError {
  readonly statusCode: 401 | 403;
  constructor(statusCode: 401 | 403, endpoint: string) {
    super(
      "PHOENIX_AUTHENTICATION",
      statusCode === 401
        ? `Phoenix at ${endpoint} refused the request (401 Unauthorized): the API key is missing or wrong. ` +
            "Set PHOENIX_API_KEY (or the apiKey option) to a key created in Phoenix under Settings > API Keys."
        : `Phoenix at ${endpoint} refused the request (403 Forbidden): the API key is valid but may not write here. ` +
            "Use a key of a user or system account with write access.",
    );
    this.statusCode = statusCode;
  }
}

/** Phoenix could not be reached (connection refused, DNS, TLS, timeout) after bounded retries. */
export class PhoenixConnectionError extends PhoenixConnectorError {
  constructor(endpoint: string, reason: string, options?: { cause?: unknown }) {
    super(
      "PHOENIX_CONNECTION",
      `Could not reach Phoenix at ${endpoint}: ${reason}. ` +
        "Check that Phoenix is running and that PHOENIX_COLLECTOR_ENDPOINT (or the endpoint option) points at it.",
      options,
    );
  }
}

/** Phoenix answered, but not as the contract says (unexpected status or body). */
export class PhoenixResponseError extends PhoenixConnectorError {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super("PHOENIX_RESPONSE", message);
    this.statusCode = statusCode;
  }
}

/** A caller passed bad input to a connector call; nothing else was affected. */
export class PhoenixInputError extends PhoenixConnectorError {
  constructor(message: string) {
    super("PHOENIX_INPUT", message);
  }
}
