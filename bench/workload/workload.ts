import { readdirSync, readFileSync } from "node:fs";
import { SpanKind, TraceFlags, context, trace, type Attributes, type Context, type HrTime, type Span, type SpanStatus } from "@opentelemetry/api";
import type { ReadableSpan } from "../../src/index.js";
import { recordAgentRun, SPANS_PER_RUN } from "./agent-run.js";
import { Clock, recordAgentSmall, recordGenAiChat, recordOiChat, recordRag, type ScopedTracer } from "./mixes.js";
import { loadSdk, type SdkSpanProcessor } from "./sdk.js";
import { SeededRandom } from "./seeded-random.js";

/**
 * The workload mixes (see bench/workload/mixes.ts and BENCHMARKS.md):
 * `support-agent` is the original 7-span agent run (bench/workload/agent-run.ts),
 * `fixtures` replays every producer's captured spans (test/fixtures/mapping/).
 */
export type MixName = "support-agent" | "oi-chat" | "genai-json" | "rag" | "agent-small" | "fixtures";
export const MIX_NAMES: readonly MixName[] = ["oi-chat", "genai-json", "rag", "agent-small", "fixtures", "support-agent"];

export interface Workload {
  /** Finished spans in the order they ended (children before parents), as a span processor sees them. */
  spans: ReadableSpan[];
  seed: number;
  mix: MixName;
}

/** Simulated wall-clock start of the first run: fixed, so that the same seed gives the same timestamps. */
const START_MILLIS = Date.UTC(2026, 0, 15, 9, 0, 0);

export interface WorkloadOptions {
  /** Seed of the span and trace ids; default derived from `seed`. A real Phoenix needs new ids on every run. */
  idSeed?: number;
  /** Sets the resource attribute `openinference.project.name` (for OTLP into a real Phoenix). */
  project?: string;
}

const RESOURCE: Attributes = {
  "service.name": "support-agent",
  "service.version": "1.8.2",
  "deployment.environment.name": "production",
  "telemetry.sdk.language": "nodejs",
  "telemetry.sdk.name": "opentelemetry",
};

/**
 * At least `minSpans` finished spans of `mix`, recorded through the real
 * OpenTelemetry SDK of this Node version (bench/workload/sdk.ts) with a
 * seeded id generator, so span and trace ids are the same on every run too.
 * Whole traces only: the pool may exceed `minSpans` by one trace.
 */
export async function generateWorkload(mix: MixName, minSpans: number, seed: number, options: WorkloadOptions = {}): Promise<Workload> {
  const sdk = await loadSdk();
  const random = new SeededRandom(seed);
  const ids = new SeededRandom(options.idSeed ?? seed ^ 0x5eed);
  const spans: ReadableSpan[] = [];
  const collect: SdkSpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void spans.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const idGenerator = { generateTraceId: () => ids.hex(32), generateSpanId: () => ids.hex(16) };
  const project = options.project ? { "openinference.project.name": options.project } : {};
  const provider = (resource: Attributes) => sdk.provider({ resource: { ...resource, ...project }, processors: [collect], idGenerator });

  if (mix === "fixtures") {
    replayFixtures(provider, spans, minSpans);
    return { spans, seed, mix };
  }
  const p = provider(RESOURCE);
  const tracerFor: ScopedTracer = (scope, version) => p.getTracer(scope, version);
  const clock = new Clock(START_MILLIS);
  const record = {
    "support-agent": () => {
      recordAgentRun(tracerFor("support-agent", "1.8.2"), random, clock.now);
      clock.advance(random.int(50, 450));
    },
    "oi-chat": () => recordOiChat(tracerFor, random, clock),
    "genai-json": () => recordGenAiChat(tracerFor, random, clock),
    rag: () => recordRag(tracerFor, random, clock),
    "agent-small": () => recordAgentSmall(tracerFor, random, clock),
  }[mix];
  while (spans.length < minSpans) record();
  return { spans, seed, mix };
}

interface CapturedSpan {
  name: string;
  kind: keyof typeof SpanKind;
  scope: { name: string; version?: string };
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTime: HrTime;
  endTime: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: Array<{ name: string; time: HrTime; attributes?: Attributes }>;
  resource: Attributes;
}

const FIXTURES = new URL("../../test/fixtures/mapping/", import.meta.url);

/**
 * Every producer's captured spans (test/fixtures/mapping/*.json, the same
 * files test/mapping/producers/captured-span.ts turns back into spans), but
 * re-recorded through the real SDK rather than rebuilt as plain objects, so
 * that every path gets SDK spans: one provider per producer with its captured
 * resource, each span started (by start time, under its re-recorded parent)
 * with its name, kind, scope, attributes and start time, its events added,
 * its status set, and ended at its end time in the captured end order. Each
 * replay of the corpus gets new seeded ids and starts 60 s later.
 */
function replayFixtures(provider: (resource: Attributes) => { getTracer(name: string, version?: string): ReturnType<typeof trace.getTracer> }, out: ReadableSpan[], minSpans: number): void {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .sort();
  const corpora = files.map((f) => (JSON.parse(readFileSync(new URL(f, FIXTURES), "utf8")) as { spans: CapturedSpan[] }).spans);
  const providers = corpora.map((captured) => provider(captured[0]?.resource ?? {}));
  for (let replay = 0; out.length < minSpans; replay++) {
    corpora.forEach((captured, i) => {
      const shift = (t: HrTime): HrTime => [t[0] + replay * 60, t[1]];
      const started = new Map<string, Span>();
      const byStart = [...captured].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
      for (const c of byStart) {
        let parent: Context = context.active();
        if (c.parentSpanId) {
          const p = started.get(c.parentSpanId);
          parent = p
            ? trace.setSpan(parent, p)
            : trace.setSpanContext(parent, { traceId: c.traceId, spanId: c.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
        }
        const span = providers[i]!.getTracer(c.scope.name, c.scope.version).startSpan(
          c.name,
          { kind: SpanKind[c.kind], attributes: c.attributes, startTime: shift(c.startTime) },
          parent,
        );
        for (const e of c.events) span.addEvent(e.name, e.attributes ?? {}, shift(e.time));
        span.setStatus(c.status);
        started.set(c.spanId, span);
      }
      for (const c of captured) started.get(c.spanId)!.end(shift(c.endTime));
    });
  }
}

export { SPANS_PER_RUN };
