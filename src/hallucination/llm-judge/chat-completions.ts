/**
 * The judge's one HTTP call, `POST {baseURL}/chat/completions`, through the
 * package's one HTTP layer: an HttpTransport (undici pool, TLS always
 * verified, credentials held in a `Credentials`, network errors read by
 * src/http/network-error.ts) under a RetryingTransport (408/429/500/502/503/504,
 * timeouts and connection failures retried with full-jitter backoff,
 * Retry-After honoured, an overall deadline). This module only maps the
 * transport's outcomes to the judge's typed errors.
 */
import { Credentials } from "../../config/credentials.js";
import { REAL_CLOCK, type Clock } from "../../http/clock.js";
import { HttpTransport } from "../../http/http-transport.js";
import { RetryingTransport, type RetryPolicy } from "../../http/retrying-transport.js";
import type { Transport, TransportResponse } from "../../http/transport.js";
import { LlmJudgeConnectionError, LlmJudgeHttpError, LlmJudgeParseError, LlmJudgeTimeoutError } from "../errors.js";
import { excerptOf } from "./redact.js";
import type { RetryDelay } from "./retry-delay.js";

/** The longest Retry-After the judge waits for; a longer one ends the retries with the server's answer. */
export const JUDGE_MAX_RETRY_AFTER_MS = 30_000;
/** Sockets per judge, also the most judge requests in flight (more wait for a socket, within their timeout). */
const JUDGE_CONNECTIONS = 64;
const CONNECT_TIMEOUT_MS = 10_000;

export interface ChatCompletionsClientOptions {
  /** The validated base URL (up to, not including, "/chat/completions"; its query string is kept). */
  readonly baseURL: URL;
  /** The endpoint as errors and logs may show it: no user info, no query. */
  readonly endpoint: string;
  readonly apiKey: string | undefined;
  /** Validated header names and values. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelay: RetryDelay | undefined;
  readonly ca: string | Buffer | Array<string | Buffer> | undefined;
  readonly redact: (text: string) => string;
  readonly clock?: Clock;
}

const decoder = new TextDecoder();

export class ChatCompletionsClient {
  readonly #http: HttpTransport;
  /** Shared by every call without a custom delay, so a success wakes the others' backoffs. */
  readonly #retrying: RetryingTransport;
  readonly #policy: RetryPolicy;
  readonly #clock: Clock;
  readonly #path: string;
  readonly #requestHeaders: Record<string, string>;
  readonly #options: ChatCompletionsClientOptions;

  constructor(options: ChatCompletionsClientOptions) {
    this.#options = options;
    this.#clock = options.clock ?? REAL_CLOCK;
    // The API key and the extra headers are held as credentials: never enumerable, and scrubbed from
    // any error answer that echoes them (a gateway header may be a key too, e.g. Azure's api-key).
    const credentials = new Credentials(options.apiKey, { ...options.headers }, "option");
    this.#http = new HttpTransport({
      baseUrl: `${options.baseURL.origin}${options.baseURL.pathname}`,
      credentials,
      connections: JUDGE_CONNECTIONS,
      connectTimeoutMillis: Math.min(CONNECT_TIMEOUT_MS, options.timeoutMs),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    const maxAttempts = options.maxRetries + 1;
    this.#policy = {
      maxAttempts,
      maxRetryAfterMillis: JUDGE_MAX_RETRY_AFTER_MS,
      // Never cuts an attempt short in ordinary use: every attempt gets its full timeoutMs, every wait its Retry-After.
      deadlineMillis: maxAttempts * options.timeoutMs + options.maxRetries * JUDGE_MAX_RETRY_AFTER_MS,
    };
    this.#retrying = new RetryingTransport(this.#http, this.#policy, this.#clock);
    this.#path = `/chat/completions${options.baseURL.search}`;
    const userHeaders = new Set(Object.keys(options.headers).map((name) => name.toLowerCase()));
    this.#requestHeaders = userHeaders.has("accept") ? {} : { accept: "application/json" };
  }

  /** Posts `body` and answers the parsed JSON of a 2xx, or throws one of the judge's typed errors (or the signal's reason). */
  async post(body: string, signal: AbortSignal | undefined): Promise<unknown> {
    signal?.throwIfAborted();
    const { endpoint, timeoutMs, redact } = this.#options;
    const response = await this.#transport().send(
      { method: "POST", path: this.#path, body, contentType: "application/json", headers: this.#requestHeaders, ...(signal ? { signal } : {}) },
      timeoutMs,
    );
    const attempts = response.attempts ?? 1;
    if (response.status === "success") {
      const text = decoder.decode(response.body);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new LlmJudgeParseError("the endpoint's body is not JSON", excerptOf(text, redact));
      }
    }
    if (response.status === "failure" && response.aborted === true) {
      signal?.throwIfAborted();
      throw new DOMException("The LLM judge's request was cancelled.", "AbortError");
    }
    if (response.statusCode !== undefined) {
      throw new LlmJudgeHttpError(endpoint, response.statusCode, attempts, excerptOf(decoder.decode(response.body ?? new Uint8Array()), redact));
    }
    // No HTTP answer. The transport's error message is network-error.ts's reading, already scrubbed of
    // credentials; no `cause` is kept (an undici error may hold request details).
    const reason = redact(response.error.message);
    if (isTimeout(response)) throw new LlmJudgeTimeoutError(endpoint, timeoutMs, attempts, reason);
    throw new LlmJudgeConnectionError(endpoint, reason, attempts);
  }

  /**
   * The shared retrying transport, or, with a custom `retryDelayMs`, one for
   * this call whose clock sleeps the delay the function gives instead of the
   * policy's backoff (the policy still decides whether to retry). One per call,
   * so concurrent calls never see each other's delay.
   */
  #transport(): Transport {
    const delayOf = this.#options.retryDelay;
    if (delayOf === undefined) return this.#retrying;
    const clock = this.#clock;
    let next = 0;
    const transport = new RetryingTransport(this.#http, this.#policy, {
      now: () => clock.now(),
      random: () => clock.random(),
      sleep: () => clock.sleep(next),
    });
    // Called right before each backoff sleep.
    transport.onRetry = (attempt, response) => {
      const delay = delayOf(attempt, response.status === "retryable" ? response.retryAfterMillis : undefined);
      next = Number.isFinite(delay) && delay > 0 ? delay : 0;
    };
    return transport;
  }
}

/**
 * A timeout, as network-error.ts words it: every timeout reading (no answer,
 * an answer that stalled, no connection in time) starts with "timed out".
 */
function isTimeout(response: TransportResponse): boolean {
  return response.status !== "success" && /^timed out\b/.test(response.error.message);
}
