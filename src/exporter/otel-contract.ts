import type { Context } from "@opentelemetry/api";
import type { ReadableSpan } from "../mapping/readable-span.js";

/**
 * The OpenTelemetry SDK's exporter and processor contracts, by shape. Both SDK
 * generations (OpenTelemetry JS 2 and 3) declare exactly these, so classes
 * that implement them plug into either `NodeSDK` without the package loading
 * an SDK itself.
 */

/** `ExportResultCode` of `@opentelemetry/core`: the same numbers in every release. */
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;

export interface ExportResult {
  code: (typeof ExportResultCode)[keyof typeof ExportResultCode];
  error?: Error;
}

export interface SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** An SDK's live `Span` is a `ReadableSpan` too, which is all `onStart` reads. */
export interface SpanProcessor {
  onStart(span: ReadableSpan, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
