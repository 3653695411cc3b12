import { open, type FileHandle } from "node:fs/promises";

/**
 * JSON-lines files that several processes append to at once.
 *
 * A writer appends a batch of whole lines with one `write` on a descriptor
 * opened with `O_APPEND`: the kernel positions every such write at the end
 * of the file atomically, so two processes' batches never interleave inside
 * a line (on a local file system; not on NFS). No lock file is used, so a
 * killed process can never leave a stale lock behind.
 *
 * A reader may still meet a torn last line: one being written right now, or
 * left by a process killed mid-write. It only consumes up to the last
 * newline and leaves the rest for the next read; and a writer that finds the
 * file not ending in a newline starts its batch with one, so a torn fragment
 * becomes a line of its own (skipped by readers) instead of corrupting the
 * next batch.
 */
const NEWLINE = 0x0a;
const READ_CHUNK = 1 << 20;

/** Appends the lines (each without a newline) as one write. */
export async function appendLines(path: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  // a+: append-only writes, plus reads to look at the last byte.
  const handle = await open(path, "a+");
  try {
    const text = `${lines.join("\n")}\n`;
    const prefix = (await endsWithNewline(handle)) ? "" : "\n";
    await writeFully(handle, Buffer.from(prefix + text, "utf8"));
  } finally {
    await handle.close();
  }
}

async function endsWithNewline(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === NEWLINE;
}

async function writeFully(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  // A regular file takes the whole buffer in one write unless the disk is
  // full; the loop only finishes what such a short write left.
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    if (bytesWritten <= 0) throw new Error(`short write to the local store (${offset} of ${buffer.length} bytes)`);
    offset += bytesWritten;
  }
}

export interface LinesRead {
  /** Parsed values of the complete lines, in file order. */
  values: unknown[];
  /** Where the next read should start: just after the last complete line. */
  nextOffset: number;
  /** Complete lines that were not JSON (torn fragments). */
  skipped: number;
}

/** Parses the complete lines from `fromOffset` to the end; a missing file has none. */
export async function readLines(path: string, fromOffset = 0): Promise<LinesRead> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { values: [], nextOffset: fromOffset, skipped: 0 };
    throw error;
  }
  const values: unknown[] = [];
  let skipped = 0;
  let consumed = fromOffset;
  try {
    let position = fromOffset;
    let carry = Buffer.alloc(0);
    const chunk = Buffer.alloc(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        const line = data.toString("utf8", start, nl);
        consumed += nl + 1 - start;
        start = nl + 1;
        if (line.trim() === "") continue;
        try {
          values.push(JSON.parse(line));
        } catch {
          skipped++;
        }
      }
      carry = Buffer.from(data.subarray(start));
    }
  } finally {
    await handle.close();
  }
  return { values, nextOffset: consumed, skipped };
}
