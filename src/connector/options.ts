import { checkKnownOptions, optionNames } from "../config/known-options.js";
import { PhoenixConfigurationError } from "../errors.js";
import type { PhoenixSpanExporter } from "../exporter/exporter.js";
import type { SpanProcessor } from "../exporter/otel-contract.js";
import type { PhoenixBatchOptions } from "../exporter/processor.js";
import { integerOption } from "../exporter/validate.js";
import type { Clock } from "../http/clock.js";
import type { RetryPolicy } from "../http/retrying-transport.js";
import { toHallucinationDetector } from "../hallucination/custom-detector.js";
import type { HallucinationDetectorLike } from "../hallucination/types.js";
import type { ConnectOptions } from "./base.js";

export interface PhoenixConnectorOptions {
  /**
   * Share the application's pipeline: connector spans go through this
   * processor (e.g. the `PhoenixSpanProcessor` registered with the NodeSDK).
   * The connector flushes it but never shuts it down. A job's trace goes to
   * the job's project, the application's spans made in the job's context
   * included; the exporter's own project routing applies to everything else.
   */
  spanProcessor?: SpanProcessor;
  /** Or share an exporter: the connector wraps it in its own `PhoenixSpanProcessor`, and imports go through it too; disconnect() flushes it and leaves it running. */
  exporter?: PhoenixSpanExporter;
  /** Batching of the processor the connector builds (default 50 spans / 3 s, like the exporter). */
  batch?: PhoenixBatchOptions;
  /** Longest wait for an annotation's span to be stored before it is given up. Default 60 000 ms. */
  annotationTimeoutMillis?: number;
  /** Pending annotations are sent this long after the first was logged; 0 = only at flush/completeJob/disconnect. Default 3 000 ms. */
  annotationDelayMillis?: number;
  /**
   * Retries of the REST calls (connect, project look-ups, annotations; default 4 attempts within 10 s),
   * and of the exporter an import builds (default the exporter's).
   */
  retry?: RetryPolicy;
  /** Clock of retries and annotation waits; tests inject one. */
  clock?: Clock;
  /**
   * Detector of `detectHallucination` when a call names none: an `llmJudge(...)`,
   * a custom function, or the default offline `grounding` detector.
   */
  hallucinationDetector?: HallucinationDetectorLike;
}

/** Option names, so that a misspelt one is refused naming the closest (the compiler keeps the lists complete). */
const CONNECTOR_OPTIONS = optionNames<PhoenixConnectorOptions>({
  spanProcessor: true,
  exporter: true,
  batch: true,
  annotationTimeoutMillis: true,
  annotationDelayMillis: true,
  retry: true,
  clock: true,
  hallucinationDetector: true,
});
const CONNECT_OPTIONS = optionNames<ConnectOptions>({ endpoint: true, apiKey: true, headers: true, ca: true, projectId: true });

/** The constructor's checks: every mistake is refused where it was written. */
export function checkConnectorOptions(options: PhoenixConnectorOptions): void {
  checkKnownOptions("PhoenixConnector", options, CONNECTOR_OPTIONS);
  if (options.spanProcessor !== undefined && options.exporter !== undefined) {
    throw new PhoenixConfigurationError("Pass either spanProcessor or exporter to PhoenixConnector, not both: the processor already has its exporter.");
  }
  integerOption("annotationTimeoutMillis", options.annotationTimeoutMillis, 1);
  integerOption("annotationDelayMillis", options.annotationDelayMillis, 0);
  if (options.hallucinationDetector !== undefined) toHallucinationDetector(options.hallucinationDetector);
}

export function checkConnectOptions(options: ConnectOptions): void {
  checkKnownOptions("connect()", options, CONNECT_OPTIONS);
  if (options.projectId !== undefined && (typeof options.projectId !== "string" || options.projectId.trim() === "")) {
    throw new PhoenixConfigurationError("The projectId option must be a project name or global id.");
  }
}
