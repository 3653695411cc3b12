import type { PhoenixAttributeValue, PhoenixSpan } from "../mapping/phoenix-span.js";

/**
 * What is hidden or redacted before a span leaves the process. Applied at
 * export time, after the mapping, to every span whatever produced it
 * (OpenInference, GenAI, Vercel AI SDK, OpenLLMetry, LangSmith, plain
 * OpenTelemetry, connector spans and imports). See docs/privacy.md.
 *
 * The `hide*` flags and `base64ImageMaxLength` are OpenInference's trace
 * configuration, with the meaning OpenInference gives them; each falls back
 * to its `OPENINFERENCE_*` variable, then to `false` (32,000 for the image
 * length).
 */
export interface PhoenixPrivacyOptions {
  /** `input.value` → `__REDACTED__`; input messages, images, tool definitions and prompts hidden; the same content in source attributes too. Env `OPENINFERENCE_HIDE_INPUTS`. */
  hideInputs?: boolean;
  /** `output.value` → `__REDACTED__`; output messages and images hidden. Env `OPENINFERENCE_HIDE_OUTPUTS`. */
  hideOutputs?: boolean;
  /** Input messages removed (`llm.input_messages.*` and their source copies). Env `OPENINFERENCE_HIDE_INPUT_MESSAGES`. */
  hideInputMessages?: boolean;
  /** Output messages removed. Env `OPENINFERENCE_HIDE_OUTPUT_MESSAGES`. */
  hideOutputMessages?: boolean;
  /** Images of input messages (and `input.images`) removed. Env `OPENINFERENCE_HIDE_INPUT_IMAGES`. */
  hideInputImages?: boolean;
  /** The text of input messages (and of embedded texts) → `__REDACTED__`; roles and tool calls stay. Env `OPENINFERENCE_HIDE_INPUT_TEXT`. */
  hideInputText?: boolean;
  /** The text of output messages → `__REDACTED__`. Env `OPENINFERENCE_HIDE_OUTPUT_TEXT`. */
  hideOutputText?: boolean;
  /** Embedding vectors removed. Env `OPENINFERENCE_HIDE_EMBEDDING_VECTORS`. */
  hideEmbeddingVectors?: boolean;
  /** `llm.invocation_parameters` (and the source request parameters) removed. Env `OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS`. */
  hideLLMInvocationParameters?: boolean;
  /** Tool definitions offered to the model removed. Env `OPENINFERENCE_HIDE_LLM_TOOLS`. */
  hideLLMTools?: boolean;
  /** `llm.prompts` → `__REDACTED__`. Env `OPENINFERENCE_HIDE_PROMPTS`. */
  hidePrompts?: boolean;
  /** A base64 `data:image/…` URL longer than this many characters → `__REDACTED__`. Env `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH`; default 32,000. */
  base64ImageMaxLength?: number;
  /**
   * Your own masking of a whole span, run after the settings above. It gets
   * a copy: change it in place, or return a new span. It fails closed: if it
   * throws or returns something that is not a span, every attribute value of
   * that span (and its status message) is replaced by `__MASK_FAILED__`, and
   * the failure is logged once through `diag`. Must be synchronous.
   */
  mask?: (span: PhoenixSpan) => PhoenixSpan | void;
  /**
   * Your own masking of one attribute (of the span or of one of its events):
   * return the value to send, or `undefined` to leave the attribute out.
   * Fails closed like `mask`: a throw or a value that is not a string,
   * number, boolean or array of one of them sends `__MASK_FAILED__`.
   */
  maskAttribute?: (key: string, value: PhoenixAttributeValue, span: Readonly<PhoenixSpan>) => PhoenixAttributeValue | undefined;
  /**
   * Replace common secrets and personal data in every text sent (attribute
   * values, span names, status messages): API keys (`sk-…`, `ghp_…`, AWS
   * access keys, Google, Slack, Stripe), bearer tokens, JSON web tokens,
   * private-key blocks, e-mail addresses and card numbers passing the Luhn
   * check. Off by default. `true` marks each as `[REDACTED:<kind>]`;
   * `{ replacement: "…" }` uses one text for all.
   */
  redact?: boolean | { replacement?: string };
}

/** Size caps; see docs/privacy.md for why each default is what it is. */
export interface PhoenixLimitOptions {
  /** Longest string value (attribute values, span name, status message), in characters; the rest is cut and a marker `…[truncated N chars]` says how much. Default 1,000,000. */
  maxAttributeValueLength?: number;
  /** Largest span, in bytes of its JSON. A larger span loses its largest values first (truncated, then dropped), never its ids, kind or times. Default 4 MiB. */
  maxSpanBytes?: number;
  /** Largest request body, in bytes: requests are cut to stay under it, and a span that cannot fit alone is dropped (`too-large`). Default 8 MiB. */
  maxRequestBytes?: number;
}
