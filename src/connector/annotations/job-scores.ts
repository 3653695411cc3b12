import { PhoenixInputError } from "../../errors.js";
import type { EvaluationResult, LogAnnotationOptions, LogEvaluationOptions, LogMetricsOptions } from "../base.js";
import type { Connection } from "../connection.js";
import { definedOnly } from "../defined-only.js";
import { evaluationScores } from "../evaluation-scores.js";
import { ioAttributes } from "../io-attributes.js";
import { jsonObject } from "../json-object.js";
import { spanName } from "../jobs/span-spec.js";
import { checkNumericRecord } from "../numeric-record.js";
import { checkAnnotation } from "./annotation-input.js";

/**
 * Metrics and evaluations of a job: a span each, and their values as trace
 * annotations, so that every value shows on the job's trace in Phoenix. The
 * annotations are queued and sent once their span is stored.
 */

/** A metrics span and one trace annotation per metric (`identifier` = `step-<n>`); returns the span id. */
export function logMetrics(connection: Connection, options: LogMetricsOptions): string {
  const job = connection.jobs.open(options.jobId);
  const metrics = checkNumericRecord(options.metrics, "metrics", "{ loss: 0.23, accuracy: 0.89 }");
  const step = options.step ?? job.metricsCalls;
  if (!Number.isSafeInteger(step) || step < 0) throw new PhoenixInputError(`step must be a non-negative integer, not ${String(step)}.`);
  const attributes = ioAttributes("metrics", "metrics", undefined, metrics);
  for (const [name, value] of Object.entries(metrics)) attributes[`metrics.${name}`] = value;
  attributes["metrics.step"] = step;
  const spanId = connection.jobs.emit(job, {
    name: "metrics",
    spanType: "metrics",
    attributes,
    metadata: { step },
    ...definedOnly({ parentSpanId: options.parentSpanId }),
  });
  job.metricsCalls++;
  for (const [name, value] of Object.entries(metrics)) {
    void connection.annotations.add("trace", {
      trace_id: job.traceId,
      name,
      annotator_kind: "CODE",
      result: { score: value },
      identifier: `step-${step}`,
      metadata: { step, span_id: spanId },
    });
  }
  return spanId;
}

/** An EVALUATOR span and one trace annotation per score, `<evalName>.<metric>`. */
export function logEvaluation(connection: Connection, options: LogEvaluationOptions): EvaluationResult {
  const job = connection.jobs.open(options.jobId);
  const evalName = spanName(options.evalName, "evalName");
  const scores = evaluationScores(options);
  const attributes = ioAttributes("evaluation", evalName, { predictions: options.predictions, references: options.references }, scores);
  const spanId = connection.jobs.emit(job, {
    name: evalName,
    spanType: "evaluation",
    attributes,
    metadata: { ...jsonObject(options.metadata, evalName), eval_name: evalName, items: options.predictions.length },
    ...definedOnly({ parentSpanId: options.parentSpanId }),
  });
  for (const [metric, value] of Object.entries(scores)) {
    void connection.annotations.add("trace", {
      trace_id: job.traceId,
      name: `${evalName}.${metric}`,
      annotator_kind: "CODE",
      result: { score: value },
      // Unique per evaluation span: a retried request updates instead of adding a copy.
      identifier: `eval-${spanId}`,
      metadata: { span_id: spanId, items: options.predictions.length },
    });
  }
  return { spanId, scores };
}

/**
 * Annotates any span or trace, a finished job's included. An annotation of a
 * job's trace waits until the job has a span that ended (its root span ends
 * at completeJob), so that its bounded wait does not start too early.
 */
export function logAnnotation(connection: Connection, options: LogAnnotationOptions): void {
  const checked = checkAnnotation(options);
  if (checked.target === "span") {
    void connection.annotations.add("span", checked.data);
    return;
  }
  const job = connection.jobs.find(checked.data.trace_id);
  void connection.annotations.add("trace", checked.data, job ? () => job.spansEnded > 0 || !job.open : undefined);
}
