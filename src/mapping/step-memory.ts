/**
 * An agent step span (`gen_ai.operation.name: agent_step`, AI SDK 7) carries
 * no messages: the model call inside it has them. A child ends before its
 * parent, and the exporter maps spans in the order they ended, so by the
 * time a step is mapped its model call has been: the mapping remembers each
 * model call's input and output under its parent's id, and a step without
 * messages of its own shows those of its (last) model call.
 *
 * Limits: only the last {@link STEP_MEMORY} parents are remembered; a step
 * whose model call was mapped by another process, or not at all (filtered
 * out, failed before it was recorded), shows no input or output. This is
 * the one place where mapping a span depends on spans mapped before it.
 */
export const STEP_MEMORY = 4_096;

export interface ModelCallText {
  readonly input: string | undefined;
  readonly output: string | undefined;
}

const remembered = new Map<string, ModelCallText>();

function keyOf(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

/** Called for every model call that has a parent. */
export function rememberModelCall(traceId: string, parentSpanId: string, text: ModelCallText): void {
  const key = keyOf(traceId, parentSpanId);
  // Re-inserted so that a step with several model calls keeps its last one, and stays newest.
  remembered.delete(key);
  if (remembered.size >= STEP_MEMORY) {
    // Maps iterate in insertion order: the oldest parent is forgotten first.
    const oldest = remembered.keys().next().value;
    if (oldest !== undefined) remembered.delete(oldest);
  }
  remembered.set(key, text);
}

/** The last model call mapped under this span, if it is remembered. */
export function recallModelCall(traceId: string, spanId: string): ModelCallText | undefined {
  return remembered.get(keyOf(traceId, spanId));
}
