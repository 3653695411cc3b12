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
 */
import { diag } from "@opentelemetry/api";
import type { Dispatcher } from "undici";
import { LlmJudgeConfigError, LlmJudgeParseError } from "../errors.js";
import type { DetectorVerdict, HallucinationDetector, HallucinationLabel, ResolvedHallucinationInput } from "../types.js";
import { parseJudgeAnswer } from "./parse.js";
import { defaultRetryDelay, postJson, type RetryDelay } from "./post-json.js";
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
  /** Retries after the first attempt on 408, 429, 5xx, timeouts and connection errors; default 2. */
  maxRetries?: number;
  /** Extra request headers (e.g. a gateway's routing header). */
  headers?: Record<string, string>;
  /** Delay before each retry; default exponential backoff from 500 ms with jitter, honouring Retry-After. Inject `() => 0` in tests. */
  retryDelayMs?: RetryDelay;
  /** Ask for log probabilities and derive the score from them; only for endpoints that support `logprobs`. Default false. */
  logprobs?: boolean;
  /** Confidence reported when the endpoint gives no probability; in [0, 1], default 0.8. */
  unscoredConfidence?: number;
  /** Reported as `detector`; default "llm-judge". */
  name?: string;
  /** An undici dispatcher (a Pool, a ProxyAgent); default undici's global agent. */
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
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== "string") throw new LlmJudgeConfigError(`llmJudge header ${JSON.stringify(name)} must be a string.`);
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
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/chat/completions`, base);
  url.search = base.search;
  const endpoint = endpointOf(url);
  const redact = createRedactor(options.apiKey);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  const unscoredConfidence = options.unscoredConfidence ?? DEFAULT_UNSCORED_CONFIDENCE;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    "user-agent": "phoenix-connector",
    ...options.headers,
    ...(options.apiKey === undefined || options.apiKey === "" ? {} : { authorization: `Bearer ${options.apiKey}` }),
  };

  async function detect(input: ResolvedHallucinationInput, { signal }: { signal?: AbortSignal }): Promise<DetectorVerdict> {
    const body = JSON.stringify({
      model: options.model,
      temperature: 0,
      messages: [{ role: "user", content: renderJudgePrompt(input) }],
      ...(options.logprobs === true ? { logprobs: true, top_logprobs: 5 } : {}),
    });
    const completion = (await postJson({
      url: url.href,
      endpoint,
      headers,
      body,
      timeoutMs,
      maxRetries,
      retryDelay,
      redact,
      signal,
      dispatcher: options.dispatcher,
    })) as ChatCompletion;

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
    return { score, confidence, explanation: answer.explanation, unsupported: [] };
  }

  return { name: options.name ?? "llm-judge", annotatorKind: "LLM", detect };
}
