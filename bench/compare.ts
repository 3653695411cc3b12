/**
 * How long compareTraceData takes once the traces are read (`npm run bench:compare`).
 *
 * TRACES (default 3) synthetic traces of SPANS (default 10,000) spans each —
 * an agent loop of steps with retrieval, LLM calls (tokens, cost) and tools,
 * some steps only in some traces, plus annotations — compared RUNS (default 5)
 * times; reported: the best and median time, and per 10,000 spans.
 */
import { compareTraceData, type PhoenixSpan, type TraceData } from "../src/index.js";

const TRACES = Number(process.env.TRACES ?? 3);
const SPANS = Number(process.env.SPANS ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 5);

const BASE = Date.parse("2026-01-01T12:00:00Z");
const iso = (micros: number) => `${new Date(BASE + Math.floor(micros / 1000)).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, "0")}Z`;

function syntheticTrace(index: number): TraceData {
  const traceId = (index + 1).toString(16).padStart(32, "a");
  const spans: PhoenixSpan[] = [];
  let next = 1;
  const add = (name: string, kind: PhoenixSpan["span_kind"], parent: string | null, start: number, end: number, attributes: PhoenixSpan["attributes"] = {}) => {
    const spanId = (next++).toString(16).padStart(16, "0");
    spans.push({ name, context: { trace_id: traceId, span_id: spanId }, span_kind: kind, parent_id: parent, start_time: iso(start), end_time: iso(end), status_code: "OK", status_message: "", attributes, events: [] });
    return spanId;
  };
  const root = add("agent run", "CHAIN", null, 0, SPANS * 1000);
  let t = 0;
  for (let step = 0; spans.length < SPANS; step++) {
    const agent = add("agent step", "AGENT", root, t, t + 900);
    add("retrieve", "RETRIEVER", agent, t + 10, t + 100);
    add("chat", "LLM", agent, t + 100, t + 600, { "llm.model_name": "gpt-4o", "llm.token_count.prompt": 100 + step, "llm.token_count.completion": 20, "llm.cost.total": 0.001 });
    // Every third step of every other trace calls a tool: steps present in only some traces.
    if ((step + index) % 3 === 0) add("calculator", "TOOL", agent, t + 600, t + 700);
    if (step % 2 === 0) add("rerank", "RERANKER", agent, t + 700, t + 800);
    t += 1000;
  }
  return {
    traceId,
    project: "bench",
    spans,
    traceAnnotations: [{ id: "1", created_at: "", updated_at: "", source: "API", user_id: null, name: "accuracy", annotator_kind: "CODE", result: { score: 0.5 + index / 10 }, metadata: {}, identifier: "", trace_id: traceId }],
    spanAnnotations: spans
      .filter((s) => s.span_kind === "LLM")
      .map((s, i) => ({ id: String(i), created_at: "", updated_at: "", source: "API" as const, user_id: null, name: "hallucination", annotator_kind: "CODE" as const, result: { score: i % 7 === 0 ? 1 : 0 }, metadata: {}, identifier: "", span_id: s.context.span_id })),
  };
}

const traces = Array.from({ length: TRACES }, (_, i) => syntheticTrace(i));
const totalSpans = traces.reduce((n, t) => n + t.spans.length, 0);
const times: number[] = [];
let steps = 0;
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  steps = compareTraceData(traces).spans.length;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
process.stdout.write(
  `compareTraceData: ${TRACES} traces × ${SPANS} spans (${totalSpans} spans, ${steps} aligned steps)\n` +
    `  best ${times[0]!.toFixed(1)} ms, median ${median.toFixed(1)} ms over ${RUNS} runs; ` +
    `${((median / totalSpans) * 10_000).toFixed(1)} ms per 10,000 spans\n`,
);
