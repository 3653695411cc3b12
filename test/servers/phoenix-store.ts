/**
 * The state of the Phoenix stand-in: projects, stored spans and annotations,
 * with Phoenix's global ids (base64 of `Type:N`) and its read-back formats.
 */

export interface StoredSpan {
  rowId: number;
  projectRowId: number;
  name: string;
  context: { trace_id: string; span_id: string };
  span_kind: string;
  parent_id: string | null;
  /** Epoch microseconds, UTC. */
  startMicros: number;
  endMicros: number;
  status_code: string;
  status_message: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; timestamp: string; attributes: Record<string, unknown> }>;
}

export interface StoredProject {
  rowId: number;
  name: string;
  description: string | null;
}

export interface StoredAnnotation {
  rowId: number;
  target: "span" | "trace";
  /** span_id or trace_id. */
  targetId: string;
  name: string;
  annotator_kind: string;
  result: { label: string | null; score: number | null; explanation: string | null };
  metadata: Record<string, unknown>;
  identifier: string;
  created_at: string;
  updated_at: string;
}

export const KNOWN_SPAN_KINDS: ReadonlySet<string> = new Set([
  "LLM",
  "CHAIN",
  "TOOL",
  "RETRIEVER",
  "EMBEDDING",
  "AGENT",
  "RERANKER",
  "GUARDRAIL",
  "EVALUATOR",
  "PROMPT",
  "UNKNOWN",
]);

export function globalId(type: string, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`).toString("base64");
}

/** The row id of a global id of `type`, or undefined when `value` is not one. */
export function parseGlobalId(value: string, type: string): number | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const match = /^([A-Za-z]+):(\d+)$/.exec(decoded);
  if (!match || match[1] !== type) return undefined;
  return Number(match[2]);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO-8601 time to epoch microseconds; `naive` when it has no zone. */
export function parseIsoMicros(text: string): { micros: number; naive: boolean } | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(millis)) return undefined;
  const micros = frac ? Number(frac.padEnd(6, "0").slice(0, 6)) : 0;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return { micros: (millis - offsetMinutes * 60_000) * 1000 + micros, naive: zone === undefined };
}

/** Python's `datetime.isoformat()` of a UTC time, as Phoenix returns it. */
export function formatPhoenixTime(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const rest = micros - millis * 1000;
  const base = new Date(millis).toISOString().slice(0, 19);
  const fraction = (millis % 1000) * 1000 + rest;
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, "0")}+00:00`;
}

export class PhoenixStore {
  readonly projects: StoredProject[] = [];
  readonly spans: StoredSpan[] = [];
  readonly annotations: StoredAnnotation[] = [];
  readonly #spanIds = new Map<string, StoredSpan>();
  /** Ids accepted (202) but not inserted yet: Phoenix already refuses them as duplicates. */
  readonly #pending = new Set<string>();
  #nextProject = 1;
  #nextSpan = 1;
  #nextAnnotation = 1;

  constructor() {
    this.createProject("default", "Default project");
  }

  createProject(name: string, description: string | null = null): StoredProject {
    const project = { rowId: this.#nextProject++, name, description };
    this.projects.push(project);
    return project;
  }

  /** A project by name or global id; `create` makes an unknown name (never an unknown id). */
  findProject(identifier: string, create = false): StoredProject | undefined {
    const rowId = parseGlobalId(identifier, "Project");
    if (rowId !== undefined) return this.projects.find((p) => p.rowId === rowId);
    const byName = this.projects.find((p) => p.name === identifier);
    if (byName || !create) return byName;
    return this.createProject(identifier);
  }

  /** True once a span id is accepted, whether or not it is readable yet. */
  hasSpan(spanId: string): boolean {
    return this.#spanIds.has(spanId) || this.#pending.has(spanId);
  }

  reserve(spanId: string): void {
    this.#pending.add(spanId);
  }

  getSpan(spanId: string): StoredSpan | undefined {
    return this.#spanIds.get(spanId);
  }

  hasTrace(traceId: string): boolean {
    return this.spans.some((s) => s.context.trace_id === traceId);
  }

  insertSpan(span: Omit<StoredSpan, "rowId">): StoredSpan | undefined {
    this.#pending.delete(span.context.span_id);
    if (this.#spanIds.has(span.context.span_id)) return undefined;
    const stored = { ...span, rowId: this.#nextSpan++ };
    this.spans.push(stored);
    this.#spanIds.set(stored.context.span_id, stored);
    return stored;
  }

  upsertAnnotation(
    annotation: Omit<StoredAnnotation, "rowId" | "created_at" | "updated_at">,
  ): StoredAnnotation {
    const now = formatPhoenixTime(Date.now() * 1000).replace(/\.\d+/, "");
    if (annotation.identifier !== "") {
      const existing = this.annotations.find(
        (a) =>
          a.target === annotation.target &&
          a.targetId === annotation.targetId &&
          a.name === annotation.name &&
          a.identifier === annotation.identifier,
      );
      if (existing) {
        Object.assign(existing, annotation, { updated_at: now });
        return existing;
      }
    }
    const stored = { ...annotation, rowId: this.#nextAnnotation++, created_at: now, updated_at: now };
    this.annotations.push(stored);
    return stored;
  }

  /** A stored span as Phoenix's GET spans returns it. */
  static toApiSpan(span: StoredSpan): Record<string, unknown> {
    return {
      id: globalId("Span", span.rowId),
      name: span.name,
      context: { ...span.context },
      span_kind: span.span_kind,
      parent_id: span.parent_id,
      start_time: formatPhoenixTime(span.startMicros),
      end_time: formatPhoenixTime(span.endMicros),
      status_code: span.status_code,
      status_message: span.status_message,
      attributes: { ...span.attributes },
      events: span.events.map((e) => ({ ...e, attributes: { ...e.attributes } })),
    };
  }
}
