import { diag } from "@opentelemetry/api";
import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { PhoenixConfigurationError } from "../../errors.js";
import type { EncodedSpan } from "../delivery/encoded-span.js";
import { countRecords, encodeRecords, readRecord } from "./spool-record.js";
import { formatSegmentName, parseSegmentName, processAlive, type SegmentName } from "./segment-name.js";

export interface SpoolOptions {
  directory: string;
  /** Most bytes on disk; past it appends are refused (and the spans dropped as `spool-full`). */
  maxBytes: number;
  /** 0: fsync after every append; else at most this long after an append. */
  fsyncMillis: number;
  /** A segment is closed (and becomes replayable) past this size. */
  segmentBytes?: number;
  /** Damaged records met while reading (each counted as one span lost). */
  onCorrupt?: (records: number, file: string) => void;
}

/** Spans read back from the spool, to deliver. `ack` once they are settled (delivered, refused, or spooled again). */
export interface SpoolLease {
  readonly project: string;
  readonly spans: EncodedSpan[];
  ack(): void;
}

export interface AppendResult {
  written: number;
  /** Spans not written: `spool-full` or `spool-error`. */
  refused: number;
  reason?: "spool-full" | "spool-error";
}

interface Segment {
  file: string;
  name: SegmentName;
  bytes: number;
  spans: number;
}

interface Reading {
  segment: Segment;
  buffer: Buffer;
  offset: number;
  outstanding: number;
  exhausted: boolean;
}

/** Exporters of this process with an open spool, by instance id: their segments are not orphans. */
const liveInstances = new Set<string>();
/** How often an idle spool looks for segments that other processes left behind. */
const RESCAN_MILLIS = 10_000;

/**
 * The on-disk overflow of the delivery queue: append-only segment files of
 * checksummed records (see spool-record.ts), replayed oldest first, deleted
 * once every span in them is settled. Survives the process: a new exporter
 * with the same directory replays what an earlier one (or a killed one) left.
 *
 * File I/O is synchronous on purpose: appends are small and go to the page
 * cache, and a synchronous spool can still take the queue's spans inside a
 * process `exit` handler, where nothing asynchronous runs any more.
 */
export class Spool {
  readonly directory: string;
  readonly #options: Required<Omit<SpoolOptions, "onCorrupt">> & Pick<SpoolOptions, "onCorrupt">;
  readonly #instance = randomBytes(4).toString("hex");
  #seq = 0;
  /** Closed segments of ours, oldest first. */
  #segments: Segment[] = [];
  #writing: { segment: Segment; fd: number } | undefined;
  #reading: Reading | undefined;
  #bytes = 0;
  #spans = 0;
  #dirty = false;
  #fsyncTimer: NodeJS.Timeout | undefined;
  #lastScan = 0;
  #closed = false;
  #errorLogged = false;

  constructor(options: SpoolOptions) {
    this.directory = resolve(options.directory);
    this.#options = {
      segmentBytes: Math.max(64 * 1024, Math.min(4 * 1024 * 1024, Math.floor(options.maxBytes / 16))),
      ...options,
      directory: this.directory,
    };
    try {
      mkdirSync(this.directory, { recursive: true });
      accessSync(this.directory, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new PhoenixConfigurationError(
        `The spoolDir ${JSON.stringify(this.directory)} is not a directory this process can write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ` +
          "Choose another directory, or leave spoolDir unset to keep undelivered spans in memory only.",
      );
    }
    liveInstances.add(this.#instance);
    this.#scan();
  }

  /** Spans on disk not yet settled. */
  get spans(): number {
    return this.#spans;
  }

  /** Bytes of the segment files on disk. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Writes the spans; what does not fit under `maxBytes` (or fails) is refused and counted by the caller. */
  append(project: string, spans: readonly EncodedSpan[]): AppendResult {
    if (spans.length === 0) return { written: 0, refused: 0 };
    if (this.#closed) return { written: 0, refused: spans.length, reason: "spool-error" };
    const records = encodeRecords(project, spans);
    let size = 0;
    let fit = 0;
    for (const record of records) {
      if (this.#bytes + size + record.length > this.#options.maxBytes) break;
      size += record.length;
      fit++;
    }
    if (fit === 0) return { written: 0, refused: spans.length, reason: "spool-full" };
    try {
      const writing = this.#writable(size);
      const buffer = fit === 1 ? records[0]! : Buffer.concat(records.slice(0, fit), size);
      for (let done = 0; done < buffer.length; ) done += writeSync(writing.fd, buffer, done);
      writing.segment.bytes += size;
      writing.segment.spans += fit;
      this.#bytes += size;
      this.#spans += fit;
      this.#synced(writing.fd);
    } catch (error) {
      this.#logError("write to", error);
      return { written: 0, refused: spans.length, reason: "spool-error" };
    }
    return fit === spans.length ? { written: fit, refused: 0 } : { written: fit, refused: spans.length - fit, reason: "spool-full" };
  }

  /** The next spans to replay (one project, at most `maxSpans`), oldest first; undefined when nothing is left. */
  take(maxSpans: number): SpoolLease | undefined {
    if (this.#closed) return undefined;
    for (;;) {
      const reading = this.#reading ?? this.#startReading();
      if (!reading) return undefined;
      const spans: EncodedSpan[] = [];
      let project: string | undefined;
      let corrupt = 0;
      while (spans.length < maxSpans) {
        const read = readRecord(reading.buffer, reading.offset);
        if (read.kind === "end") {
          reading.exhausted = true;
          break;
        }
        if (read.kind === "corrupt") {
          corrupt++;
          reading.offset = read.next;
          continue;
        }
        if (project !== undefined && read.project !== project) break;
        project = read.project;
        spans.push(read.span);
        reading.offset = read.next;
      }
      // Read to its last byte: the segment can go as soon as these spans are settled.
      if (reading.offset >= reading.buffer.length) reading.exhausted = true;
      if (corrupt > 0) {
        this.#spans = Math.max(0, this.#spans - corrupt);
        this.#options.onCorrupt?.(corrupt, reading.segment.file);
      }
      if (spans.length > 0) reading.outstanding++;
      if (reading.exhausted) {
        this.#reading = undefined;
        if (reading.outstanding === 0) this.#remove(reading.segment);
      }
      if (spans.length === 0) continue;
      let acked = false;
      return {
        project: project!,
        spans,
        ack: () => {
          if (acked) return;
          acked = true;
          this.#spans = Math.max(0, this.#spans - spans.length);
          reading.outstanding--;
          if (reading.exhausted && reading.outstanding === 0 && this.#reading !== reading) this.#remove(reading.segment);
        },
      };
    }
  }

  /** Closes the segment being written (fsynced) and lets the segments go to whoever opens this directory next. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeWriting();
    if (this.#fsyncTimer) clearTimeout(this.#fsyncTimer);
    this.#reading = undefined;
    liveInstances.delete(this.#instance);
  }

  #writable(size: number): { segment: Segment; fd: number } {
    if (this.#writing && this.#writing.segment.bytes > 0 && this.#writing.segment.bytes + size > this.#options.segmentBytes) {
      this.#closeWriting();
    }
    if (!this.#writing) {
      const name: SegmentName = { createdAt: Date.now(), pid: process.pid, instance: this.#instance, seq: ++this.#seq, open: true };
      const file = formatSegmentName(name);
      const fd = openSync(join(this.directory, file), "a");
      this.#writing = { segment: { file, name, bytes: 0, spans: 0 }, fd };
    }
    return this.#writing;
  }

  #synced(fd: number): void {
    if (this.#options.fsyncMillis === 0) {
      fsyncSync(fd);
      return;
    }
    this.#dirty = true;
    if (this.#fsyncTimer) return;
    this.#fsyncTimer = setTimeout(() => {
      this.#fsyncTimer = undefined;
      if (!this.#dirty || !this.#writing) return;
      this.#dirty = false;
      fsync(this.#writing.fd, (error) => {
        if (error) this.#logError("fsync", error);
      });
    }, this.#options.fsyncMillis);
    // The cadence must not keep the process alive; close() and exit fsync what is left.
    this.#fsyncTimer.unref();
  }

  #closeWriting(): void {
    const writing = this.#writing;
    if (!writing) return;
    this.#writing = undefined;
    this.#dirty = false;
    try {
      fsyncSync(writing.fd);
      closeSync(writing.fd);
      const closedName = { ...writing.segment.name, open: false };
      const file = formatSegmentName(closedName);
      renameSync(join(this.directory, writing.segment.file), join(this.directory, file));
      if (writing.segment.spans > 0) this.#segments.push({ ...writing.segment, file, name: closedName });
    } catch (error) {
      this.#logError("close", error);
    }
  }

  #startReading(): Reading | undefined {
    for (;;) {
      let segment = this.#segments.shift();
      if (!segment && this.#writing && this.#writing.segment.spans > 0) {
        this.#closeWriting();
        segment = this.#segments.shift();
      }
      if (!segment && Date.now() - this.#lastScan >= RESCAN_MILLIS) {
        this.#scan();
        segment = this.#segments.shift();
      }
      if (!segment) return undefined;
      try {
        const buffer = readFileSync(join(this.directory, segment.file));
        this.#reading = { segment, buffer, offset: 0, outstanding: 0, exhausted: false };
        return this.#reading;
      } catch (error) {
        this.#logError("read", error);
        this.#spans = Math.max(0, this.#spans - segment.spans);
        this.#forget(segment);
      }
    }
  }

  /** Claims the orphans in the directory: segments whose process is gone, or whose exporter here has closed. */
  #scan(): void {
    this.#lastScan = Date.now();
    let files: string[];
    try {
      files = readdirSync(this.directory);
    } catch (error) {
      this.#logError("list", error);
      return;
    }
    const claimed: Segment[] = [];
    for (const file of files.sort()) {
      const name = parseSegmentName(file);
      if (!name || name.instance === this.#instance) continue;
      const orphan = name.pid === process.pid ? !liveInstances.has(name.instance) : !processAlive(name.pid);
      if (!orphan) continue;
      const ours: SegmentName = { createdAt: name.createdAt, pid: process.pid, instance: this.#instance, seq: ++this.#seq, open: false };
      const target = formatSegmentName(ours);
      try {
        renameSync(join(this.directory, file), join(this.directory, target));
        const buffer = readFileSync(join(this.directory, target));
        if (buffer.length === 0) {
          unlinkSync(join(this.directory, target));
          continue;
        }
        const segment = { file: target, name: ours, bytes: buffer.length, spans: countRecords(buffer) };
        this.#bytes += segment.bytes;
        this.#spans += segment.spans;
        claimed.push(segment);
      } catch (error) {
        // ENOENT: another process claimed it first.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.#logError("claim", error);
      }
    }
    if (claimed.length > 0) {
      this.#segments.push(...claimed);
      this.#segments.sort((a, b) => a.name.createdAt - b.name.createdAt || a.name.seq - b.name.seq);
      diag.info(`phoenix-connector: found ${claimed.reduce((n, s) => n + s.spans, 0)} spooled spans in ${this.directory}; replaying them.`);
    }
  }

  #remove(segment: Segment): void {
    try {
      unlinkSync(join(this.directory, segment.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.#logError("delete", error);
    }
    this.#forget(segment);
  }

  #forget(segment: Segment): void {
    this.#bytes = Math.max(0, this.#bytes - segment.bytes);
  }

  #logError(action: string, error: unknown): void {
    if (this.#errorLogged) return;
    this.#errorLogged = true;
    diag.error(`phoenix-connector: could not ${action} the spool in ${this.directory}: ${(error as Error).message}`);
  }
}
