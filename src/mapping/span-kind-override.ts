import type { AttributeValue } from "@opentelemetry/api";
import type { ReadableSpan } from "./readable-span.js";
import { PhoenixConfigurationError } from "../errors.js";
import { PHOENIX_SPAN_KINDS, isPhoenixSpanKind, type PhoenixSpanKind } from "./phoenix-span.js";

/** A text test: exact string, or a regular expression. */
export type TextMatch = string | RegExp;

/**
 * One rule of {@link SpanKindOverride}: every criterion given must match;
 * the first rule that matches gives the kind.
 */
export interface SpanKindRule {
  kind: PhoenixSpanKind;
  /** The span's name. */
  spanName?: TextMatch;
  /** The instrumentation scope's name (e.g. `@traceloop/instrumentation-langchain`). */
  scope?: TextMatch;
  /** An attribute: present (no `value`), equal to `value`, or matching it. */
  attribute?: { key: string; value?: string | number | boolean | RegExp };
}

/**
 * Replaces the kind the mapping derived. A function gets the span and the
 * derived kind and returns the kind to use (or undefined to keep it); rules
 * are tried in order. It is the one thing that may replace an
 * `openinference.span.kind` already on a span, since you asked for it.
 */
export type SpanKindOverride =
  | ((span: ReadableSpan, derived: PhoenixSpanKind) => PhoenixSpanKind | undefined)
  | readonly SpanKindRule[];

/** A validated override; `undefined` when there is none. */
export type CompiledOverride = (span: ReadableSpan, derived: PhoenixSpanKind) => PhoenixSpanKind | undefined;

export function compileSpanKindOverride(override: unknown): CompiledOverride | undefined {
  if (override === undefined) return undefined;
  if (typeof override === "function") {
    const fn = override as (span: ReadableSpan, derived: PhoenixSpanKind) => unknown;
    return (span, derived) => {
      const kind = fn(span, derived);
      // A wrong answer from user code is ignored rather than sent: Phoenix would store it as UNKNOWN.
      return isPhoenixSpanKind(kind) ? kind : undefined;
    };
  }
  if (!Array.isArray(override)) {
    throw new PhoenixConfigurationError("The spanKind option must be a function or an array of rules ({ kind, spanName?, scope?, attribute? }).");
  }
  const rules = override.map(checkRule);
  return (span) => {
    for (const rule of rules) if (matches(rule, span)) return rule.kind;
    return undefined;
  };
}

function checkRule(rule: unknown, index: number): SpanKindRule {
  const where = `spanKind rule ${index}`;
  if (typeof rule !== "object" || rule === null) throw new PhoenixConfigurationError(`The ${where} must be an object; got ${String(rule)}.`);
  const r = rule as Partial<SpanKindRule>;
  if (!isPhoenixSpanKind(r.kind)) {
    throw new PhoenixConfigurationError(`The ${where} has kind ${JSON.stringify(r.kind)}; use one of ${PHOENIX_SPAN_KINDS.join(", ")}.`);
  }
  for (const field of ["spanName", "scope"] as const) {
    const value = r[field];
    if (value !== undefined && typeof value !== "string" && !(value instanceof RegExp)) {
      throw new PhoenixConfigurationError(`The ${where} has a ${field} that is neither a string nor a RegExp.`);
    }
  }
  if (r.attribute !== undefined && (typeof r.attribute !== "object" || r.attribute === null || typeof r.attribute.key !== "string")) {
    throw new PhoenixConfigurationError(`The ${where} has an attribute criterion without a string key.`);
  }
  if (r.spanName === undefined && r.scope === undefined && r.attribute === undefined) {
    throw new PhoenixConfigurationError(`The ${where} has no criterion: give spanName, scope or attribute.`);
  }
  return r as SpanKindRule;
}

function textMatches(match: TextMatch, text: string): boolean {
  if (typeof match === "string") return match === text;
  match.lastIndex = 0;
  return match.test(text);
}

function matches(rule: SpanKindRule, span: ReadableSpan): boolean {
  if (rule.spanName !== undefined && !textMatches(rule.spanName, span.name)) return false;
  if (rule.scope !== undefined && !textMatches(rule.scope, span.instrumentationScope?.name ?? "")) return false;
  if (rule.attribute !== undefined) {
    const value: AttributeValue | undefined = span.attributes[rule.attribute.key];
    if (value === undefined) return false;
    const expected = rule.attribute.value;
    if (expected instanceof RegExp) return typeof value === "string" && textMatches(expected, value);
    if (expected !== undefined && value !== expected) return false;
  }
  return true;
}
