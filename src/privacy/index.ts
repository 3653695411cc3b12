export type { PhoenixPrivacyOptions, PhoenixLimitOptions } from "./privacy-options.js";
export { LIMIT_DEFAULTS } from "./limits.js";
export { REDACTED_VALUE } from "./openinference-rules.js";
export { MASK_FAILED_VALUE } from "./user-mask.js";
export { LIMITS_ATTRIBUTE } from "./span-size.js";
