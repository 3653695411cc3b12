import { asText, isRecord } from "../json-text.js";

/**
 * What an agent or workflow span shows as its input and output in Phoenix:
 * one readable value each, taken from the GenAI messages on the span
 * (`gen_ai.input.messages` / `gen_ai.output.messages`, already parsed).
 * An AGENT span carries the whole conversation; Phoenix's span list shows
 * input.value and output.value, so the question asked and the answer given
 * say more there than kilobytes of message JSON (which the LLM spans below
 * still show in full, as messages).
 *
 * Works on the raw message JSON rather than on ChatMessage: an AI SDK 7
 * agent's output message mixes text, tool-call and tool-result parts, and
 * only the text parts are the answer.
 */

/** Parts whose text is what the message says (GenAI `text`, OpenAI Responses `input_text` / `output_text`). */
const TEXT_PART_TYPES: ReadonlySet<string> = new Set(["text", "input_text", "output_text"]);

/** Roles whose message is what came in to the agent (as opposed to what it said or was told to be). */
const INPUT_ROLES: ReadonlySet<string> = new Set(["user", "human", "tool", "function"]);

/** The newest message from the user or a tool, as text; else the whole list as JSON. */
export function conversationInput(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (typeof message === "string") return message;
    if (!isRecord(message) || typeof message.role !== "string" || !INPUT_ROLES.has(message.role)) continue;
    const text = message.role === "tool" || message.role === "function" ? toolResultText(message) : messageText(message);
    if (text !== undefined) return text;
  }
  return asText(messages);
}

/**
 * The final answer: the text of the last assistant message that has text;
 * else the tool calls it asked for, as JSON; else the whole list as JSON.
 */
export function conversationOutput(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (typeof message === "string") return message;
    if (!isRecord(message) || (message.role !== undefined && message.role !== "assistant")) continue;
    const text = messageText(message);
    if (text !== undefined) return text;
  }
  const calls = toolCalls(messages);
  return calls.length > 0 ? asText(calls) : asText(messages);
}

/** The text parts of one message joined, or its string content; undefined when it has no text. */
function messageText(message: Record<string, unknown>): string | undefined {
  if (typeof message.content === "string") return message.content === "" ? undefined : message.content;
  const parts = Array.isArray(message.parts) ? message.parts : Array.isArray(message.content) ? message.content : undefined;
  if (!parts) return undefined;
  let text: string | undefined;
  for (const part of parts) {
    const piece = typeof part === "string" ? part : isRecord(part) && TEXT_PART_TYPES.has(part.type as string) ? asText(part.content ?? part.text) : undefined;
    if (piece !== undefined && piece !== "") text = text === undefined ? piece : `${text}\n${piece}`;
  }
  return text;
}

/** A tool message's result: its `tool_call_response` part, or its text. */
function toolResultText(message: Record<string, unknown>): string | undefined {
  if (Array.isArray(message.parts)) {
    for (const part of message.parts) {
      if (isRecord(part) && (part.type === "tool_call_response" || part.type === "tool-result")) return asText(part.response ?? part.output ?? part.result);
    }
  }
  return messageText(message);
}

/** The assistant's tool calls across the list, as `{name, arguments}`. */
function toolCalls(messages: readonly unknown[]): Array<{ name?: unknown; arguments?: unknown }> {
  const calls: Array<{ name?: unknown; arguments?: unknown }> = [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const parts = Array.isArray(message.parts) ? message.parts : Array.isArray(message.tool_calls) ? message.tool_calls : [];
    for (const part of parts) {
      if (!isRecord(part)) continue;
      const fn = isRecord(part.function) ? part.function : undefined;
      if (part.type === "tool_call" || fn) calls.push({ name: fn?.name ?? part.name, arguments: fn?.arguments ?? part.arguments });
    }
  }
  return calls;
}
