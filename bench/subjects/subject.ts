/**
 * One way of getting the workload's spans to the sink, measured by
 * bench/subject-process.ts. The driver hands spans over one at a time, as
 * an application ending spans does, and keeps at most a bounded number
 * unacknowledged, so that no subject drops spans and every subject is
 * measured on exactly the same spans.
 */
export interface Subject {
  readonly name: string;
  /** Hands the workload's span number `index` (modulo the pool) over, as `onEnd` does. */
  feed(index: number): void;
  /** Spans the sink has acknowledged so far. */
  acknowledged(): number;
  /** Resolves once everything fed so far is acknowledged. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export type SubjectName = "phoenix" | "otlp-proto" | "otlp-http" | "floor" | "phoenix-lean" | "phoenix-otlp";

/**
 * The default subjects: this package over REST (`phoenix`, `transport: "rest"`)
 * and over OTLP (`phoenix-otlp`, `transport: "otlp"`: its own OTLP/protobuf
 * writer, src/exporter/delivery/otlp-protobuf.ts) — the two routes the
 * default `transport: "auto"` chooses between — OpenTelemetry's two OTLP
 * exporters and the floor. Only when asked for: `phoenix-lean` (REST with
 * `mapping: { keepSourceAttributes: false }`).
 */
export const SUBJECT_NAMES: readonly SubjectName[] = ["phoenix", "phoenix-otlp", "otlp-proto", "otlp-http", "floor"];
export const ALL_SUBJECT_NAMES: readonly SubjectName[] = [...SUBJECT_NAMES, "phoenix-lean"];
