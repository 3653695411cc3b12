import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import { isoToMicros } from "../../store/iso-micros.js";

/** A span and its place in the trace: a segment of the path of span names from the root. */
export interface SpanStep {
  /** The span name, `[n]` appended for the n-th same-named sibling (n ≥ 2). */
  segment: string;
  /** What aligns the step among its siblings: the segment, or {@link ROOT_KEY} for the trace's root. */
  keySegment: string;
  /** Index of the parent step in the same list (it always comes earlier); undefined for a root. */
  parentIndex: number | undefined;
  depth: number;
  span: PhoenixSpan;
}

/**
 * Key segment of a trace's root span (the span without a parent): roots line
 * up whatever their names, since a job's root is often named after its run
 * ("rag-agent prompt v1" vs "… v2"). Other parentless-looking spans (their
 * parent not stored) keep their names.
 */
export const ROOT_KEY = "\u0001root";

/**
 * The trace's spans in tree order (depth first, siblings by start time, then
 * by the order they were stored in), each with its path of names. `spans`
 * are as read back: newest first. Same-named siblings are numbered by start time:
 * `retrieve`, `retrieve[2]`, `retrieve[3]`. A span whose parent is not in the
 * trace (not stored yet, or cut off) counts as a root, and so do spans caught
 * in a parent cycle (bad data): every span appears exactly once.
 */
export function stepPaths(spans: readonly PhoenixSpan[]): SpanStep[] {
  const byId = new Map<string, PhoenixSpan>();
  for (const span of spans) if (!byId.has(span.context.span_id)) byId.set(span.context.span_id, span);
  const unique = [...byId.values()];
  const starts = new Map<PhoenixSpan, number>();
  // Position in the store: spans are read back newest first, so a higher index was stored earlier.
  const stored = new Map<PhoenixSpan, number>();
  unique.forEach((span, index) => {
    starts.set(span, isoToMicros(span.start_time));
    stored.set(span, unique.length - index);
  });
  const children = new Map<string, PhoenixSpan[]>();
  const roots: PhoenixSpan[] = [];
  for (const span of unique) {
    const parent = span.parent_id;
    if (parent === null || parent === span.context.span_id || !byId.has(parent)) {
      roots.push(span);
      continue;
    }
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(span);
  }
  const bySiblingOrder = (a: PhoenixSpan, b: PhoenixSpan): number => {
    const sa = starts.get(a)!;
    const sb = starts.get(b)!;
    if (sa !== sb) return Number.isNaN(sa) ? 1 : Number.isNaN(sb) ? -1 : sa - sb;
    // The same start: OpenTelemetry JS keeps start times to the millisecond, so quick sequential
    // siblings tie. Spans are stored as they end, so the one stored first ran first.
    return stored.get(a)! - stored.get(b)!;
  };

  const out: SpanStep[] = [];
  const visited = new Set<PhoenixSpan>();
  // Iterative depth-first walk: an agent loop can nest deeper than the call stack allows.
  const stack: SpanStep[] = [];
  let rootTaken = false;
  const pushSiblings = (siblings: PhoenixSpan[], parentIndex: number | undefined, depth: number, seen = new Map<string, number>()) => {
    const frames: SpanStep[] = [];
    for (const span of siblings.filter((s) => !visited.has(s)).sort(bySiblingOrder)) {
      visited.add(span);
      const n = (seen.get(span.name) ?? 0) + 1;
      seen.set(span.name, n);
      const segment = n === 1 ? span.name : `${span.name}[${n}]`;
      // The earliest span without a parent is the trace's root.
      const isRoot = depth === 0 && !rootTaken && span.parent_id === null;
      if (isRoot) rootTaken = true;
      frames.push({ span, segment, keySegment: isRoot ? ROOT_KEY : segment, parentIndex, depth });
    }
    for (let i = frames.length - 1; i >= 0; i--) stack.push(frames[i]!);
  };
  const drain = () => {
    while (stack.length > 0) {
      const step = stack.pop()!;
      out.push(step);
      const kids = children.get(step.span.context.span_id);
      if (kids) pushSiblings(kids, out.length - 1, step.depth + 1);
    }
  };
  // Roots share one numbering, including the ones found in cycles below.
  const rootNames = new Map<string, number>();
  pushSiblings(roots, undefined, 0, rootNames);
  drain();
  while (visited.size < unique.length) {
    // Only spans in a parent cycle are left: the earliest of them becomes a root.
    const earliest = unique.filter((s) => !visited.has(s)).sort(bySiblingOrder)[0]!;
    pushSiblings([earliest], undefined, 0, rootNames);
    drain();
  }
  return out;
}
