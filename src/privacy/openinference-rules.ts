import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { TraceConfig } from "./trace-config.js";

/** What becomes of one attribute: sent as is, its value replaced by `__REDACTED__`, or left out. */
export const MaskAction = { Keep: 0, Redact: 1, Remove: 2 } as const;
export type MaskAction = (typeof MaskAction)[keyof typeof MaskAction];

/** OpenInference's marker for a hidden value. */
export const REDACTED_VALUE = "__REDACTED__";

/**
 * OpenInference's masking rules for its own attributes, in its order (the
 * first that applies wins), as `@arizeai/openinference-core` 2.7 applies them
 * when an instrumentation sets an attribute (`trace-config/maskingRules.ts`),
 * plus the rules of the OpenInference specification and of the Python
 * `TraceConfig.mask` that the JS package lacks: `llm.invocation_parameters`
 * removed with hideLLMInvocationParameters, `llm.prompts` hidden by
 * hideInputs too, and embedded texts (`embedding.embeddings.N.embedding.text`)
 * hidden with the input text.
 *
 * Ported rather than imported: `@arizeai/openinference-core` exports only
 * its tracer wrapper, not `mask`, and that wrapper masks spans its own
 * instrumentations create, while this runs at export time on every span.
 * The base64 image cap is applied by the value pass (see span-values.ts),
 * since it holds whatever the flags say.
 */
export function openInferenceAction(key: string, c: TraceConfig): MaskAction {
  if (c.hideLLMInvocationParameters && key === OI.LLM_INVOCATION_PARAMETERS) return MaskAction.Remove;
  if (c.hideInputs && key === OI.INPUT_VALUE) return MaskAction.Redact;
  if (c.hideInputs && key === OI.INPUT_MIME_TYPE) return MaskAction.Remove;
  if (c.hideOutputs && key === OI.OUTPUT_VALUE) return MaskAction.Redact;
  if (c.hideOutputs && key === OI.OUTPUT_MIME_TYPE) return MaskAction.Remove;
  const input = key.includes(OI.LLM_INPUT_MESSAGES);
  const output = !input && key.includes(OI.LLM_OUTPUT_MESSAGES);
  if (input && (c.hideInputs || c.hideInputMessages)) return MaskAction.Remove;
  if (output && (c.hideOutputs || c.hideOutputMessages)) return MaskAction.Remove;
  if (input || output) {
    const hideText = input ? c.hideInputText : c.hideOutputText;
    if (hideText && isMessageText(key)) return MaskAction.Redact;
    if (input && c.hideInputImages && key.includes(OI.MESSAGE_CONTENT_IMAGE)) return MaskAction.Remove;
    return MaskAction.Keep;
  }
  if ((c.hideInputs || c.hideInputImages) && within(key, OI.INPUT_IMAGES)) return MaskAction.Remove;
  if (c.hideOutputs && within(key, OI.OUTPUT_IMAGES)) return MaskAction.Remove;
  if (key.includes(OI.EMBEDDING_EMBEDDINGS)) {
    if (c.hideEmbeddingVectors && key.includes(OI.EMBEDDING_VECTOR)) return MaskAction.Remove;
    if ((c.hideInputs || c.hideInputMessages || c.hideInputText) && key.includes(OI.EMBEDDING_TEXT)) return MaskAction.Redact;
    return MaskAction.Keep;
  }
  if ((c.hideInputs || c.hidePrompts) && within(key, OI.LLM_PROMPTS)) return MaskAction.Redact;
  if ((c.hideInputs || c.hideLLMTools) && key.includes(OI.LLM_TOOLS)) return MaskAction.Remove;
  return MaskAction.Keep;
}

/** `…message.content` (not `message.contents`) or `…message_content.text`: the text of a message. */
export function isMessageText(key: string): boolean {
  return (key.includes(OI.MESSAGE_CONTENT) && !key.includes(OI.MESSAGE_CONTENTS)) || key.includes(OI.MESSAGE_CONTENT_TEXT);
}

/** `key` is `namespace` itself or nested under it (`input.images.0.image.url`, not `input.imageset`). */
export function within(key: string, namespace: string): boolean {
  return key.length === namespace.length ? key === namespace : key.startsWith(namespace) && key.charCodeAt(namespace.length) === 0x2e;
}

/**
 * OpenInference's base64 image cap: a `data:image/…;base64,…` URL longer
 * than `maxLength` under an image URL key of a message or of
 * `input.images` / `output.images` is replaced by `__REDACTED__`.
 */
export function isOverlongBase64Image(key: string, value: string, maxLength: number): boolean {
  return (
    value.length > maxLength &&
    value.startsWith("data:image/") &&
    value.includes("base64") &&
    key.endsWith(OI.IMAGE_URL) &&
    (((key.includes(OI.LLM_INPUT_MESSAGES) || key.includes(OI.LLM_OUTPUT_MESSAGES)) && key.includes(OI.MESSAGE_CONTENT_IMAGE)) ||
      within(key, OI.INPUT_IMAGES) ||
      within(key, OI.OUTPUT_IMAGES))
  );
}
