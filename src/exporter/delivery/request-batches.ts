import { REQUEST_ENVELOPE_BYTES } from "../../privacy/limits.js";
import { SpanTooLargeError } from "../../privacy/span-size.js";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import type { ReadableSpan } from "../../mapping/readable-span.js";
import { spanText, totalBytes, type EncodedSpan, type SpanText } from "./encoded-span.js";
import { layOutRequests } from "./rest-body.js";

/** Spans handed over in one call: SDK spans to map, or Phoenix spans already (an import) for one project. */
export type HandedOver =
  | { spans: readonly ReadableSpan[]; project?: undefined }
  | { spans: readonly PhoenixSpan[]; project: string };

export interface EncodeSteps {
  map: (span: ReadableSpan) => PhoenixSpan;
  projectOf: (span: ReadableSpan) => string;
  /** Masking and limits, for every span whatever its entry point. */
  prepare?: ((span: PhoenixSpan) => PhoenixSpan) | undefined;
  maxSpansPerRequest: number;
  maxRequestBytes: number;
}

/** One request's worth of encoded spans of one project. */
export interface RequestBatch {
  project: string;
  spans: EncodedSpan[];
  bytes: number;
}

/** A span that cannot be sent at all, and why. */
export interface UnsendableSpan {
  reason: "too-large" | "unmappable";
  message: string;
}

/**
 * Maps, prepares and encodes what was handed over, groups it by project and
 * cuts it into requests of at most `maxSpansPerRequest` spans and
 * `maxRequestBytes` bytes. Pure apart from the user callbacks it runs (which
 * may throw: such a span is unsendable, the rest goes on).
 */
export function encodeRequests(handed: HandedOver, steps: EncodeSteps): { batches: RequestBatch[]; unsendable: UnsendableSpan[] } {
  // Grouped by project as they come, in order.
  const byProject = new Map<string, SpanText[]>();
  const unsendable: UnsendableSpan[] = [];
  for (const span of handed.spans) {
    let text: SpanText;
    let project: string;
    try {
      let mapped: PhoenixSpan;
      if (handed.project === undefined) {
        mapped = steps.map(span as ReadableSpan);
        project = steps.projectOf(span as ReadableSpan);
      } else {
        mapped = span as PhoenixSpan;
        project = handed.project;
      }
      text = spanText(steps.prepare ? steps.prepare(mapped) : mapped);
    } catch (error) {
      const tooLarge = error instanceof SpanTooLargeError;
      unsendable.push({
        reason: tooLarge ? "too-large" : "unmappable",
        message: `could not ${tooLarge ? "fit" : "map"} span "${safeName(span)}"; dropped: ${(error as Error).message}`,
      });
      continue;
    }
    if (text.bytes + REQUEST_ENVELOPE_BYTES > steps.maxRequestBytes) {
      // Never blocks the queue: a span no request can carry is reported and dropped.
      unsendable.push({
        reason: "too-large",
        message:
          `span ${text.spanId} (trace ${text.traceId}) is ${text.bytes} bytes, more than maxRequestBytes ` +
          `(${steps.maxRequestBytes}) lets one request carry; dropped.`,
      });
      continue;
    }
    let list = byProject.get(project);
    if (!list) byProject.set(project, (list = []));
    list.push(text);
  }
  const requests: SpanText[][] = [];
  const projects: string[] = [];
  for (const [project, list] of byProject) {
    for (const part of cutRequests(list, steps.maxSpansPerRequest, steps.maxRequestBytes)) {
      requests.push(part);
      projects.push(project);
    }
  }
  // Laid out as REST bodies whatever the route: the OTLP and store sinks read each span's view and never the bytes around it.
  const batches: RequestBatch[] = layOutRequests(requests).map((spans, i) => ({ project: projects[i]!, spans, bytes: totalBytes(spans) }));
  return { batches, unsendable };
}

/** Consecutive requests of at most `maxSpans` spans and `maxBytes` bytes of body each (every span fits alone: checked before). */
export function cutRequests<T extends { readonly bytes: number }>(spans: readonly T[], maxSpans: number, maxBytes: number): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let bytes = REQUEST_ENVELOPE_BYTES;
  for (const span of spans) {
    // One comma between spans.
    if (part.length > 0 && (part.length >= maxSpans || bytes + 1 + span.bytes > maxBytes)) {
      parts.push(part);
      part = [];
      bytes = REQUEST_ENVELOPE_BYTES;
    }
    bytes += (part.length > 0 ? 1 : 0) + span.bytes;
    part.push(span);
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

function safeName(span: { name: unknown }): string {
  try {
    return String(span.name).slice(0, 100);
  } catch {
    return "?";
  }
}
