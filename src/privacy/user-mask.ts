import { diag } from "@opentelemetry/api";
import { createAttributes } from "../mapping/attributes.js";
import type { PhoenixAttributeValue, PhoenixAttributes, PhoenixSpan } from "../mapping/phoenix-span.js";
import type { PhoenixPrivacyOptions } from "./privacy-options.js";

/** What replaces the content of a span (or a value) that the user's mask failed on. */
export const MASK_FAILED_VALUE = "__MASK_FAILED__";

type SpanMask = NonNullable<PhoenixPrivacyOptions["mask"]>;
type AttributeMask = NonNullable<PhoenixPrivacyOptions["maskAttribute"]>;

/**
 * Runs the user's `mask` / `maskAttribute` and fails closed: a throw, a
 * promise, or anything that is not a span (or a storable value) replaces the
 * content by {@link MASK_FAILED_VALUE}; the raw content is never sent. Each
 * kind of failure is logged once per exporter, with the error's type only:
 * its message may quote the very content being masked.
 */
export class UserMask {
  readonly #mask: SpanMask | undefined;
  readonly #maskAttribute: AttributeMask | undefined;
  readonly #logged = new Set<string>();

  constructor(mask: SpanMask | undefined, maskAttribute: AttributeMask | undefined) {
    this.#mask = mask;
    this.#maskAttribute = maskAttribute;
  }

  apply(span: PhoenixSpan): PhoenixSpan {
    let out = span;
    if (this.#mask) out = this.#applySpanMask(this.#mask, out);
    if (this.#maskAttribute) out = this.#applyAttributeMask(this.#maskAttribute, out);
    return out;
  }

  #applySpanMask(mask: SpanMask, span: PhoenixSpan): PhoenixSpan {
    // The user's function gets a copy: the span may be a caller's (an import), and a throw half-way must not leave it half-masked.
    const copy = copySpan(span);
    let result: unknown;
    try {
      result = mask(copy);
    } catch (error) {
      this.#failed("mask", `threw ${errorType(error)}`);
      return failClosed(span);
    }
    if (result === undefined) result = copy;
    if (!isSpanLike(result)) {
      this.#failed("mask", isPromise(result) ? "returned a promise (it must be synchronous)" : `returned ${describe(result)} instead of a span`);
      return failClosed(span);
    }
    return Array.isArray(result.events) ? result : { ...result, events: [] };
  }

  #applyAttributeMask(mask: AttributeMask, span: PhoenixSpan): PhoenixSpan {
    const attributes = this.#maskMap(mask, span.attributes, span);
    const events = (Array.isArray(span.events) ? span.events : []).map((event) =>
      typeof event === "object" && event !== null ? { ...event, attributes: this.#maskMap(mask, event.attributes, span) } : event,
    );
    return { ...span, attributes, events };
  }

  #maskMap(mask: AttributeMask, attributes: PhoenixAttributes, span: PhoenixSpan): PhoenixAttributes {
    const out = createAttributes();
    if (typeof attributes !== "object" || attributes === null) return out;
    for (const key in attributes) {
      let value: unknown;
      try {
        value = mask(key, attributes[key]!, span);
      } catch (error) {
        this.#failed("maskAttribute", `threw ${errorType(error)}`);
        out[key] = MASK_FAILED_VALUE;
        continue;
      }
      if (value === undefined) continue;
      if (!isStorable(value)) {
        this.#failed("maskAttribute", isPromise(value) ? "returned a promise (it must be synchronous)" : `returned ${describe(value)}`);
        out[key] = MASK_FAILED_VALUE;
        continue;
      }
      out[key] = value;
    }
    return out;
  }

  #failed(hook: string, what: string): void {
    const message = `${hook} ${what}`;
    if (this.#logged.has(message)) return;
    this.#logged.add(message);
    diag.error(
      `phoenix-connector: privacy.${message}; the content it was given is sent as "${MASK_FAILED_VALUE}" instead (fail closed). ` +
        "Fix the function; this is logged once.",
    );
  }
}

/** A copy deep enough that changing its attributes or events changes nothing of the original. */
function copySpan(span: PhoenixSpan): PhoenixSpan {
  const copyMap = (attributes: PhoenixAttributes | undefined): PhoenixAttributes => {
    const copy = createAttributes();
    if (typeof attributes === "object" && attributes !== null) for (const key in attributes) copy[key] = attributes[key]!;
    return copy;
  };
  return {
    ...span,
    context: { ...span.context },
    attributes: copyMap(span.attributes),
    events: (Array.isArray(span.events) ? span.events : []).map((event) =>
      typeof event === "object" && event !== null ? { ...event, attributes: copyMap(event.attributes) } : event,
    ),
  };
}

/** The span with every attribute value (its events' too) and its status message replaced by the marker; ids, kind, times and name kept. */
export function failClosed(span: PhoenixSpan): PhoenixSpan {
  const blank = (attributes: PhoenixAttributes): PhoenixAttributes => {
    const out = createAttributes();
    if (typeof attributes === "object" && attributes !== null) for (const key in attributes) out[key] = MASK_FAILED_VALUE;
    return out;
  };
  return {
    ...span,
    status_message: span.status_message ? MASK_FAILED_VALUE : "",
    attributes: blank(span.attributes),
    events: (Array.isArray(span.events) ? span.events : []).map((event) => ({ ...event, attributes: blank(event?.attributes) })),
  };
}

function isSpanLike(value: unknown): value is PhoenixSpan {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const span = value as Partial<PhoenixSpan>;
  return (
    typeof span.context === "object" &&
    span.context !== null &&
    typeof span.attributes === "object" &&
    span.attributes !== null &&
    !Array.isArray(span.attributes) &&
    (span.events === undefined || Array.isArray(span.events)) &&
    typeof span.start_time === "string" &&
    typeof span.end_time === "string"
  );
}

function isStorable(value: unknown): value is PhoenixAttributeValue {
  const type = typeof value;
  if (type === "string" || type === "boolean" || type === "number") return true;
  if (!Array.isArray(value)) return false;
  return value.every((item) => {
    const t = typeof item;
    return t === "string" || t === "number" || t === "boolean";
  });
}

function isPromise(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a value of type ${typeof value}`;
}

function errorType(error: unknown): string {
  try {
    return error instanceof Error ? error.name : `a ${typeof error}`;
  } catch {
    return "an error";
  }
}
