import type { PhoenixSpanAnnotation, PhoenixTraceAnnotation } from "../../store/backend.js";
import type { PhoenixSpan, PhoenixSpanKind, PhoenixStatusCode } from "../../mapping/phoenix-span.js";

/** One trace as read back: its spans and the annotations of the trace and of its spans. */
export interface TraceData {
  traceId: string;
  /** The project it was read from (name or global id, as asked). */
  project: string;
  /** As read back: newest first (Phoenix's order), which breaks ties between siblings that started in the same millisecond. */
  spans: readonly PhoenixSpan[];
  traceAnnotations: readonly PhoenixTraceAnnotation[];
  spanAnnotations: readonly PhoenixSpanAnnotation[];
}

/** Token counts (`llm.token_count.*`), summed over spans as Phoenix totals them. */
export interface TokenCounts {
  prompt: number;
  completion: number;
  /** `llm.token_count.total`, or prompt + completion for a span that gives no total. */
  total: number;
}

/** Cost in USD (`llm.cost.*`); a part no span reports is null. */
export interface CostTotals {
  prompt: number | null;
  completion: number | null;
  total: number | null;
}

export interface TraceSummary {
  traceId: string;
  project: string;
  /** Name of the root span (the span without a parent); null while Phoenix has not stored it (yet). */
  rootName: string | null;
  rootSpanId: string | null;
  /** The root span's status. */
  status: PhoenixStatusCode | null;
  /** Start of the root span (else of the earliest span), as Phoenix gave it. */
  startTime: string | null;
  /** Root span duration (else first start to last end), in milliseconds. */
  latencyMs: number | null;
  spanCount: number;
  /** Spans per Phoenix span kind. */
  spanKinds: Partial<Record<PhoenixSpanKind, number>>;
  tokens: TokenCounts;
  /** Null when no span carries an `llm.cost.*` attribute. */
  cost: CostTotals | null;
  /** Spans with status ERROR. */
  errorCount: number;
  /** `llm.model_name` and `embedding.model_name` values, in order of first appearance. */
  models: string[];
}

/** One trace's span at an aligned step. */
export interface StepMeasure {
  spanId: string;
  kind: PhoenixSpanKind;
  status: PhoenixStatusCode;
  latencyMs: number | null;
  /** Null when the span carries no token count. */
  tokens: TokenCounts | null;
  /** `llm.cost.total` of the span, when present. */
  cost: number | null;
}

/**
 * A step of the traces, aligned by its path of span names from the root:
 * "retrieve under agent under job" in one trace lines up with the same step
 * in the others. The root spans line up whatever their names. Same-named
 * siblings are numbered by start time: the first is `retrieve`, the next
 * `retrieve[2]`.
 */
export interface AlignedStep {
  /** Path segments from the root, e.g. `["job", "agent", "retrieve[2]"]` (a root named as in the first trace that has the step). */
  path: string[];
  /** The span name of the step (the last segment without its `[n]`). */
  name: string;
  /** 0 for a root. */
  depth: number;
  /** One entry per compared trace (same order as `traces`); null where the trace has no such step. */
  traces: Array<StepMeasure | null>;
  /** How many of the traces have the step. */
  presentIn: number;
}

/** What one trace has under one annotation name. */
export interface EvaluationCell {
  /**
   * Trace annotation: the last value (highest `metadata.step`, else the most
   * recently updated). Span annotation: the mean over the trace's spans.
   */
  score: number | null;
  /** Trace annotation: the last label. Span annotation: the most frequent label. */
  label: string | null;
  /** Annotations of that name on the trace (or its spans). */
  count: number;
  /** Mean of their scores. */
  mean: number | null;
  /** How often each label occurs. */
  labels: Record<string, number>;
}

export interface EvaluationRow {
  name: string;
  /** A trace annotation (metrics, evaluations) or a span annotation (e.g. hallucination). */
  target: "trace" | "span";
  /** One entry per compared trace; null where the trace has no annotation of that name. */
  traces: Array<EvaluationCell | null>;
}

/** Whether a smaller or a larger value is better; `none` is never ranked (e.g. the span count). */
export type MetricDirection = "lower" | "higher" | "none";

export interface MetricSummary {
  /** `latency_ms`, `tokens.total`, … or an annotation name. */
  metric: string;
  /** Where the metric comes from: the traces themselves, or a trace / span annotation. */
  source: "trace" | "trace_annotation" | "span_annotation";
  direction: MetricDirection;
  /** One value per compared trace; null where the trace has none. */
  values: Array<number | null>;
  /** Trace id of the best value (the first one on a tie); null when unranked or no value. */
  best: string | null;
  /** Each value minus the baseline's (the first trace's); null where either is missing. */
  deltas: Array<number | null>;
  /** Each delta relative to the baseline's value (0.25 = 25 % more); null where the baseline is missing or 0. */
  relativeDeltas: Array<number | null>;
}

export interface TraceComparison {
  /** The traces found, in the order asked; the first is the baseline. */
  traces: TraceSummary[];
  /** Trace ids asked for but not found. */
  missing: string[];
  /** Every step of any trace, in tree order. */
  spans: AlignedStep[];
  /** Every annotation name of any trace. */
  evaluations: EvaluationRow[];
  /** Per metric: the values, the best trace and each trace's delta against the baseline. */
  summary: MetricSummary[];
  /** What may make the comparison incomplete (a trace with no root span yet, …). */
  warnings: string[];
}
