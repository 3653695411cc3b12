import { setTimeout as sleep } from "node:timers/promises";
import type { ReadableSpan } from "../../src/index.js";
import type { Sdk, SdkSpanExporter } from "../workload/sdk.js";
import type { Subject } from "./subject.js";

/**
 * OpenTelemetry's own OTLP/HTTP exporters (`-proto`, which Phoenix's own
 * Node SDK registers, and `-http`, JSON), behind a `BatchSpanProcessor` with
 * its defaults (512 spans per batch, 5 s), as Phoenix's `register()` sets
 * them up; both from the SDK generation of this Node version
 * (bench/workload/sdk.ts: OTel 3 / 0.301 on Node >= 22.15, OTel 2 / 0.223
 * on Node 20). A thin wrapper counts the spans each export acknowledged.
 */
export function otlpSubject(
  sdk: Sdk,
  kind: "otlp-proto" | "otlp-http",
  pool: readonly ReadableSpan[],
  endpoint: string,
  headers: Record<string, string> = {},
): Subject {
  const url = `${endpoint}/v1/traces`;
  const inner = sdk.otlpExporter(kind === "otlp-proto" ? "proto" : "json", { url, headers });
  let fed = 0;
  let acknowledged = 0;
  let failed = 0;
  const counting: SdkSpanExporter = {
    export(spans, resultCallback) {
      inner.export(spans, (result) => {
        // ExportResultCode.SUCCESS is 0 in both generations.
        if (result.code === 0) acknowledged += spans.length;
        else failed += spans.length;
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
  const processor = sdk.batchSpanProcessor(counting);
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
