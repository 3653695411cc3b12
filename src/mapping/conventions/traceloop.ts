import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { Attributes } from "@opentelemetry/api";
import { asText, parseJsonText } from "../json-text.js";
import { liftMetadata, setIfAbsent, setInput, setOutput, writeTools } from "../openinference-writer.js";
import type { PhoenixAttributes, PhoenixSpanKind } from "../phoenix-span.js";
import { Found, type SpanFacts } from "./convention.js";

/**
 * OpenLLMetry (Traceloop): `traceloop.span.kind` from its SDK's decorators
 * and its LangChain instrumentation, `traceloop.entity.*`, association
 * properties, and the `llm.*` keys of its releases before 0.25
 * (`llm.request.type`, `llm.request.functions.N.*`).
 */
const SPAN_KINDS: ReadonlyMap<string, PhoenixSpanKind> = new Map<string, PhoenixSpanKind>([
  ["workflow", "CHAIN"],
  ["task", "CHAIN"],
  ["agent", "AGENT"],
  ["tool", "TOOL"],
]);

const REQUEST_TYPES: ReadonlyMap<string, PhoenixSpanKind> = new Map<string, PhoenixSpanKind>([
  ["chat", "LLM"],
  ["completion", "LLM"],
  ["embedding", "EMBEDDING"],
  ["rerank", "RERANKER"],
]);

export function traceloopKind(span: SpanFacts): PhoenixSpanKind | undefined {
  const kind = span.attributes["traceloop.span.kind"];
  const fromKind = typeof kind === "string" ? SPAN_KINDS.get(kind) : undefined;
  if (fromKind) return fromKind;
  const type = span.attributes["llm.request.type"];
  return typeof type === "string" ? REQUEST_TYPES.get(type) : undefined;
}

/**
 * Keys under `llm.` that are OpenLLMetry's, not OpenInference's: dropped
 * with the other source attributes when `keepSourceAttributes` is false.
 */
export const TRACELOOP_LLM_KEYS: ReadonlySet<string> = new Set([
  "llm.request.type",
  "llm.usage.total_tokens",
  "llm.top_k",
  "llm.frequency_penalty",
  "llm.presence_penalty",
  "llm.chat.stop_sequences",
  "llm.is_streaming",
  "llm.user",
  "llm.headers",
]);
export const TRACELOOP_FUNCTIONS_PREFIX = "llm.request.functions.";

const ASSOCIATION_PREFIX = "traceloop.association.properties.";
const LIFTED_PROPERTIES: ReadonlyMap<string, string> = new Map([
  ["session_id", OI.SESSION_ID],
  ["sessionId", OI.SESSION_ID],
  ["user_id", OI.USER_ID],
  ["userId", OI.USER_ID],
]);

export function mapTraceloop(span: SpanFacts, kind: PhoenixSpanKind, out: PhoenixAttributes): void {
  const a = span.attributes;
  setInput(out, a["traceloop.entity.input"]);
  setOutput(out, a["traceloop.entity.output"]);
  const entity = a["traceloop.entity.name"] ?? a["traceloop.workflow.name"];
  if (kind === "TOOL") setIfAbsent(out, OI.TOOL_NAME, entity);
  else if (kind === "AGENT") setIfAbsent(out, OI.AGENT_NAME, entity);
  if (span.found & Found.TRACELOOP_FUNCTIONS && !(span.found & Found.OI_TOOLS)) writeTools(out, legacyFunctions(a));
  if (span.found & Found.SOURCE_METADATA) liftMetadata(a, ASSOCIATION_PREFIX, LIFTED_PROPERTIES, out);
}

/** `llm.request.functions.N.{name,description,arguments}` → OpenAI-style tool schemas. */
function legacyFunctions(a: Attributes): unknown[] {
  const tools: Array<{ type: "function"; function: Record<string, unknown> }> = [];
  for (const key in a) {
    if (!key.startsWith(TRACELOOP_FUNCTIONS_PREFIX)) continue;
    const rest = key.slice(TRACELOOP_FUNCTIONS_PREFIX.length);
    const dot = rest.indexOf(".");
    const index = Number(rest.slice(0, dot));
    if (dot <= 0 || !Number.isInteger(index) || index < 0 || index > 10_000) continue;
    const field = rest.slice(dot + 1);
    const fn = (tools[index] ??= { type: "function", function: {} }).function;
    if (field === "name" || field === "description") fn[field] = a[key];
    else if (field === "arguments" || field === "parameters") fn.parameters = parseJsonText(a[key]) ?? a[key];
  }
  return tools.filter((t) => t !== undefined);
}

