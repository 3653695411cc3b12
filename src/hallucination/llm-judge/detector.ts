/**
 * `llmJudge`: asks a model, through any OpenAI-compatible
 * `POST {baseURL}/chat/completions` endpoint, whether the response is
 * factual or hallucinated relative to the context, with Phoenix's
 * hallucination template semantics. Phoenix's own endpoint
 * (`baseURL: "http://localhost:6006/v1"`, models named "provider:model")
 * works too: Phoenix holds the provider credentials, so `apiKey` is optional.
 *
 * Score: 1 for "hallucinated", 0 for "factual"; when `logprobs` is on and
 * the endpoint returns log probabilities, the probability the model gave
 * "hallucinated" instead.
 *
 * Confidence: with log probabilities, the probability of the reported label.
 * Without them the model's certainty is unknown and confidence is the fixed
 * `unscoredConfidence` (default 0.8): a prior for "an instruction-following
 * model said so", not a measurement.
 *
 * HTTP: the package's one transport (src/http, via ./chat-completions.ts):
 * the same retry policy, Retry-After reading, TLS checks and network-error
 * wording as the exporter's.
 */
import { diag } from "@opentelemetry/api";
import type { Dispatcher } from "undici";
import { LlmJudgeConfigError, LlmJudgeParseError } from "../errors.js";
import type { DetectorVerdict, HallucinationDetector, HallucinationLabel, ResolvedHallucinationInput } from "../types.js";
import { ChatCompletionsClient } from "./chat-completions.js";
import { parseJudgeAnswer } from "./parse.js";
import type { RetryDelay } from "./retry-delay.js";
import { renderJudgePrompt } from "./prompt.js";
import { createRedactor, excerptOf } from "./redact.js";

export interface LlmJudgeOptions {
  /** Base URL of an OpenAI-compatible API, up to but not including "/chat/completions" (e.g. "https://api.openai.com/v1", "http://localhost:6006/v1"). */
  baseURL: string;
  /** Sent as "Authorization: Bearer ..."; optional for endpoints that hold credentials themselves (Phoenix). Never logged. */
  apiKey?: string;
  /** Model name; for Phoenix's endpoint "provider:model", e.g. "openai:gpt-4o-mini". */
  model: string;
  /** Per-attempt timeout in milliseconds; default 30 000. */
  timeoutMs?: number;
  /**
   * Retries after the first attempt (the package's retry policy with `maxAttempts: maxRetries + 1`):
   * on 408, 429, 500, 502, 503, 504, timeouts and connection errors, never on a TLS error; an answer
   * whose Retry-After is longer than 30 s is not retried. Default 2.
   */
  maxRetries?: number;
  /** Extra request headers (e.g. a gateway's routing header). Treated as secrets: never logged, scrubbed from errors. */
  headers?: Record<string, string>;
  /**
   * Delay before each retry, replacing the policy's wait (not its decision whether to retry); default:
   * the server's Retry-After, else full-jitter backoff from 250 ms up to 5 s. Inject `() => 0` in tests.
   */
  retryDelayMs?: RetryDelay;
  /** Ask for log probabilities and derive the score from them; only for endpoints that support `logprobs`. Default false. */
  logprobs?: boolean;
  /** Confidence reported when the endpoint gives no probability; in [0, 1], default 0.8. */
  unscoredConfidence?: number;
  /** Reported as `detector`; default "llm-judge". */
  name?: string;
  /** A private CA to trust, PEM (certificates are always verified). */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * @deprecated No longer supported: the judge uses the package's own HTTP transport (an undici pool of
   * its own, TLS always verified). Passing it throws an LlmJudgeConfigError; use `ca` for a private CA.
   */
  dispatcher?: Dispatcher;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_UNSCORED_CONFIDENCE = 0.8;

interface ChatCompletion {
  choices?: {
    message?: { content?: unknown };
    logprobs?: { content?: { token?: unknown; logprob?: unknown; top_logprobs?: { token?: unknown; logprob?: unknown }[] }[] } | null;
  }[];
}

function endpointOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function validate(options: LlmJudgeOptions): URL {
  if (typeof options !== "object" || options === null) throw new LlmJudgeConfigError("llmJudge needs { baseURL, model }.");
  let base: URL;
  try {
    base = new URL(options.baseURL);
  } catch {
    throw new LlmJudgeConfigError(
      `llmJudge baseURL must be an absolute http(s) URL such as "https://api.openai.com/v1" or "http://localhost:6006/v1", got ${JSON.stringify(String(options.baseURL))}.`,
    );
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new LlmJudgeConfigError(`llmJudge baseURL must use http or https, got ${base.protocol}`);
  }
  if (base.username !== "" || base.password !== "") {
    throw new LlmJudgeConfigError("llmJudge baseURL must not contain credentials; pass the key as apiKey.");
  }
  if (typeof options.model !== "string" || options.model.trim() === "") {
    throw new LlmJudgeConfigError('llmJudge model must be a non-empty string (for Phoenix\'s endpoint "provider:model", e.g. "openai:gpt-4o-mini").');
  }
  if (options.apiKey !== undefined && typeof options.apiKey !== "string") {
    throw new LlmJudgeConfigError("llmJudge apiKey must be a string when given.");
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new LlmJudgeConfigError(`llmJudge timeoutMs must be a positive number of milliseconds, got ${String(options.timeoutMs)}.`);
  }
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0 && options.maxRetries <= 10)) {
    throw new LlmJudgeConfigError(`llmJudge maxRetries must be an integer from 0 to 10, got ${String(options.maxRetries)}.`);
  }
  if (
    options.unscoredConfidence !== undefined &&
    !(Number.isFinite(options.unscoredConfidence) && options.unscoredConfidence >= 0 && options.unscoredConfidence <= 1)
  ) {
    throw new LlmJudgeConfigError(`llmJudge unscoredConfidence must be in [0, 1], got ${String(options.unscoredConfidence)}.`);
  }
  if (options.apiKey !== undefined && /[\r\n\0]/.test(options.apiKey)) {
    throw new LlmJudgeConfigError("llmJudge apiKey contains a line break or NUL; remove it.");
  }
  if (options.headers !== undefined && (typeof options.headers !== "object" || options.headers === null)) {
    throw new LlmJudgeConfigError("llmJudge headers must be an object of header names to string values.");
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== "string") throw new LlmJudgeConfigError(`llmJudge header ${JSON.stringify(name)} must be a string.`);
    // A CR or LF would let a value start a new header (request splitting). The value itself is never quoted.
    if (/[\r\n\0]/.test(value) || /[\r\n\0:]/.test(name) || name.trim() === "") {
      throw new LlmJudgeConfigError(
        `llmJudge header ${JSON.stringify(name.replace(/[\r\n\0]/g, "?"))} has a line break, NUL or colon in its name or value; remove it.`,
      );
    }
  }
  if (options.dispatcher !== undefined) {
    throw new LlmJudgeConfigError(
      "llmJudge no longer takes a dispatcher: the judge sends through the package's own HTTP transport " +
        "(retries, timeouts and TLS checks shared with the exporter). Remove the dispatcher option; " +
        "for a private CA pass ca (PEM), for extra headers pass headers.",
    );
  }
  if (
    options.ca !== undefined &&
    !(typeof options.ca === "string" || Buffer.isBuffer(options.ca) || (Array.isArray(options.ca) && options.ca.every((c) => typeof c === "string" || Buffer.isBuffer(c))))
  ) {
    throw new LlmJudgeConfigError("llmJudge ca must be a PEM string, a Buffer, or an array of them.");
  }
  if (options.retryDelayMs !== undefined && typeof options.retryDelayMs !== "function") {
    throw new LlmJudgeConfigError("llmJudge retryDelayMs must be a function (attempt, retryAfterMs) => milliseconds, e.g. () => 0 in tests.");
  }
  return base;
}

function messageText(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  // Some gateways return content as parts: [{ type: "text", text }].
  if (Array.isArray(content)) {
    const texts = content.map((part: unknown) =>
      typeof part === "object" && part !== null && typeof (part as { text?: unknown }).text === "string"
        ? (part as { text: string }).text
        : "",
    );
    const joined = texts.join("");
    return joined === "" ? undefined : joined;
  }
  return undefined;
}

function cleanToken(token: unknown): string {
  return typeof token === "string" ? token.trim().replace(/^["'`*_]+|["'`*_.!]+$/g, "").toLowerCase() : "";
}

/** Probability of `label` from the log probabilities of the label's first token, if the endpoint sent them. */
function labelProbability(completion: ChatCompletion, label: HallucinationLabel): number | undefined {
  const tokens = completion.choices?.[0]?.logprobs?.content;
  if (!Array.isArray(tokens)) return undefined;
  const other: HallucinationLabel = label === "factual" ? "hallucinated" : "factual";
  for (let i = tokens.length - 1; i >= 0; i--) {
    const entry = tokens[i];
    const word = cleanToken(entry?.token);
    if (word === "" || !label.startsWith(word)) continue;
    let chosen = 0;
    let rival = 0;
    for (const alternative of entry?.top_logprobs ?? []) {
      const alt = cleanToken(alternative.token);
      if (alt === "" || typeof alternative.logprob !== "number") continue;
      if (label.startsWith(alt)) chosen += Math.exp(alternative.logprob);
      else if (other.startsWith(alt)) rival += Math.exp(alternative.logprob);
    }
    if (chosen + rival > 0) return chosen / (chosen + rival);
    return typeof entry?.logprob === "number" ? Math.exp(entry.logprob) : undefined;
  }
  return undefined;
}

export function llmJudge(options: LlmJudgeOptions): HallucinationDetector {
  const base = validate(options);
  // Shown in errors and logs: no user info (refused above), no query string.
  const endpoint = endpointOf(new URL(`${base.pathname.replace(/\/+$/, "")}/chat/completions`, base));
  const redact = createRedactor(options.apiKey);
  const unscoredConfidence = options.unscoredConfidence ?? DEFAULT_UNSCORED_CONFIDENCE;
  const client = new ChatCompletionsClient({
    baseURL: base,
    endpoint,
    apiKey: options.apiKey === "" ? undefined : options.apiKey,
    headers: options.headers ?? {},
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    retryDelay: options.retryDelayMs,
    ca: options.ca,
    redact,
  });

  async function detect(input: ResolvedHallucinationInput, { signal }: { signal?: AbortSignal }): Promise<DetectorVerdict> {
    const body = JSON.stringify({
      model: options.model,
      temperature: 0,
      messages: [{ role: "user", content: renderJudgePrompt(input) }],
      ...(options.logprobs === true ? { logprobs: true, top_logprobs: 5 } : {}),
    });
    const completion = (await client.post(body, signal)) as ChatCompletion;

    const content = messageText(completion?.choices?.[0]?.message?.content);
    if (content === undefined) {
      throw new LlmJudgeParseError("the body has no choices[0].message.content text", excerptOf(JSON.stringify(completion), redact));
    }
    const answer = parseJudgeAnswer(content, redact);
    const probability = options.logprobs === true ? labelProbability(completion, answer.label) : undefined;
    let score: number;
    let confidence: number;
    if (probability === undefined) {
      score = answer.label === "hallucinated" ? 1 : 0;
      confidence = unscoredConfidence;
    } else {
      score = answer.label === "hallucinated" ? probability : 1 - probability;
      confidence = score >= input.threshold ? score : 1 - score;
    }
    diag.debug(`llm judge ${options.model} at ${endpoint}: ${answer.label} (score ${score.toFixed(3)})`);
    // The explanation becomes an annotation in Phoenix: a key the model repeated is removed from it too.
    return { score, confidence, explanation: redact(answer.explanation), unsupported: [] };
  }

  return { name: options.name ?? "llm-judge", annotatorKind: "LLM", detect };
}
