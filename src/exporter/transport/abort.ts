/**
 * A signal that aborts when any of `signals` does, and a `dispose` that
 * detaches it again. `AbortSignal.any` would do the first half but exists
 * only from Node 20.3 (this package supports every Node 20) and cannot be
 * detached: a long-lived signal (the exporter's shutdown) would collect one
 * listener per request.
 */
export function linkSignals(signals: ReadonlyArray<AbortSignal | undefined>): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const attached: Array<[AbortSignal, () => void]> = [];
  const dispose = () => {
    for (const [signal, listener] of attached) signal.removeEventListener("abort", listener);
    attached.length = 0;
  };
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      dispose();
      controller.abort(signal.reason);
      break;
    }
    const listener = () => {
      dispose();
      controller.abort(signal.reason);
    };
    attached.push([signal, listener]);
    signal.addEventListener("abort", listener, { once: true });
  }
  return { signal: controller.signal, dispose };
}

/** Waits for `promise`, or answers `"aborted"` as soon as `signal` aborts; leaves no listener behind. */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | "aborted"> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
