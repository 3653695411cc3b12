import type { ServerResponse } from "node:http";
import type { StoredSpan } from "./phoenix-store.js";

/** Helpers shared by the Phoenix stand-in's routes. */

/** What a route answers. */
export interface Answer {
  status: number;
  body: string | object | Buffer;
  headers?: Record<string, string>;
  /** Spans to queue for storage once the request is answered (their ids are already reserved). */
  ingest?: Array<Omit<StoredSpan, "rowId">>;
  /** In speed mode, the worker whose timing this answer follows. */
  worker?: "rest" | "otlp";
}

/** A text/plain answer, as Phoenix's HTTPExceptions are. */
export function text(status: number, body: string): Answer {
  return { status, body, headers: { "content-type": "text/plain" } };
}

/** FastAPI's 422 for a body that is not JSON. */
export const JSON_INVALID: Answer = { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error" }] } };

export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

export function clampLimit(raw: string | null, fallback: number, max = 1000): number | undefined {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > max) return undefined;
  return n;
}

export function paginate<T>(
  items: T[],
  cursor: string | null,
  limit: number | undefined,
  idOf: (item: T) => string,
  render: (item: T) => unknown,
): { status: number; body: object } {
  const size = limit ?? 100;
  let start = 0;
  if (cursor) {
    const index = items.findIndex((item) => idOf(item) === cursor);
    start = index < 0 ? items.length : index;
  }
  const page = items.slice(start, start + size);
  const next = items[start + size];
  return { status: 200, body: { data: page.map(render), next_cursor: next ? idOf(next) : null } };
}

export function send(res: ServerResponse, status: number, body: string | object | Buffer, headers: Record<string, string> = {}): void {
  // The client may have gone (timed out, cut off): Phoenix completes the request, there is just no one to tell.
  if (res.destroyed || res.writableEnded || res.socket?.destroyed) return;
  const text = Buffer.isBuffer(body) ? body : typeof body === "string" ? body : JSON.stringify(body);
  const type = headers["content-type"] ?? (typeof body === "string" || Buffer.isBuffer(body) ? "text/plain" : "application/json");
  res.writeHead(status, { ...headers, "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
