import { isValidSpanId, isValidTraceId } from "../../mapping/ids.js";
import { PhoenixInputError } from "../../errors.js";
import type { PhoenixAnnotationResult, PhoenixAnnotatorKind, PhoenixSpanAnnotationData, PhoenixTraceAnnotationData } from "../../store/backend.js";
import type { LogAnnotationOptions } from "../base.js";
import { jsonObject } from "../json-object.js";

const ANNOTATOR_KINDS: ReadonlySet<string> = new Set<PhoenixAnnotatorKind>(["LLM", "CODE", "HUMAN"]);

export type CheckedAnnotation =
  | { target: "span"; data: PhoenixSpanAnnotationData }
  | { target: "trace"; data: PhoenixTraceAnnotationData };

/** A user's annotation → Phoenix's request item, or a PhoenixInputError saying what is wrong. */
export function checkAnnotation(options: LogAnnotationOptions): CheckedAnnotation {
  const { target, id, name } = options;
  if (target !== "span" && target !== "trace") {
    throw new PhoenixInputError(`An annotation's target must be "span" or "trace", not ${JSON.stringify(target)}.`);
  }
  if (target === "span" ? !isValidSpanId(id) : !isValidTraceId(id)) {
    throw new PhoenixInputError(
      `${JSON.stringify(id)} is not a ${target} id; use ${target === "span" ? "16" : "32"} lowercase hex characters, as logSpan and submitJob return them.`,
    );
  }
  if (typeof name !== "string" || name.trim() === "") throw new PhoenixInputError("An annotation needs a non-empty name.");
  const result: PhoenixAnnotationResult = {};
  if (options.score !== undefined) {
    if (typeof options.score !== "number" || !Number.isFinite(options.score)) {
      throw new PhoenixInputError(`The score of annotation "${name}" must be a finite number, not ${String(options.score)}.`);
    }
    result.score = options.score;
  }
  if (options.label !== undefined) result.label = stringField(options.label, "label", name);
  if (options.explanation !== undefined) result.explanation = stringField(options.explanation, "explanation", name);
  if (result.score === undefined && result.label === undefined && result.explanation === undefined) {
    throw new PhoenixInputError(`Annotation "${name}" needs a score, a label or an explanation.`);
  }
  const kind = options.annotatorKind ?? "CODE";
  if (!ANNOTATOR_KINDS.has(kind)) throw new PhoenixInputError(`annotatorKind must be LLM, CODE or HUMAN, not ${JSON.stringify(kind)}.`);
  const common = {
    name,
    annotator_kind: kind,
    result,
    metadata: jsonObject(options.metadata, name),
    identifier: options.identifier === undefined ? "" : stringField(options.identifier, "identifier", name),
  };
  return target === "span" ? { target, data: { ...common, span_id: id } } : { target, data: { ...common, trace_id: id } };
}

function stringField(value: unknown, field: string, name: string): string {
  if (typeof value !== "string") throw new PhoenixInputError(`The ${field} of annotation "${name}" must be a string.`);
  return value;
}
