/**
 * Validation of `detectHallucination` input: every mistake is reported with
 * what to do about it, before any detector runs.
 */
import { HallucinationInputError } from "./errors.js";
import type { HallucinationInput, ResolvedHallucinationInput } from "./types.js";

export const DEFAULT_THRESHOLD = 0.5;

export function resolveHallucinationInput(input: HallucinationInput): ResolvedHallucinationInput {
  if (typeof input !== "object" || input === null) {
    throw new HallucinationInputError(
      "HALLUCINATION_INVALID_INPUT",
      "detectHallucination needs an object { context, response, query?, threshold? }.",
    );
  }
  const { context, response, query, threshold } = input as Partial<Record<keyof HallucinationInput, unknown>>;

  if (typeof context !== "string") {
    throw new HallucinationInputError(
      "HALLUCINATION_INVALID_INPUT",
      `context must be a string (the reference text the response should be grounded in), got ${typeof context}.`,
    );
  }
  if (context.trim() === "") {
    throw new HallucinationInputError(
      "HALLUCINATION_EMPTY_CONTEXT",
      "context is empty: pass the text the response should be grounded in (e.g. the retrieved documents joined). " +
        "Without a context there is nothing to check the response against.",
    );
  }
  if (typeof response !== "string") {
    throw new HallucinationInputError(
      "HALLUCINATION_INVALID_INPUT",
      `response must be a string (the answer to check), got ${typeof response}.`,
    );
  }
  if (response.trim() === "") {
    throw new HallucinationInputError(
      "HALLUCINATION_EMPTY_RESPONSE",
      "response is empty: pass the answer to check. An empty answer cannot be grounded or hallucinated.",
    );
  }
  if (query !== undefined && query !== null && typeof query !== "string") {
    throw new HallucinationInputError(
      "HALLUCINATION_INVALID_INPUT",
      `query must be a string when given (the question the response answers), got ${typeof query}.`,
    );
  }
  if (threshold !== undefined && (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold < 0 || threshold > 1)) {
    throw new HallucinationInputError(
      "HALLUCINATION_INVALID_THRESHOLD",
      `threshold must be a number in [0, 1] (the score at which a response counts as hallucinated; default ${DEFAULT_THRESHOLD}), ` +
        `got ${String(threshold)}.`,
    );
  }
  return {
    context,
    response,
    query: typeof query === "string" && query.trim() !== "" ? query : undefined,
    threshold: threshold ?? DEFAULT_THRESHOLD,
  };
}
