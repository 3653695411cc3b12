import { createReadStream } from "node:fs";

export interface FileLine {
  text: string;
  /** Byte offset just past the line and its newline: where reading resumes after it. */
  end: number;
}

/**
 * The lines of a file from byte offset `start`, with exact byte offsets (for
 * a resumable import), read as a stream: the file is never held in memory.
 * `\r\n` endings and a last line without a newline are read too.
 */
export async function* readFileLines(file: string, start = 0): AsyncGenerator<FileLine> {
  let offset = start;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of createReadStream(file, { start, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, at);
      const line = pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece;
      offset += line.length + 1;
      pending = [];
      pendingBytes = 0;
      yield { text: line.toString("utf8").replace(/\r$/, ""), end: offset };
      from = at + 1;
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
    }
  }
  if (pendingBytes > 0) {
    const line = Buffer.concat(pending);
    offset += line.length;
    yield { text: line.toString("utf8").replace(/\r$/, ""), end: offset };
  }
}
