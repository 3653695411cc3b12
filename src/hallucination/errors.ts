/**
 * Errors of hallucination detection, each with a stable `code` and a message
 * that says what to do. None carries a credential: messages are built from
 * our own words, the endpoint without its user info, and short excerpts of
 * answers with the API key removed.
 */
import { PhoenixConnectorError } from "../errors.js";

export type HallucinationInputErrorCode =
  | "HALLUCINATION_INVALID_INPUT"
  | "HALLUCINATION_INVALID_THRESHOLD"
  | "HALLUCINATION_EMPTY_CONTEXT"
  | "HALLUCINATION_EMPTY_RESPONSE"
  | "HALLUCINATION_INVALID_DETECTOR";

/** The input to `detectHallucination` is unusable; nothing was run. */
export class HallucinationInputError extends PhoenixConnectorError {
  declare readonly code: HallucinationInputErrorCode;
  constructor(code: HallucinationInputErrorCode, message: string) {
    super(code, message);
  }
}

/** A custom detector returned something that is not a verdict. */
export class HallucinationDetectorResultError extends PhoenixConnectorError {
  declare readonly code: "HALLUCINATION_DETECTOR_RESULT";
  /** The detector's name. */
  readonly detector: string;
  constructor(detector: string, problem: string) {
    super(
      "HALLUCINATION_DETECTOR_RESULT",
      `Hallucination detector "${detector}" returned an invalid result: ${problem}. ` +
        "A detector must return { score: number in [0, 1], confidence: number in [0, 1], explanation: string, unsupported?: string[] }.",
    );
    this.detector = detector;
  }
}

/** A bad `llmJudge` option, thrown when the judge is created. */
export class LlmJudgeConfigError extends PhoenixConnectorError {
  declare readonly code: "HALLUCINATION_JUDGE_CONFIG";
  constructor(message: string) {
    super("HALLUCINATION_JUDGE_CONFIG", message);
  }
}

/** The judge answered, but not with a label we can read. */
export class LlmJudgeParseError extends PhoenixConnectorError {
  declare readonly code: "HALLUCINATION_JUDGE_UNPARSEABLE";
  /** The start of the answer, API key removed. */
  readonly excerpt: string;
  constructor(reason: string, excerpt: string) {
    super(
      "HALLUCINATION_JUDGE_UNPARSEABLE",
      `The LLM judge's answer could not be parsed: ${reason}. Answer starts with: ${JSON.stringify(excerpt)}. ` +
        'Use a model that follows instructions (it must end with "LABEL: factual" or "LABEL: hallucinated"), or retry.',
    );
    this.excerpt = excerpt;
  }
}

/** The endpoint answered with an error status (after retries, for retryable ones). */
export class LlmJudgeHttpError extends PhoenixConnectorError {
  declare readonly code: "HALLUCINATION_JUDGE_HTTP";
  readonly statusCode: number;
  readonly attempts: number;
  constructor(endpoint: string, statusCode: number, attempts: number, excerpt: string) {
    const hint =
      statusCode === 401 || statusCode === 403
        ? "Check the judge's apiKey (or, for Phoenix's endpoint, Phoenix's own credentials for the provider)."
        : statusCode === 404
          ? "Check baseURL (it should end before /chat/completions, e.g. http://localhost:6006/v1) and the model name."
          : statusCode === 400 || statusCode === 422
            ? 'Check the model name (Phoenix\'s endpoint wants "provider:model", e.g. "openai:gpt-4o-mini").'
            : statusCode === 405 || statusCode === 501
              ? "The endpoint does not serve POST /chat/completions; check baseURL (an OpenAI-compatible API, e.g. http://localhost:6006/v1)."
              : statusCode === 429
                ? "The endpoint is rate-limiting the judge; judge fewer answers at a time, or raise maxRetries."
                : "The endpoint may be overloaded or down; try again later.";
    super(
      "HALLUCINATION_JUDGE_HTTP",
      `The LLM judge at ${endpoint} answered ${statusCode} after ${attempts} attempt(s)` +
        (excerpt === "" ? ". " : `: ${JSON.stringify(excerpt)}. `) +
        hint,
    );
    this.statusCode = statusCode;
    this.attempts = attempts;
  }
}

/** The endpoint could not be reached (refused, reset, DNS, TLS) after retries. */
export class LlmJudgeConnectionError extends PhoenixConnectorError {
  declare readonly code: "HALLUCINATION_JUDGE_CONNECTION";
  readonly attempts: number;
  constructor(endpoint: string, reason: string, attempts: number) {
    super(
      "HALLUCINATION_JUDGE_CONNECTION",
      `Could not reach the LLM judge at ${endpoint} after ${attempts} attempt(s): ${reason}. Check baseURL and that the endpoint is running.`,
    );
    this.attempts = attempts;
  }
}

/** The last attempt took longer than `timeoutMs` (or could not connect in that time). */
export class LlmJudgeTimeoutError extends PhoenixConnectorError {
  declare readonly code: "HALLUCINATION_JUDGE_TIMEOUT";
  readonly timeoutMs: number;
  readonly attempts: number;
  /** `reason`: what the transport saw, in words (credentials removed), e.g. "timed out after 100 ms: the server at … does not answer". */
  constructor(endpoint: string, timeoutMs: number, attempts: number, reason?: string) {
    super(
      "HALLUCINATION_JUDGE_TIMEOUT",
      `The LLM judge at ${endpoint} did not answer within ${timeoutMs} ms (${attempts} attempt(s)` +
        (reason === undefined || reason === "" ? "). " : `; ${reason}). `) +
        "Raise timeoutMs, or use a faster model (if no connection could be opened, check baseURL and the network).",
    );
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
  }
}
