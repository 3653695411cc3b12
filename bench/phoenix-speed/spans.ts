/**
 * The spans every path of bench/phoenix-speed.ts is given: ~1.5 KB
 * OpenInference LLM spans, the same names, attributes and ids for every path
 * (a counter-based id generator; the text comes from a seeded PRNG).
 */
import type { Tracer } from "@opentelemetry/api";

/** Mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the a of to and in is that for it with as on was by this be are from at or an have not which but " +
  "model token prompt answer context retrieval document policy refund customer order invoice shipping " +
  "account password reset billing plan upgrade support ticket latency error request response summary"
).split(" ");

function prose(random: () => number, chars: number): string {
  let out = "";
  while (out.length < chars) out += WORDS[Math.floor(random() * WORDS.length)] + (random() < 0.08 ? ". " : " ");
  return out.slice(0, chars);
}

export interface LlmSpanText {
  input: string;
  output: string;
  system: string;
}

/** A pool of distinct texts; span i uses pool[i % pool.length]. */
export function textPool(seed: number, size = 64): LlmSpanText[] {
  const random = prng(seed);
  return Array.from({ length: size }, () => ({
    system: prose(random, 120),
    input: prose(random, 420),
    output: prose(random, 320),
  }));
}

/** Ids from a counter: the same spans, id for id, in every path. */
export class CountingIdGenerator {
  #trace = 0;
  #span = 0;
  constructor(readonly salt: number) {}
  generateTraceId(): string {
    return (this.salt.toString(16).padStart(8, "0") + (++this.#trace).toString(16).padStart(24, "0")).slice(0, 32);
  }
  generateSpanId(): string {
    return (++this.#span).toString(16).padStart(16, "0");
  }
}

/** Starts and ends span `index`; returns the µs spent in span.end() (which calls the processor's onEnd). */
export function endLlmSpan(tracer: Tracer, pool: readonly LlmSpanText[], index: number): number {
  const text = pool[index % pool.length]!;
  const span = tracer.startSpan("ChatCompletion", {
    attributes: {
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "llm.provider": "openai",
      "llm.invocation_parameters": '{"temperature":0.2,"max_tokens":512}',
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.0.message.content": text.system,
      "llm.input_messages.1.message.role": "user",
      "llm.input_messages.1.message.content": `#${index} ${text.input.slice(0, 120)}`,
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.content": text.output.slice(0, 120),
      "input.value": `#${index} ${text.input}`,
      "input.mime_type": "text/plain",
      "output.value": text.output,
      "output.mime_type": "text/plain",
      "llm.token_count.prompt": 180 + (index % 97),
      "llm.token_count.completion": 90 + (index % 53),
      "llm.token_count.total": 270 + (index % 97) + (index % 53),
    },
  });
  const started = performance.now();
  span.end();
  return (performance.now() - started) * 1000;
}
