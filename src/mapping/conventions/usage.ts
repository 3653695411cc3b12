import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { AttributeValue, Attributes } from "@opentelemetry/api";
import { asNumber } from "../json-text.js";
import { setCount } from "../openinference-writer.js";
import type { PhoenixAttributes } from "../phoenix-span.js";

/** Where each OpenInference token count may come from, first found wins. */
export interface UsageKeys {
  prompt: readonly string[];
  completion: readonly string[];
  total: readonly string[];
  cacheRead: readonly string[];
  cacheWrite: readonly string[];
  reasoning: readonly string[];
}

function first(attributes: Attributes, keys: readonly string[]): AttributeValue | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Token counts into `llm.token_count.*`; the total is the sum when the source gave none. */
export function writeUsage(attributes: Attributes, keys: UsageKeys, out: PhoenixAttributes): void {
  const prompt = asNumber(first(attributes, keys.prompt));
  const completion = asNumber(first(attributes, keys.completion));
  setCount(out, OI.LLM_TOKEN_COUNT_PROMPT, prompt);
  setCount(out, OI.LLM_TOKEN_COUNT_COMPLETION, completion);
  const total = asNumber(first(attributes, keys.total));
  setCount(out, OI.LLM_TOKEN_COUNT_TOTAL, total ?? (prompt !== undefined && completion !== undefined ? prompt + completion : undefined));
  setCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ, first(attributes, keys.cacheRead));
  setCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE, first(attributes, keys.cacheWrite));
  setCount(out, OI.LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING, first(attributes, keys.reasoning));
}
