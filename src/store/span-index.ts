import { join } from "node:path";
import type { PhoenixSpan } from "../mapping/phoenix-span.js";
import { readLines } from "./jsonl-file.js";
import { SPANS_FILE } from "./layout.js";

/**
 * What this process knows of one project's spans file, kept up to date by
 * reading only the bytes appended since the last look (by any process).
 * A span id counts once: a later line with the same id (two processes
 * writing the same span at the same moment) is ignored, as Phoenix would
 * refuse it.
 */
export class ProjectSpanIndex {
  readonly name: string;
  readonly file: string;
  readonly spanIds = new Set<string>();
  readonly traceIds = new Set<string>();
  #offset = 0;
  /** Parsed spans in file order, kept only once someone reads spans (writers need ids only). */
  #spans: PhoenixSpan[] | undefined;

  constructor(name: string, directory: string) {
    this.name = name;
    this.file = join(directory, SPANS_FILE);
  }

  /** Reads what was appended since the last refresh. Returns the number of unreadable lines met. */
  async refresh(keepSpans: boolean): Promise<number> {
    if (keepSpans && this.#spans === undefined) {
      // Start over once to collect the spans themselves.
      this.#spans = [];
      this.#offset = 0;
      this.spanIds.clear();
      this.traceIds.clear();
    }
    const read = await readLines(this.file, this.#offset);
    this.#offset = read.nextOffset;
    let unreadable = read.skipped;
    for (const value of read.values) {
      const span = asSpan(value);
      if (!span) {
        unreadable++;
        continue;
      }
      if (this.spanIds.has(span.context.span_id)) continue;
      this.spanIds.add(span.context.span_id);
      this.traceIds.add(span.context.trace_id);
      this.#spans?.push(span);
    }
    return unreadable;
  }

  /** The spans read so far, in file order (oldest first). */
  spans(): readonly PhoenixSpan[] {
    return this.#spans ?? [];
  }
}

function asSpan(value: unknown): PhoenixSpan | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const context = (value as { context?: unknown }).context;
  if (context === null || typeof context !== "object") return undefined;
  const { span_id: spanId, trace_id: traceId } = context as { span_id?: unknown; trace_id?: unknown };
  if (typeof spanId !== "string" || typeof traceId !== "string") return undefined;
  return value as PhoenixSpan;
}
