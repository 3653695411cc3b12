import { PhoenixInputError } from "../errors.js";
import { toHallucinationDetector } from "../hallucination/custom-detector.js";
import { detectHallucination } from "../hallucination/detect.js";
import { HallucinationInputError } from "../hallucination/errors.js";
import { grounding } from "../hallucination/grounding/detector.js";
import type { HallucinationDetectorLike, HallucinationResult } from "../hallucination/types.js";
import { isValidSpanId } from "../mapping/ids.js";
import type { PhoenixAnnotatorKind } from "../store/backend.js";
import type { DetectHallucinationOptions } from "./base.js";
import type { Connection } from "./connection.js";
import { ioAttributes } from "./io-attributes.js";
import type { SpanSpec } from "./jobs/span-spec.js";

/**
 * Judges a response against its context and, with a job, logs the verdict:
 * a `hallucination` span (EVALUATOR) under the job — under `spanId` when
 * given — and a span annotation `hallucination` on `spanId`, else on the new
 * span. A detector that fails is logged as an ERROR span, then its error
 * thrown. Without a job nothing is logged and no connection is needed.
 *
 * `spanId` may be a span the connector never made (the application's LLM
 * span in the job's trace): the new span nests under it all the same. An
 * explicit `parentSpanId` must be a span of the job.
 */
export async function detectAndLog(
  connection: () => Connection,
  options: DetectHallucinationOptions,
  defaultDetector: HallucinationDetectorLike | undefined,
): Promise<HallucinationResult> {
  const { jobId, spanId, parentSpanId, detector: chosen, signal, ...input } = options;
  const detector = toHallucinationDetector(chosen ?? defaultDetector ?? grounding);
  const logTo = jobId === undefined ? undefined : connection();
  const job = logTo?.jobs.open(jobId!);
  for (const [name, id] of [["spanId", spanId], ["parentSpanId", parentSpanId]] as const) {
    if (id !== undefined && !isValidSpanId(id)) {
      throw new PhoenixInputError(`${name} ${JSON.stringify(id)} is not a span id (16 hex characters, as logSpan returns).`);
    }
  }
  // Checked before the detector runs: a verdict must not be lost to a bad parent afterwards.
  if (job && parentSpanId !== undefined) logTo!.jobs.parentContext(job, parentSpanId);
  const startTime = Date.now();
  const emit = (spec: Omit<SpanSpec, "name" | "spanType" | "parentSpanId">) =>
    logTo!.jobs.emit(job!, { name: "hallucination", spanType: "hallucination", parentSpanId: parentSpanId ?? spanId ?? job!.rootSpanId, startTime, ...spec }, {
      parentKnown: parentSpanId !== undefined,
    });
  let result: HallucinationResult;
  try {
    result = await detectHallucination(input, detector, signal ? { signal } : {});
  } catch (error) {
    // Input errors are the caller's and log nothing; a detector that failed leaves a trace of it.
    if (job && !(error instanceof HallucinationInputError)) {
      emit({
        attributes: ioAttributes("hallucination", "hallucination", hallucinationInput(input), undefined),
        metadata: { detector: detector.name },
        status: "error",
        statusMessage: (error as Error).message,
      });
    }
    throw error;
  }
  if (!job) return result;
  const attributes = ioAttributes("hallucination", "hallucination", hallucinationInput(input), result);
  attributes["hallucination.label"] = result.label;
  attributes["hallucination.score"] = result.score;
  attributes["hallucination.confidence"] = result.confidence;
  const logged = emit({ attributes, metadata: { detector: result.detector, threshold: input.threshold ?? 0.5 }, status: "ok" });
  annotateVerdict(logTo!, spanId ?? logged, logged, detector.annotatorKind, result, input.threshold ?? 0.5);
  return result;
}

function annotateVerdict(
  connection: Connection,
  target: string,
  logged: string,
  annotatorKind: PhoenixAnnotatorKind,
  result: HallucinationResult,
  threshold: number,
): void {
  void connection.annotations.add("span", {
    span_id: target,
    name: "hallucination",
    annotator_kind: annotatorKind,
    result: { label: result.label, score: result.score, explanation: result.explanation },
    // One verdict per hallucination span: a retried request updates instead of adding a copy.
    identifier: `hallucination-${logged}`,
    metadata: {
      detector: result.detector,
      confidence: result.confidence,
      threshold,
      unsupported: result.unsupported,
      hallucination_span_id: logged,
    },
  });
}

/** What the hallucination span shows as its input. */
function hallucinationInput(input: { context: string; response: string; query?: string }): Record<string, string> {
  return {
    ...(input.query !== undefined ? { query: input.query } : {}),
    context: input.context,
    response: input.response,
  };
}
