import { createAttributes } from "../mapping/attributes.js";
import type { PhoenixAttributeValue, PhoenixAttributes, PhoenixSpan, PhoenixSpanEvent } from "../mapping/phoenix-span.js";
import { MaskAction, REDACTED_VALUE, isMessageText, openInferenceAction } from "./openinference-rules.js";
import { REDACTED_CONTENT, eventContent, hiddenContent, sourceContent } from "./source-content.js";
import type { TraceConfig } from "./trace-config.js";

/**
 * Applies the OpenInference settings to a mapped span: to OpenInference's
 * own attributes with OpenInference's rules, to the source attributes that
 * carry the same content (see source-content.ts), and to the attributes of
 * the span's events. Then a sweep: any other string value that equals or
 * contains a text that was hidden is hidden too, which catches copies under
 * keys no table knows (an application's own `prompt` attribute, a database
 * query, an `input.value` holding the whole request with its messages).
 *
 * Copy on write: the span passed in is never changed (it may be a caller's,
 * as for an import), and a span nothing applies to is returned as it is.
 */
export class AttributeMasker {
  readonly #config: TraceConfig;
  readonly #hidden: number;

  constructor(config: TraceConfig) {
    this.#config = config;
    this.#hidden = hiddenContent(config);
  }

  apply(span: PhoenixSpan): PhoenixSpan {
    const hiddenValues = new Set<string>();
    const kind = String(span.span_kind);
    const attributes = this.#maskMap(span.attributes, hiddenValues, (key) => sourceContent(key, kind));
    let events = span.events;
    if (Array.isArray(events) && events.length > 0) {
      let copied: PhoenixSpanEvent[] | undefined;
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        if (!isObject(event)) continue;
        const name = String(event.name);
        const masked = this.#maskMap(event.attributes, hiddenValues, (key) => eventContent(name, key, kind));
        if (masked !== event.attributes) {
          copied ??= events.slice();
          copied[i] = { ...event, attributes: masked };
        }
      }
      if (copied) events = copied;
    }
    let out = attributes === span.attributes && events === span.events ? span : { ...span, attributes, events };
    if (hiddenValues.size > 0) out = sweep(out, hiddenValues);
    return out;
  }

  /** One attribute map; the same object when nothing in it is hidden. */
  #maskMap(
    attributes: PhoenixAttributes | undefined,
    hiddenValues: Set<string>,
    contentOf: (key: string) => number,
  ): PhoenixAttributes {
    if (!isObject(attributes)) return attributes as PhoenixAttributes;
    let out: PhoenixAttributes | undefined;
    for (const key in attributes) {
      const action = this.#action(key, contentOf);
      if (action === MaskAction.Keep) continue;
      const value = attributes[key]!;
      if (action === MaskAction.Redact || isMessageText(key)) collectText(value, hiddenValues);
      out ??= cloneAttributes(attributes);
      if (action === MaskAction.Redact) out[key] = REDACTED_VALUE;
      else delete out[key];
    }
    return out ?? attributes;
  }

  #action(key: string, contentOf: (key: string) => number): MaskAction {
    const openInference = openInferenceAction(key, this.#config);
    if (openInference !== MaskAction.Keep) return openInference;
    const content = contentOf(key) & this.#hidden;
    if (content === 0) return MaskAction.Keep;
    return content & REDACTED_CONTENT ? MaskAction.Redact : MaskAction.Remove;
  }
}

/** A copy of an attribute map, prototype-free so that a `__proto__` key stays a plain key. */
export function cloneAttributes(attributes: PhoenixAttributes): PhoenixAttributes {
  const out = createAttributes();
  for (const k in attributes) out[k] = attributes[k]!;
  return out;
}

function collectText(value: PhoenixAttributeValue, into: Set<string>): void {
  if (typeof value === "string") {
    if (value !== "" && value !== REDACTED_VALUE) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === "string" && item !== "") into.add(item);
  }
}

/**
 * Hides every remaining string that equals, or contains, a text that was
 * hidden (as itself or JSON-escaped, as inside a JSON value such as an
 * `input.value` holding the whole request): a copy elsewhere must not give
 * the hidden text away. Texts under {@link MIN_CONTAINED} characters are
 * matched whole only. The search is bounded: past {@link SEARCH_BUDGET}
 * characters searched in one span, the strings not yet searched are hidden
 * unsearched (fail closed).
 */
function sweep(span: PhoenixSpan, hidden: ReadonlySet<string>): PhoenixSpan {
  const needles: string[] = [];
  for (const text of hidden) {
    if (text.length < MIN_CONTAINED) continue;
    needles.push(text);
    const escaped = JSON.stringify(text).slice(1, -1);
    if (escaped !== text) needles.push(escaped);
  }
  const search = { needles, budget: SEARCH_BUDGET };
  const attributes = sweepMap(span.attributes, hidden, search);
  let events = span.events;
  if (Array.isArray(events)) {
    let copied: PhoenixSpanEvent[] | undefined;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (!isObject(event)) continue;
      const swept = sweepMap(event.attributes, hidden, search);
      if (swept !== event.attributes) {
        copied ??= events.slice();
        copied[i] = { ...event, attributes: swept };
      }
    }
    if (copied) events = copied;
  }
  return attributes === span.attributes && events === span.events ? span : { ...span, attributes, events };
}

const MIN_CONTAINED = 8;
const SEARCH_BUDGET = 64 * 1024 * 1024;

interface Search {
  readonly needles: readonly string[];
  budget: number;
}

function givesAway(text: string, hidden: ReadonlySet<string>, search: Search): boolean {
  if (text === REDACTED_VALUE || text === "") return false;
  if (hidden.has(text)) return true;
  if (text.length < MIN_CONTAINED || search.needles.length === 0) return false;
  search.budget -= text.length * search.needles.length;
  if (search.budget < 0) return true;
  for (const needle of search.needles) if (needle.length <= text.length && text.includes(needle)) return true;
  return false;
}

function sweepMap(attributes: PhoenixAttributes, hidden: ReadonlySet<string>, search: Search): PhoenixAttributes {
  if (!isObject(attributes)) return attributes;
  let out: PhoenixAttributes | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    let replacement: PhoenixAttributeValue | undefined;
    if (typeof value === "string") {
      if (givesAway(value, hidden, search)) replacement = REDACTED_VALUE;
    } else if (Array.isArray(value) && value.length > 0 && typeof value[0] === "string") {
      const items = value as readonly string[];
      const swept = items.map((item) => (typeof item === "string" && givesAway(item, hidden, search) ? REDACTED_VALUE : item));
      if (swept.some((item, i) => item !== items[i])) replacement = swept;
    }
    if (replacement === undefined) continue;
    out ??= cloneAttributes(attributes);
    out[key] = replacement;
  }
  return out ?? attributes;
}

function isObject(value: unknown): value is Record<string, unknown> & PhoenixAttributes & PhoenixSpanEvent {
  return typeof value === "object" && value !== null;
}
