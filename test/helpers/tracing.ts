import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/**
 * A real OpenTelemetry tracer provider (not a global one) whose spans go to
 * the given processors; `project` sets the resource's openinference.project.name.
 */
export function tracerProvider(processors: SpanProcessor[], project?: string): BasicTracerProvider {
  return new BasicTracerProvider({
    spanProcessors: processors,
    ...(project ? { resource: resourceFromAttributes({ "openinference.project.name": project }) } : {}),
  });
}

/** Real ReadableSpans produced by the SDK, for feeding an exporter directly. */
export function recordSpans(run: (provider: BasicTracerProvider) => void, project?: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = tracerProvider([new SimpleSpanProcessor(memory)], project);
  run(provider);
  return memory.getFinishedSpans();
}
