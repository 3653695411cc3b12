import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeSpan, type EncodedSpan } from "../../../src/exporter/delivery/encoded-span.js";
import { Spool, type SpoolLease } from "../../../src/exporter/spool/spool.js";
import { encodeRecords, readRecord, RECORD_MAGIC } from "../../../src/exporter/spool/spool-record.js";
import { formatSegmentName, processAlive } from "../../../src/exporter/spool/segment-name.js";
import { spanJson } from "../../../src/store/span-sink.js";
import { PhoenixConfigurationError } from "../../../src/errors.js";

let dir: string;
const spools: Spool[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "px-spool-"));
});
afterEach(() => {
  for (const spool of spools.splice(0)) spool.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<ConstructorParameters<typeof Spool>[0]> = {}): Spool & { corrupt: number } {
  let corrupt = 0;
  const spool = new Spool({ directory: dir, maxBytes: 10 * 1024 * 1024, fsyncMillis: 0, onCorrupt: (n) => (corrupt += n), ...options });
  spools.push(spool);
  return Object.defineProperty(spool, "corrupt", { get: () => corrupt }) as Spool & { corrupt: number };
}

let next = 0;
function span(text = "hello"): EncodedSpan {
  next++;
  const id = next.toString(16).padStart(16, "0");
  return encodeSpan({
    name: `span ${next} «${text}» 🚀`,
    context: { trace_id: id.padStart(32, "0"), span_id: id },
    span_kind: "LLM",
    parent_id: null,
    start_time: "2026-01-01T00:00:00.000000Z",
    end_time: "2026-01-01T00:00:01.000000Z",
    status_code: "OK",
    status_message: "",
    attributes: { "input.value": text },
    events: [],
  });
}

function drain(spool: Spool, max = 50): SpoolLease[] {
  const leases: SpoolLease[] = [];
  for (let lease = spool.take(max); lease; lease = spool.take(max)) leases.push(lease);
  return leases;
}

describe("spool records", () => {
  it("round-trip project, ids and JSON byte for byte, including non-ASCII text", () => {
    const original = span("naïve — ✓");
    const [record] = encodeRecords("projé", [original]);
    const read = readRecord(record!, 0);
    expect(read).toEqual({ kind: "record", project: "projé", span: original, next: record!.length });
  });

  it("a flipped byte fails the checksum; reading resumes at the next record", () => {
    const records = encodeRecords("p", [span(), span(), span()]);
    const buffer = Buffer.concat(records);
    buffer[records[0]!.length + 30]! ^= 0x01;
    const first = readRecord(buffer, 0);
    expect(first.kind).toBe("record");
    const second = readRecord(buffer, (first as { next: number }).next);
    expect(second).toEqual({ kind: "corrupt", next: records[0]!.length + records[1]!.length });
    expect(readRecord(buffer, (second as { next: number }).next).kind).toBe("record");
  });
});

describe("Spool", () => {
  it("appends, replays oldest first in batches of one project, and deletes a segment once every lease is acked", () => {
    const spool = open();
    const a = [span(), span(), span()];
    const b = [span(), span()];
    spool.append("alpha", a);
    spool.append("beta", b);
    expect(spool.spans).toBe(5);
    const leases = drain(spool, 2);
    expect(leases.map((l) => [l.project, l.spans.map((s) => s.spanId)])).toEqual([
      ["alpha", [a[0]!.spanId, a[1]!.spanId]],
      ["alpha", [a[2]!.spanId]],
      ["beta", b.map((s) => s.spanId)],
    ]);
    expect(leases[2]!.spans).toEqual(b);
    expect(readdirSync(dir)).toHaveLength(1);
    for (const lease of leases) lease.ack();
    expect(readdirSync(dir)).toEqual([]);
    expect(spool).toMatchObject({ spans: 0, bytes: 0 });
  });

  it("rotates segments past their size and keeps them in order", () => {
    const spool = open({ segmentBytes: 2_000 });
    const spans = Array.from({ length: 40 }, () => span("y".repeat(200)));
    for (const s of spans) spool.append("p", [s]);
    expect(readdirSync(dir).length).toBeGreaterThan(3);
    const leases = drain(spool, 7);
    expect(leases.flatMap((l) => l.spans.map((s) => s.spanId))).toEqual(spans.map((s) => s.spanId));
    for (const lease of leases) lease.ack();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses what would pass maxBytes, partly when part fits", () => {
    const spool = open({ maxBytes: 2_000 });
    const result = spool.append("p", Array.from({ length: 10 }, () => span("z".repeat(300))));
    expect(result.written).toBeGreaterThan(0);
    expect(result).toMatchObject({ refused: 10 - result.written, reason: "spool-full" });
    expect(spool.bytes).toBeLessThanOrEqual(2_000);
    expect(spool.append("p", [span("z".repeat(300))])).toEqual({ written: 0, refused: 1, reason: "spool-full" });
  });

  it("survives a torn last record (a kill mid-write) and a damaged one: the rest is replayed, the damage counted", () => {
    const spool = open();
    const spans = [span(), span(), span(), span()];
    spool.append("p", spans);
    spool.close();
    const [file] = readdirSync(dir);
    const bytes = readFileSync(join(dir, file!));
    const records = encodeRecords("p", spans);
    // Damage the second record, and tear the last one in half.
    bytes[records[0]!.length + 20]! ^= 0xff;
    writeFileSync(join(dir, file!), bytes.subarray(0, bytes.length - Math.floor(records[3]!.length / 2)));

    const reader = open();
    const ids = drain(reader).flatMap((l) => {
      l.ack();
      return l.spans.map((s) => s.spanId);
    });
    expect(ids).toEqual([spans[0]!.spanId, spans[2]!.spanId]);
    expect(reader.corrupt).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("claims segments whose process is gone, and a closed spool's of this process, but not a live one's", () => {
    // An exporter of this process, still running, with a segment of its own.
    const live = open();
    live.append("p", [span("from a live exporter here")]);
    // A process that no longer exists.
    let deadPid = 4_000_000;
    while (processAlive(deadPid)) deadPid++;
    const dead = formatSegmentName({ createdAt: 1, pid: deadPid, instance: "dead0001", seq: 1, open: true });
    writeFileSync(join(dir, dead), Buffer.concat(encodeRecords("p", [span("from a dead process")])));
    // The parent of this test runner: alive, not ours.
    const alive = formatSegmentName({ createdAt: 2, pid: process.ppid, instance: "live0001", seq: 1, open: false });
    writeFileSync(join(dir, alive), Buffer.concat(encodeRecords("p", [span("from a live process")])));

    const reader = open();
    const texts = drain(reader).flatMap((l) => l.spans.map((s) => (JSON.parse(spanJson(s)) as { attributes: Record<string, string> }).attributes["input.value"]));
    expect(texts).toEqual(["from a dead process"]);

    live.close();
    const after = open();
    expect(drain(after).flatMap((l) => l.spans.length)).toEqual([1]);
    expect(readdirSync(dir).some((f) => f === alive)).toBe(true);
  });

  it("an unwritable spoolDir is a configuration error that says what to do", () => {
    if (process.getuid?.() === 0) {
      // root may write anywhere; a path under a file cannot be a directory for anyone.
      writeFileSync(join(dir, "file"), "x");
      expect(() => open({ directory: join(dir, "file", "spool") })).toThrow(PhoenixConfigurationError);
      return;
    }
    chmodSync(dir, 0o500);
    expect(() => open({ directory: join(dir, "spool") })).toThrow(/not a directory this process can write.*leave spoolDir unset/);
    chmodSync(dir, 0o700);
  });

  it("the magic byte 0xFF never occurs in a record's text", () => {
    expect(RECORD_MAGIC[0]).toBe(0xff);
    const [record] = encodeRecords("p", [span("\uffff\ud800 lone surrogate")]);
    expect(record!.subarray(12).includes(0xff)).toBe(false);
  });
});
