/**
 * LangChain JS runs its callback handlers in the background by default
 * (`LANGCHAIN_CALLBACKS_BACKGROUND`, on outside serverless runtimes), so the
 * handler that ends a chain's root span may run after `invoke()` returned —
 * after an application's `sdk.shutdown()` has already flushed, and the root
 * span is lost. Before a flush or shutdown, the processor therefore waits for
 * LangChain's pending callbacks (`awaitAllCallbacks`), when the application
 * has `@langchain/core` installed; otherwise this costs one failed import,
 * once.
 */
let awaitAll: Promise<(() => Promise<unknown>) | undefined> | undefined;

// A variable specifier: bundlers must not pull LangChain into the package; it is the application's.
const LANGCHAIN_CALLBACKS = "@langchain/core/callbacks/promises";

export async function awaitLangChainCallbacks(): Promise<void> {
  awaitAll ??= import(LANGCHAIN_CALLBACKS).then(
    (module: { awaitAllCallbacks?: () => Promise<unknown> }) => module.awaitAllCallbacks,
    () => undefined,
  );
  const wait = await awaitAll;
  if (!wait) return;
  try {
    await wait();
  } catch {
    // A failing handler is LangChain's to report; the flush goes on.
  }
}
