import { PhoenixSpanExporter, PhoenixSpanProcessor, type ReadableSpan } from "../../src/index.js";
import type { Subject } from "./subject.js";

/**
 * This package, as the README tells users to register it: a
 * `PhoenixSpanProcessor` with its defaults (50 spans per batch, mapping and
 * serialising off the call path, up to 4 requests in flight), and the
 * transport named, never the default: `phoenix` and `phoenix-lean` send over
 * REST (`transport: "rest"`), `phoenix-otlp` over OTLP/protobuf
 * (`transport: "otlp"`). The default `"auto"` is whichever of the two it tries
 * first (REST first until the change to OTLP-first lands), so a change of
 * the default does not silently change what a path measures.
 */
export function phoenixSubject(
  pool: readonly ReadableSpan[],
  endpoint: string,
  projectName = "bench",
  variant: "default" | "lean" | "otlp" = "default",
): Subject & { processor: PhoenixSpanProcessor; exporter: PhoenixSpanExporter } {
  // lean: the source attributes the mapping translated are not sent beside the OpenInference ones.
  // otlp: the package's own OTLP/protobuf route (POST /v1/traces) instead of REST.
  const exporter = new PhoenixSpanExporter({
    endpoint,
    projectName,
    transport: variant === "otlp" ? "otlp" : "rest",
    ...(variant === "lean" ? { mapping: { keepSourceAttributes: false } } : {}),
  });
  const processor = new PhoenixSpanProcessor({ exporter });
  const delivered = () => {
    const stats = exporter.stats();
    return stats.exported + stats.duplicate;
  };
  return {
    name: variant === "default" ? "phoenix" : `phoenix-${variant}`,
    processor,
    exporter,
    feed: (index) => processor.onEnd(pool[index % pool.length]!),
    acknowledged: delivered,
    flush: () => processor.forceFlush({ timeoutMillis: 600_000 }),
    shutdown: () => processor.shutdown(),
  };
}
