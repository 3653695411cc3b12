import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { PhoenixSpan, PhoenixSpanKind } from "../../mapping/phoenix-span.js";
import { isoToMicros } from "../../store/iso-micros.js";
import { MODEL_NAME_KEYS, numericAttribute, spanCost, spanLatencyMs, spanTokens } from "./span-measures.js";
import type { CostTotals, TraceData, TraceSummary } from "./types.js";

/** One trace's totals: root, status, timing, spans by kind, tokens, cost, errors, models. */
export function summarizeTrace(trace: TraceData): TraceSummary {
  const { spans } = trace;
  let root: PhoenixSpan | undefined;
  const spanKinds: Partial<Record<PhoenixSpanKind, number>> = {};
  const tokens = { prompt: 0, completion: 0, total: 0 };
  const cost: CostTotals = { prompt: null, completion: null, total: null };
  const models: string[] = [];
  let errorCount = 0;
  let first = Number.POSITIVE_INFINITY;
  let firstText: string | null = null;
  let last = Number.NEGATIVE_INFINITY;
  const add = (sum: number | null, value: number | null | undefined) => (value === null || value === undefined ? sum : (sum ?? 0) + value);
  for (const span of spans) {
    spanKinds[span.span_kind] = (spanKinds[span.span_kind] ?? 0) + 1;
    if (span.status_code === "ERROR") errorCount++;
    const t = spanTokens(span);
    if (t) {
      tokens.prompt += t.prompt;
      tokens.completion += t.completion;
      tokens.total += t.total;
    }
    cost.prompt = add(cost.prompt, numericAttribute(span.attributes, SC.LLM_COST_PROMPT));
    cost.completion = add(cost.completion, numericAttribute(span.attributes, SC.LLM_COST_COMPLETION));
    cost.total = add(cost.total, spanCost(span));
    for (const key of MODEL_NAME_KEYS) {
      const model = span.attributes[key];
      if (typeof model === "string" && model !== "" && !models.includes(model)) models.push(model);
    }
    const start = isoToMicros(span.start_time);
    const end = isoToMicros(span.end_time);
    if (start < first) {
      first = start;
      firstText = span.start_time;
    }
    if (end > last) last = end;
    // The root has no parent; of several (bad data), the earliest.
    if (span.parent_id === null && (!root || start < isoToMicros(root.start_time))) root = span;
  }
  return {
    traceId: trace.traceId,
    project: trace.project,
    rootName: root?.name ?? null,
    rootSpanId: root?.context.span_id ?? null,
    status: root?.status_code ?? null,
    startTime: root?.start_time ?? firstText,
    latencyMs: root ? spanLatencyMs(root) : Number.isFinite(first) && Number.isFinite(last) ? (last - first) / 1000 : null,
    spanCount: spans.length,
    spanKinds,
    tokens,
    cost: cost.total === null ? null : cost,
    errorCount,
    models,
  };
}
