import type { TracerProvider } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { memoryProvider } from "./captured-span.js";

/** Runs `run` against a fresh in-memory provider and returns the spans it finished, in the order they ended. */
export async function record(run: (provider: TracerProvider) => Promise<void>): Promise<ReadableSpan[]> {
  const { provider, memory } = memoryProvider();
  await run(provider);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** True when this Node is at least `minimum` (`"22.15.0"`). */
export function nodeAtLeast(minimum: string): boolean {
  const have = process.versions.node.split(".").map(Number);
  const want = minimum.split(".").map(Number);
  for (let i = 0; i < want.length; i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
