import { createHash } from "node:crypto";
import type { EncodedSpan } from "../delivery/encoded-span.js";

/**
 * One spooled span on disk:
 *
 * ```
 * magic     4 bytes  FF 50 58 01  (0xFF never occurs in UTF-8 text, so a reader can find the next record after damage)
 * length    u32 BE   payload bytes
 * checksum  u32 BE   first 4 bytes of the payload's SHA-256
 * payload   u16 BE project length, project (UTF-8),
 *           u16 BE trace id length, trace id, u16 BE span id length, span id,
 *           the span's JSON (UTF-8) to the end
 * ```
 *
 * The ids are stored beside the JSON so that a replay need not parse it.
 * SHA-256 (node:crypto) rather than CRC-32 because `zlib.crc32` only exists
 * from Node 20.15 and every process sharing a spool must agree on the sum.
 */
export const RECORD_MAGIC = Buffer.from([0xff, 0x50, 0x58, 0x01]);
const HEADER_BYTES = 12;

export function checksum(payload: Uint8Array): number {
  return createHash("sha256").update(payload).digest().readUInt32BE(0);
}

/** The records of one project's spans, as one buffer to append. */
export function encodeRecords(project: string, spans: readonly EncodedSpan[]): Buffer[] {
  const projectBytes = Buffer.from(project, "utf8");
  return spans.map((span) => {
    const traceId = Buffer.from(span.traceId, "utf8");
    const spanId = Buffer.from(span.spanId, "utf8");
    const json = span.utf8;
    const payloadLength = 6 + projectBytes.length + traceId.length + spanId.length + json.length;
    const record = Buffer.allocUnsafe(HEADER_BYTES + payloadLength);
    RECORD_MAGIC.copy(record, 0);
    record.writeUInt32BE(payloadLength, 4);
    let at = HEADER_BYTES;
    for (const part of [projectBytes, traceId, spanId]) {
      record.writeUInt16BE(part.length, at);
      part.copy(record, at + 2);
      at += 2 + part.length;
    }
    json.copy(record, at);
    record.writeUInt32BE(checksum(record.subarray(HEADER_BYTES)), 8);
    return record;
  });
}

export type RecordRead =
  | { kind: "record"; project: string; span: EncodedSpan; next: number }
  /** A damaged or torn record; reading resumes at `next` (the next magic, or the end). */
  | { kind: "corrupt"; next: number }
  | { kind: "end" };

/** Reads the record at `offset` of a segment's bytes. */
export function readRecord(buffer: Buffer, offset: number): RecordRead {
  if (offset >= buffer.length) return { kind: "end" };
  const resync = (): RecordRead => {
    const next = buffer.indexOf(RECORD_MAGIC, offset + 1);
    return { kind: "corrupt", next: next < 0 ? buffer.length : next };
  };
  if (buffer.length - offset < HEADER_BYTES || buffer.compare(RECORD_MAGIC, 0, 4, offset, offset + 4) !== 0) return resync();
  const length = buffer.readUInt32BE(offset + 4);
  const start = offset + HEADER_BYTES;
  const end = start + length;
  if (length < 6 || end > buffer.length) return resync();
  const payload = buffer.subarray(start, end);
  if (checksum(payload) !== buffer.readUInt32BE(offset + 8)) return resync();
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 3; i++) {
    if (at + 2 > payload.length) return resync();
    const size = payload.readUInt16BE(at);
    if (at + 2 + size > payload.length) return resync();
    fields.push(payload.toString("utf8", at + 2, at + 2 + size));
    at += 2 + size;
  }
  // A copy: a view would keep the whole segment read in memory until the last of its spans is answered.
  const utf8 = Buffer.from(payload.subarray(at));
  const [project, traceId, spanId] = fields as [string, string, string];
  return { kind: "record", project, span: { traceId, spanId, utf8 }, next: end };
}

/** Counts the records of a segment by their headers (no checksums), for the spool's gauges. */
export function countRecords(buffer: Buffer): number {
  let count = 0;
  let offset = 0;
  while (offset + HEADER_BYTES <= buffer.length && buffer.compare(RECORD_MAGIC, 0, 4, offset, offset + 4) === 0) {
    count++;
    offset += HEADER_BYTES + buffer.readUInt32BE(offset + 4);
  }
  return count;
}
