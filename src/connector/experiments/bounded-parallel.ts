/**
 * Runs `task` on every item with at most `limit` at once and resolves with
 * the results in item order. A task that throws rejects the whole run (after
 * the tasks already started have settled), so a lost connection is not
 * hidden behind a hundred copies of itself.
 */
export async function boundedParallel<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
