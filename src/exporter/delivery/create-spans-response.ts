import { PhoenixAuthenticationError } from "../../errors.js";
import { bodyText, type TransportResponse } from "../../http/transport.js";
import type { RequestOutcome } from "./batch-recovery.js";

/**
 * What an answer of Phoenix's create-spans route (`POST /v1/projects/{p}/spans`)
 * means for the batch, from Phoenix 20.3's behaviour (BEHAVIOUR.md) and source:
 *
 * - 2xx: queued for insertion.
 * - 400 listing `duplicate_spans` / `invalid_spans` (`{span_id, trace_id[, error]}`):
 *   nothing was stored. Phoenix 20.3 answers the object itself; its route raises
 *   `HTTPException(detail=json.dumps(...))`, which FastAPI would wrap as
 *   `{"detail": "<json>"}`, and Phoenix's own JS client parses that form — both are read.
 * - 422: FastAPI validation, `detail[].loc = ["body", "data", i, ...]` names the span.
 * - 413: the body is too large (a proxy's limit usually): split.
 * - 404 `{"detail":"Not Found"}` or 405: the route does not exist (Phoenix before 10.12).
 *   A 404 with another body (an unknown project id) is a refusal.
 */
export function classifyCreateSpans(response: TransportResponse, batchSize: number, endpoint: string): RequestOutcome {
  if (response.status === "success") return { kind: "accepted" };
  if (response.status === "failure" && response.aborted) return { kind: "failed", failure: "aborted", error: response.error };
  if (response.status === "retryable") return { kind: "failed", failure: "unavailable", error: response.error };
  const { statusCode, body } = response;
  switch (statusCode) {
    case undefined:
      // No HTTP answer and not worth retrying (an untrusted certificate): kept, since a fix of the setup delivers them.
      return { kind: "failed", failure: "unavailable", error: response.error };
    case 401:
    case 403:
      return { kind: "failed", failure: "unauthorized", error: new PhoenixAuthenticationError(statusCode, endpoint) };
    case 405:
      return { kind: "failed", failure: "route-missing", error: response.error };
    case 404:
      return isRouteNotFound(body)
        ? { kind: "failed", failure: "route-missing", error: response.error }
        : { kind: "refused", reason: describe(statusCode, body) };
    case 400: {
      const named = parseNamedSpans(body);
      return named ?? { kind: "refused", reason: describe(statusCode, body) };
    }
    case 413:
      return { kind: "split", cause: "too-large", reason: describe(statusCode, body) };
    case 422: {
      const invalid = parseValidationPositions(body, batchSize);
      return invalid ? { kind: "invalid-at", invalid } : { kind: "split", cause: "invalid", reason: describe(statusCode, body) };
    }
    default:
      return { kind: "refused", reason: describe(statusCode, body) };
  }
}

function describe(statusCode: number, body: Uint8Array | undefined): string {
  return `HTTP ${statusCode} ${bodyText(body, 500)}`.trim();
}

function parseJson(body: Uint8Array | undefined): unknown {
  const text = bodyText(body, 1_000_000);
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRouteNotFound(body: Uint8Array | undefined): boolean {
  const json = parseJson(body) as { detail?: unknown } | undefined;
  return json?.detail === "Not Found";
}

interface NamedSpan {
  span_id?: unknown;
  error?: unknown;
}

/** The duplicate/invalid lists of a 400, raw or wrapped in `{detail: "<json>"}`; undefined when it is not one. */
export function parseNamedSpans(body: Uint8Array | undefined): Extract<RequestOutcome, { kind: "named-spans" }> | undefined {
  let json = parseJson(body) as Record<string, unknown> | undefined;
  if (json && typeof json.detail === "string") {
    try {
      json = JSON.parse(json.detail) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  if (!json || typeof json !== "object") return undefined;
  const duplicateList = json.duplicate_spans;
  const invalidList = json.invalid_spans;
  if (!Array.isArray(duplicateList) && !Array.isArray(invalidList)) return undefined;
  const duplicates = new Set<string>();
  for (const entry of (duplicateList ?? []) as NamedSpan[]) {
    if (typeof entry?.span_id === "string") duplicates.add(entry.span_id);
  }
  const invalid = new Map<string, string>();
  for (const entry of (invalidList ?? []) as NamedSpan[]) {
    if (typeof entry?.span_id === "string") {
      invalid.set(entry.span_id, typeof entry.error === "string" && entry.error !== "" ? entry.error : "invalid span (Phoenix gave no reason)");
    }
  }
  return { kind: "named-spans", duplicates, invalid };
}

/** Span positions named by a FastAPI 422 (`loc: ["body", "data", i, ...]`), with their messages; undefined when none can be placed. */
function parseValidationPositions(body: Uint8Array | undefined, batchSize: number): Map<number, string> | undefined {
  const json = parseJson(body) as { detail?: unknown } | undefined;
  if (!Array.isArray(json?.detail)) return undefined;
  const invalid = new Map<number, string>();
  for (const entry of json.detail as Array<{ loc?: unknown; msg?: unknown }>) {
    const loc = entry?.loc;
    if (!Array.isArray(loc) || loc[0] !== "body" || loc[1] !== "data" || typeof loc[2] !== "number") return undefined;
    const index = loc[2];
    if (!Number.isInteger(index) || index < 0 || index >= batchSize) return undefined;
    const where = loc.length > 3 ? `${loc.slice(3).join(".")}: ` : "";
    const message = `${where}${typeof entry.msg === "string" ? entry.msg : "invalid"}`;
    const before = invalid.get(index);
    invalid.set(index, before ? `${before}; ${message}` : message);
  }
  return invalid.size > 0 ? invalid : undefined;
}
