import type { PhoenixPrivacyOptions } from "./privacy-options.js";

/**
 * The OpenInference trace-config variables (`OPENINFERENCE_HIDE_INPUTS`…),
 * with the meaning OpenInference gives them; the `privacy` options win over
 * them. Flags read true/false (also 1/0, yes/no); anything else is warned
 * about and ignored.
 */
export type OpenInferenceEnvironment = Pick<PhoenixPrivacyOptions, OpenInferenceFlag | "base64ImageMaxLength">;

/** The OpenInference flags are declared once, as privacy options; the environment holds a subset of them. */
type OpenInferenceFlag = Extract<keyof PhoenixPrivacyOptions, `hide${string}`>;

/** Each flag and its variable, as OpenInference names them. */
export const OPENINFERENCE_FLAG_VARIABLES: ReadonlyMap<OpenInferenceFlag, string> = new Map<OpenInferenceFlag, string>([
  ["hideInputs", "OPENINFERENCE_HIDE_INPUTS"],
  ["hideOutputs", "OPENINFERENCE_HIDE_OUTPUTS"],
  ["hideInputMessages", "OPENINFERENCE_HIDE_INPUT_MESSAGES"],
  ["hideOutputMessages", "OPENINFERENCE_HIDE_OUTPUT_MESSAGES"],
  ["hideInputImages", "OPENINFERENCE_HIDE_INPUT_IMAGES"],
  ["hideInputText", "OPENINFERENCE_HIDE_INPUT_TEXT"],
  ["hideOutputText", "OPENINFERENCE_HIDE_OUTPUT_TEXT"],
  ["hideEmbeddingVectors", "OPENINFERENCE_HIDE_EMBEDDING_VECTORS"],
  ["hideLLMInvocationParameters", "OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS"],
  ["hideLLMTools", "OPENINFERENCE_HIDE_LLM_TOOLS"],
  ["hidePrompts", "OPENINFERENCE_HIDE_PROMPTS"],
]);
