/**
 * One JSON POST with a per-attempt timeout and bounded retries: 408, 429 and
 * 5xx answers, timeouts and connection failures are retried with backoff
 * (Retry-After honoured); anything else fails at once. TLS is verified by
 * undici's default agent and there is no option to turn that off.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { diag } from "@opentelemetry/api";
import { request, type Dispatcher } from "undici";
import {
  LlmJudgeConnectionError,
  LlmJudgeHttpError,
  LlmJudgeParseError,
  LlmJudgeTimeoutError,
} from "../errors.js";
import { excerptOf } from "./redact.js";

/** Delay before retry number `attempt` (1 = first retry); `retryAfterMs` is the server's Retry-After, if any. */
export type RetryDelay = (attempt: number, retryAfterMs: number | undefined) => number;

const MAX_BACKOFF_MS = 8_000;
const MAX_RETRY_AFTER_MS = 30_000;

/** Exponential backoff from 500 ms with jitter, or the server's Retry-After (capped at 30 s). */
export const defaultRetryDelay: RetryDelay = (attempt, retryAfterMs) => {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * (base / 2);
};

export interface PostJsonOptions {
  readonly url: string;
  /** The endpoint as it may appear in errors and logs: no user info, no query. */
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelay: RetryDelay;
  readonly redact: (text: string) => string;
  readonly signal: AbortSignal | undefined;
  readonly dispatcher: Dispatcher | undefined;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Certificate problems do not go away on retry. */
function isPermanentConnectionError(code: string | undefined): boolean {
  return code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME_MISMATCH/i.test(code);
}

export async function postJson(options: PostJsonOptions): Promise<unknown> {
  const attempts = options.maxRetries + 1;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    let retryReason: string;
    let serverDelay: number | undefined;
    try {
      const response = await request(options.url, {
        method: "POST",
        headers: options.headers,
        body: options.body,
        signal,
        ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      });
      const text = await response.body.text();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new LlmJudgeParseError("the endpoint's body is not JSON", excerptOf(text, options.redact));
        }
      }
      if (!isRetryableStatus(response.statusCode) || attempt >= attempts) {
        throw new LlmJudgeHttpError(options.endpoint, response.statusCode, attempt, excerptOf(text, options.redact));
      }
      retryReason = `status ${response.statusCode}`;
      serverDelay = retryAfterMs(response.headers["retry-after"]);
    } catch (error) {
      if (error instanceof LlmJudgeHttpError || error instanceof LlmJudgeParseError) throw error;
      if (options.signal?.aborted === true) throw options.signal.reason;
      if (timeout.aborted) {
        if (attempt >= attempts) throw new LlmJudgeTimeoutError(options.endpoint, options.timeoutMs, attempt);
        retryReason = `no answer within ${options.timeoutMs} ms`;
      } else {
        const code = errorCode(error);
        const reason = options.redact(code ?? (error instanceof Error ? error.message : String(error)));
        if (attempt >= attempts || isPermanentConnectionError(code)) {
          // No `cause`: a transport error object may hold request details, and errors must never carry the key.
          throw new LlmJudgeConnectionError(options.endpoint, reason, attempt);
        }
        retryReason = reason;
      }
    }
    const delay = Math.max(0, options.retryDelay(attempt, serverDelay));
    diag.debug(`llm judge: attempt ${attempt}/${attempts} to ${options.endpoint} failed (${retryReason}); retrying in ${Math.round(delay)} ms`);
    if (delay > 0) await sleep(delay, undefined, options.signal === undefined ? undefined : { signal: options.signal });
  }
}
