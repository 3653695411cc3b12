import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { Writable } from "node:stream";

/**
 * Writes JSON lines with back-pressure: a write waits while the stream's
 * buffer is full, so an export of any size holds one page in memory. To a
 * path, it writes a temporary file beside it and renames it into place when
 * done, so an interrupted export never leaves a file that looks complete.
 */
export class JsonLinesWriter {
  readonly #stream: Writable;
  readonly #path: string | undefined;
  readonly #temporary: string | undefined;
  #failure: Error | undefined;

  private constructor(stream: Writable, path?: string, temporary?: string) {
    this.#stream = stream;
    this.#path = path;
    this.#temporary = temporary;
    stream.on("error", (error: Error) => (this.#failure ??= error));
  }

  /** To a file (created, or replaced once complete). */
  static async toFile(path: string): Promise<JsonLinesWriter> {
    const temporary = `${path}.${process.pid}.partial`;
    const stream = createWriteStream(temporary, { flags: "w" });
    await Promise.race([once(stream, "open"), once(stream, "error").then(([error]) => Promise.reject(error as Error))]);
    return new JsonLinesWriter(stream, path, temporary);
  }

  /** To a stream the caller owns (e.g. stdout): never ended here. */
  static toStream(stream: Writable): JsonLinesWriter {
    return new JsonLinesWriter(stream);
  }

  async write(value: unknown): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (!this.#stream.write(`${JSON.stringify(value)}\n`)) await once(this.#stream, "drain");
  }

  /** Finishes the file and moves it into place. */
  async close(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#path === undefined) return;
    this.#stream.end();
    await once(this.#stream, "close");
    if (this.#failure) throw this.#failure;
    await rename(this.#temporary!, this.#path);
  }

  /** Gives up: the temporary file is removed, an existing file at the path is left as it was. */
  async abort(): Promise<void> {
    if (this.#path === undefined) return;
    this.#stream.destroy();
    await rm(this.#temporary!, { force: true });
  }
}
