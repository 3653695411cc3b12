import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { PhoenixAttributes, PhoenixSpan } from "../../mapping/phoenix-span.js";
import { isoToMicros } from "../../store/iso-micros.js";
import type { TokenCounts } from "./types.js";

/**
 * What one span measures: its duration, tokens and cost, read from the
 * OpenInference attributes Phoenix itself reads (`llm.token_count.*`,
 * `llm.cost.*`).
 */

/** A finite number from an attribute (a numeric string counts too: some instrumentations send them). */
export function numericAttribute(attributes: PhoenixAttributes, key: string): number | undefined {
  const value = attributes[key];
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Duration in milliseconds, with Phoenix's microsecond precision; null when a time cannot be read. */
export function spanLatencyMs(span: PhoenixSpan): number | null {
  const start = isoToMicros(span.start_time);
  const end = isoToMicros(span.end_time);
  return Number.isFinite(start) && Number.isFinite(end) ? (end - start) / 1000 : null;
}

/** The span's own token counts, or null when it carries none. */
export function spanTokens(span: PhoenixSpan): TokenCounts | null {
  const prompt = numericAttribute(span.attributes, SC.LLM_TOKEN_COUNT_PROMPT);
  const completion = numericAttribute(span.attributes, SC.LLM_TOKEN_COUNT_COMPLETION);
  const total = numericAttribute(span.attributes, SC.LLM_TOKEN_COUNT_TOTAL);
  if (prompt === undefined && completion === undefined && total === undefined) return null;
  return { prompt: prompt ?? 0, completion: completion ?? 0, total: total ?? (prompt ?? 0) + (completion ?? 0) };
}

export const COST_PARTS: ReadonlyMap<"prompt" | "completion" | "total", string> = new Map([
  ["prompt", SC.LLM_COST_PROMPT],
  ["completion", SC.LLM_COST_COMPLETION],
  ["total", SC.LLM_COST_TOTAL],
] as const);

/** The span's total cost: `llm.cost.total`, else prompt + completion; null when it reports none. */
export function spanCost(span: PhoenixSpan): number | null {
  const total = numericAttribute(span.attributes, SC.LLM_COST_TOTAL);
  if (total !== undefined) return total;
  const prompt = numericAttribute(span.attributes, SC.LLM_COST_PROMPT);
  const completion = numericAttribute(span.attributes, SC.LLM_COST_COMPLETION);
  return prompt === undefined && completion === undefined ? null : (prompt ?? 0) + (completion ?? 0);
}

export const MODEL_NAME_KEYS: readonly string[] = [SC.LLM_MODEL_NAME, SC.EMBEDDING_MODEL_NAME];
