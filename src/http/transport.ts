/**
 * One HTTP request and its classified outcome. A transport never throws on an
 * HTTP status: it answers `success`, `failure` (do not retry) or `retryable`
 * (optionally with the delay the server asked for), and a decorator such as
 * the retrying transport decides what to do with it.
 */
export interface TransportRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the endpoint's base URL, with its query string, e.g. `/v1/projects/p/spans`. */
  path: string;
  body?: string | Uint8Array;
  /** Content type of `body`; default `application/json`. */
  contentType?: string;
  /** Extra headers for this request (credentials are added by the transport). */
  headers?: Record<string, string>;
  /** Cancels the request and any retry still to come (e.g. at a shutdown deadline). */
  signal?: AbortSignal;
}

/** `attempts` (set by a retrying transport) is how many requests the answer took, the first included. */
export type TransportResponse =
  | { status: "success"; statusCode: number; body: Uint8Array; headers: Record<string, string>; attempts?: number }
  | { status: "failure"; statusCode?: number; body?: Uint8Array; error: Error; attempts?: number; aborted?: boolean }
  | { status: "retryable"; statusCode?: number; body?: Uint8Array; retryAfterMillis?: number; error: Error; attempts?: number };

export interface Transport {
  send(request: TransportRequest, timeoutMillis: number): Promise<TransportResponse>;
  shutdown(): Promise<void>;
}

/** HTTP statuses worth another try: the server may answer differently later. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

const decoder = new TextDecoder();

/** The body of a response as text, at most `limit` characters (for messages). */
export function bodyText(body: Uint8Array | undefined, limit = 2_000): string {
  if (!body || body.byteLength === 0) return "";
  const text = decoder.decode(body.byteLength > limit * 4 ? body.subarray(0, limit * 4) : body);
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
