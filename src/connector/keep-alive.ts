/**
 * Runs `work` with the process kept alive until it settles.
 *
 * Backoff sleeps in this package are unref'd: a retry must never keep an
 * application running on its own. But a caller awaiting a bounded wait on
 * purpose (flush or completeJob waiting for annotations to be stored,
 * compareTraces waiting for a trace, an import waiting for Phoenix)
 * would otherwise see a script end mid-wait, with Node's "unsettled
 * top-level await" exit code 13.
 */
export async function keepingProcessAlive<T>(work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => undefined, 1 << 30);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
