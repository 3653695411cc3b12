/**
 * Kept only because src/hallucination/index.ts exports `defaultRetryDelay`
 * and `RetryDelay` from this path. The judge's request now goes through the
 * package's one HTTP layer (./chat-completions.ts, src/http); there is no
 * retry loop here any more.
 */
export { defaultRetryDelay, type RetryDelay } from "./retry-delay.js";
