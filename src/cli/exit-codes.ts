/** The CLI's exit codes (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** Something failed: Phoenix unreachable, a key refused, traces not found, spans refused, a doctor check failed. */
  failure: 1,
  /** Bad usage: an unknown flag, a missing argument, a value out of range, a file that is not a trace export. */
  usage: 2,
  /** detect: the response is hallucinated (without --json). */
  hallucinated: 3,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;
