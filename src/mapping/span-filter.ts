import { diag, type SpanContext } from "@opentelemetry/api";
import type { ReadableSpan } from "./readable-span.js";
import { PhoenixConfigurationError } from "../errors.js";
import { compileMapSpanOptions, type CompiledMapping, type MapSpanOptions } from "./mapping-options.js";
import type { PhoenixSpanKind } from "./phoenix-span.js";
import { resolveSpanKind } from "./span-kind.js";

/**
 * Which spans reach Phoenix. `"llm"` keeps the spans the mapping recognises
 * (any kind but UNKNOWN: LLM calls and the chains, tools, retrievers and
 * agents around them) and drops the rest (HTTP, database, framework spans).
 * A function decides per span from the span and its kind.
 */
export type SpanFilter = "llm" | ((span: ReadableSpan, kind: PhoenixSpanKind) => boolean);

/** How many spans the filter remembers for re-parenting. */
export const SPAN_FILTER_MEMORY = 10_000;

interface Entry {
  parent: string | undefined;
  kept: boolean;
}

/**
 * Applies a {@link SpanFilter} and re-parents the spans it keeps: a kept span
 * whose parent was dropped is sent with its nearest kept ancestor as parent
 * (or as a root), so Phoenix still shows one tree per trace.
 *
 * A child usually ends before its parent, so when the child is handed on
 * its parent's fate is not final. The decision is made at start (the
 * attributes that define a kind are normally set when a span starts) and
 * made again at end with all attributes; the parent of a kept span is
 * resolved only when the exporter maps it, seconds later, against the
 * decisions known then. Limits: a parent whose kind-defining attributes are
 * set after start and that is still running when its child is mapped is
 * judged by its start-time attributes; only the last {@link SPAN_FILTER_MEMORY}
 * spans are remembered, and a parent older than that (or from another
 * process) is assumed kept.
 */
export class SpanSelection {
  readonly #keep: (span: ReadableSpan, kind: PhoenixSpanKind) => boolean;
  readonly #mapping: CompiledMapping;
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;

  constructor(filter: SpanFilter, mapping?: MapSpanOptions, capacity = SPAN_FILTER_MEMORY) {
    if (filter === "llm") this.#keep = (_span, kind) => kind !== "UNKNOWN";
    else if (typeof filter === "function") this.#keep = filter;
    else throw new PhoenixConfigurationError(`The spanFilter option must be "llm" or a function (span, kind) => boolean; got ${JSON.stringify(filter)}.`);
    this.#mapping = compileMapSpanOptions(mapping);
    this.#capacity = capacity;
  }

  /** Call from the span processor's onStart. */
  onStart(span: ReadableSpan): void {
    const id = span.spanContext().spanId;
    if (this.#entries.size >= this.#capacity) {
      // Maps iterate in insertion order: the oldest span is forgotten first.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(id, { parent: span.parentSpanContext?.spanId, kept: this.#decide(span) });
  }

  /**
   * Call from onEnd: the span to hand on (re-parented when needed), or
   * undefined when it is filtered out.
   */
  onEnd(span: ReadableSpan): ReadableSpan | undefined {
    const id = span.spanContext().spanId;
    const kept = this.#decide(span);
    const entry = this.#entries.get(id);
    if (entry) entry.kept = kept;
    else this.#entries.set(id, { parent: span.parentSpanContext?.spanId, kept });
    if (!kept) return undefined;
    const parent = span.parentSpanContext;
    return parent ? this.#reparented(span, parent) : span;
  }

  /** The nearest ancestor (from `parentId` up) that is kept, or undefined when every one was dropped. */
  nearestKept(parentId: string): string | undefined {
    let id: string | undefined = parentId;
    for (let steps = 0; id !== undefined && steps < this.#capacity; steps++) {
      const entry = this.#entries.get(id);
      if (!entry || entry.kept) return id;
      id = entry.parent;
    }
    return id;
  }

  #decide(span: ReadableSpan): boolean {
    try {
      return this.#keep(span, resolveSpanKind(span, this.#mapping)) !== false;
    } catch (error) {
      diag.warn(`phoenix-connector: the spanFilter threw (${String(error)}); keeping span "${span.name}".`);
      return true;
    }
  }

  /**
   * A view of the span whose parent is resolved when read (at mapping
   * time), so that decisions made after this span ended still count.
   */
  #reparented(span: ReadableSpan, parent: SpanContext): ReadableSpan {
    const view = Object.create(span) as ReadableSpan;
    Object.defineProperty(view, "parentSpanContext", {
      get: (): SpanContext | undefined => {
        const id = this.nearestKept(parent.spanId);
        if (id === undefined) return undefined;
        return id === parent.spanId ? parent : { ...parent, spanId: id };
      },
    });
    return view;
  }
}
