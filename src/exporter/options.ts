import type { PhoenixConnectionOptions } from "../config/phoenix-config.js";
import type { MapSpanOptions } from "../mapping/map-span.js";

/** Options of {@link PhoenixSpanExporter}. Every one is optional; see the README's table for variables and defaults. */
export interface PhoenixSpanExporterOptions extends PhoenixConnectionOptions {
  /**
   * Project of every span. Else the resource attribute `openinference.project.name`,
   * else `PHOENIX_PROJECT` / `PHOENIX_PROJECT_NAME`, else `default`.
   */
  projectName?: string;
  /** Timeout of one request to Phoenix. Default 10 000 ms. */
  timeoutMillis?: number;
  /** Spans per request. Default 50. */
  maxSpansPerRequest?: number;
  /** Requests in flight at once. Default 4: Phoenix answers a 50-span request in about 200 ms. */
  concurrency?: number;
  /** How spans become Phoenix spans. */
  mapping?: MapSpanOptions;
}

export const EXPORTER_DEFAULTS = {
  timeoutMillis: 10_000,
  maxSpansPerRequest: 50,
  concurrency: 4,
} as const;
