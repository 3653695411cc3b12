import { gunzipSync, inflateSync } from "node:zlib";

/** Error bodies larger than this are quoted as they came (a message needs their start only). */
const MAX_DECODED_BYTES = 64 * 1024;

/**
 * An error answer's body as text bytes, decompressed when the server sent it
 * compressed: Phoenix's OTLP route answers its 503 at capacity gzip-encoded
 * (BEHAVIOUR.md), and its text, quoted in the error a user reads in the
 * diag log, is what says the server is at capacity. Success
 * bodies are not decoded: nothing we call answers them compressed. A body
 * that does not decode is kept as it came.
 *
 * Why not undici's `interceptors.decompress`: it decorates the handler of
 * every request, success or not, to serve a rare error answer, and its one
 * `maxSize` would also cap success bodies (a trace export reads megabytes);
 * here only an error body is decoded, at most 64 KiB of it (a gzip bomb in an
 * error answer stays small).
 */
export function decodedErrorBody(raw: Uint8Array, contentEncoding: string | string[] | undefined): Uint8Array {
  const encoding = (Array.isArray(contentEncoding) ? contentEncoding.join(",") : (contentEncoding ?? "")).trim().toLowerCase();
  if (raw.byteLength === 0 || (encoding !== "gzip" && encoding !== "deflate")) return raw;
  try {
    const options = { maxOutputLength: MAX_DECODED_BYTES };
    return new Uint8Array(encoding === "gzip" ? gunzipSync(raw, options) : inflateSync(raw, options));
  } catch {
    return raw;
  }
}
