import { setTimeout as sleep } from "node:timers/promises";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as OtlpHttpExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Subject } from "./subject.js";

/**
 * OpenTelemetry's own OTLP/HTTP exporters (`-proto`, which Phoenix's own
 * Node SDK registers, and `-http`, JSON), behind a `BatchSpanProcessor` with
 * its defaults (512 spans per batch, 5 s), as Phoenix's `register()` sets
 * them up. A thin wrapper counts the spans each export acknowledged.
 */
export function otlpSubject(
  kind: "otlp-proto" | "otlp-http",
  pool: readonly ReadableSpan[],
  endpoint: string,
  headers: Record<string, string> = {},
): Subject {
  const url = `${endpoint}/v1/traces`;
  const inner: SpanExporter = kind === "otlp-proto" ? new OtlpProtoExporter({ url, headers }) : new OtlpHttpExporter({ url, headers });
  let fed = 0;
  let acknowledged = 0;
  let failed = 0;
  const counting: SpanExporter = {
    export(spans, resultCallback) {
      inner.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) acknowledged += spans.length;
        else failed += spans.length;
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
  const processor = new BatchSpanProcessor(counting);
  return {
    name: kind,
    feed(index) {
      fed++;
      processor.onEnd(pool[index % pool.length]!);
    },
    acknowledged: () => acknowledged,
    async flush() {
      // BatchSpanProcessor.forceFlush exports what is buffered, but does not wait for an export already under way.
      await processor.forceFlush();
      await inner.forceFlush?.();
      while (acknowledged + failed < fed) await sleep(1);
      if (failed > 0) throw new Error(`${kind}: ${failed} spans failed to export`);
    },
    shutdown: () => processor.shutdown(),
  };
}
