import { spanCost, spanLatencyMs, spanTokens } from "./span-measures.js";
import type { SpanStep } from "./step-paths.js";
import type { AlignedStep, StepMeasure } from "./types.js";

interface MergedNode {
  /** Display path: the names of the first trace that has the step. */
  path: string[];
  name: string;
  depth: number;
  children: MergedNode[];
  /** Children by key segment, for matching the next traces' steps. */
  byKey: Map<string, MergedNode>;
  measures: Array<StepMeasure | null>;
}

/**
 * The steps of every trace on one list, matched by path of names. The list
 * is the union of the traces' trees, in tree order: the first trace's order,
 * and a step only later traces have comes after its existing siblings.
 * The roots line up whatever their names (shown with the first trace's).
 * Linear in the number of spans (and in path lengths for the `path` arrays).
 */
export function alignSteps(traces: ReadonlyArray<readonly SpanStep[]>): AlignedStep[] {
  const top: MergedNode = { path: [], name: "", depth: -1, children: [], byKey: new Map(), measures: [] };
  traces.forEach((steps, index) => {
    const nodeOf: MergedNode[] = [];
    for (const step of steps) {
      const parent = step.parentIndex === undefined ? top : nodeOf[step.parentIndex]!;
      let node = parent.byKey.get(step.keySegment);
      if (!node) {
        node = {
          path: [...parent.path, step.segment],
          name: step.span.name,
          depth: step.depth,
          children: [],
          byKey: new Map(),
          measures: traces.map(() => null),
        };
        parent.byKey.set(step.keySegment, node);
        parent.children.push(node);
      }
      node.measures[index] = measure(step);
      nodeOf.push(node);
    }
  });
  const out: AlignedStep[] = [];
  const stack = [...top.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push({
      path: node.path,
      name: node.name,
      depth: node.depth,
      traces: node.measures,
      presentIn: node.measures.reduce((n, m) => (m ? n + 1 : n), 0),
    });
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

function measure(step: SpanStep): StepMeasure {
  const { span } = step;
  return {
    spanId: span.context.span_id,
    kind: span.span_kind,
    status: span.status_code,
    latencyMs: spanLatencyMs(span),
    tokens: spanTokens(span),
    cost: spanCost(span),
  };
}
