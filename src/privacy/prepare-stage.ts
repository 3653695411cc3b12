import { diag } from "@opentelemetry/api";
import { PhoenixConfigurationError } from "../errors.js";
import type { PhoenixSpan } from "../mapping/phoenix-span.js";
import type { ValueRules } from "./attribute-values.js";
import type { OpenInferenceEnvironment } from "./openinference-flags.js";
import { AttributeMasker } from "./attribute-masker.js";
import { resolveLimits, type ResolvedLimits } from "./limits.js";
import type { PhoenixLimitOptions, PhoenixPrivacyOptions } from "./privacy-options.js";
import { Redactor } from "./redactor.js";
import { checkSpan } from "./span-shape.js";
import { fitSpan } from "./span-size.js";
import { hidesSomething, resolveTraceConfig, type TraceConfig } from "./trace-config.js";
import { UserMask } from "./user-mask.js";

export interface PrepareStage {
  /** The last step before a span is encoded, for every span: masking, hostile values, size limits. Never changes the span it is given. */
  prepare: (span: PhoenixSpan) => PhoenixSpan;
  limits: ResolvedLimits;
  traceConfig: TraceConfig;
}

/**
 * Builds the prepare step of the delivery (see DeliveryQueueOptions.prepare)
 * from the `privacy` and `limits` options, the `OPENINFERENCE_*` variables
 * (read by the caller, src/config) standing in for unset flags. In order, each span:
 *
 * 1. has the OpenInference settings applied (only when one is on);
 * 2. goes through the user's `mask` / `maskAttribute` (when given), failing closed;
 * 3. takes the value pass: a shape Phoenix stores as sent, well-formed text,
 *    values cut to `maxAttributeValueLength`, and the redactor (when on);
 * 4. is cut to `maxSpanBytes`.
 *
 * With nothing configured only steps 3 and 4 run: one pass over the
 * attributes that copies nothing, and a size bound from that pass that spares
 * the exact measure of ordinary spans.
 */
export function createPrepareStage(
  privacy: PhoenixPrivacyOptions | undefined,
  limitOptions: PhoenixLimitOptions | undefined,
  env: OpenInferenceEnvironment,
): PrepareStage {
  if (privacy !== undefined && (typeof privacy !== "object" || privacy === null)) {
    throw new PhoenixConfigurationError("The privacy option must be an object such as { hideInputs: true }.");
  }
  const options = privacy ?? {};
  const traceConfig = resolveTraceConfig(options, env);
  const limits = resolveLimits(limitOptions);
  const masker = hidesSomething(traceConfig) ? new AttributeMasker(traceConfig) : undefined;
  const userMask = userMaskOption(options);
  const redactor = redactorOption(options.redact);
  const rules: ValueRules = {
    maxValueLength: limits.maxAttributeValueLength,
    base64ImageMaxLength: traceConfig.base64ImageMaxLength,
    ...(redactor ? { text: (text: string) => redactor.redact(text) } : {}),
  };
  let warnedTruncation = false;

  const prepare = (input: PhoenixSpan): PhoenixSpan => {
    let span = input;
    if (masker) span = masker.apply(span);
    if (userMask) span = userMask.apply(span);
    const checked = checkSpan(span, rules);
    const fitted = fitSpan(checked.span, checked.chars, limits.maxSpanBytes);
    if (!warnedTruncation && (checked.truncated > 0 || fitted !== checked.span)) {
      warnedTruncation = true;
      diag.warn(
        `phoenix-connector: span ${fitted.context.span_id} exceeded the size limits (maxAttributeValueLength ${limits.maxAttributeValueLength} chars, ` +
          `maxSpanBytes ${limits.maxSpanBytes}); its longest values were cut, each ending with a "…[truncated N chars]" marker. Logged once.`,
      );
    }
    return fitted;
  };
  return { prepare, limits, traceConfig };
}

function userMaskOption(options: PhoenixPrivacyOptions): UserMask | undefined {
  const { mask, maskAttribute } = options;
  if (mask !== undefined && typeof mask !== "function") {
    throw new PhoenixConfigurationError("The privacy.mask option must be a function (span) => span.");
  }
  if (maskAttribute !== undefined && typeof maskAttribute !== "function") {
    throw new PhoenixConfigurationError("The privacy.maskAttribute option must be a function (key, value, span) => value | undefined.");
  }
  return mask || maskAttribute ? new UserMask(mask, maskAttribute) : undefined;
}

function redactorOption(value: PhoenixPrivacyOptions["redact"]): Redactor | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return new Redactor();
  if (typeof value === "object" && value !== null && (value.replacement === undefined || typeof value.replacement === "string")) {
    return new Redactor(value.replacement === undefined ? {} : { replacement: value.replacement });
  }
  throw new PhoenixConfigurationError('The privacy.redact option must be true, false or { replacement: "…" }.');
}
