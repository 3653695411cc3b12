/**
 * A deterministic stand-in for an LLM, so that the demo runs offline, fast
 * and the same every time. It reads its messages the way a chat model would
 * and answers by simple rules: given a tool result, it answers with it; with
 * the calculator offered, it calls it for arithmetic; otherwise it answers
 * with the last number of the first context document (so without the tool it
 * gets arithmetic wrong, as a small model would). Token counts are word counts.
 */
export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: { expression: string };
}

export interface ChatResult {
  content?: string;
  toolCall?: ToolCall;
  usage: { inputTokens: number; outputTokens: number };
}

export const MODEL_NAME = "stand-in-1";

const ARITHMETIC = /(-?\d+(?:\.\d+)?)\s*([-+*/])\s*(-?\d+(?:\.\d+)?)/;

export class StandInModel {
  #calls = 0;

  chat(messages: readonly ChatMessage[], tools: readonly string[] = []): ChatResult {
    const prompt = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const inputTokens = messages.reduce((n, m) => n + words(m.content), 0);
    const toolResult = [...messages].reverse().find((m) => m.role === "tool");
    if (toolResult) return answer(toolResult.content, inputTokens);
    const question = /^Question: (.*)$/m.exec(prompt)?.[1] ?? prompt;
    const arithmetic = ARITHMETIC.exec(question);
    if (arithmetic && tools.includes("calculator")) {
      this.#calls++;
      const toolCall = { id: `call_${this.#calls}`, name: "calculator", arguments: { expression: arithmetic[0] } };
      return { toolCall, usage: { inputTokens, outputTokens: 8 } };
    }
    const firstDocument = /^Context:\n(.*)$/m.exec(prompt)?.[1] ?? "";
    const numbers = firstDocument.match(/-?\d+(?:\.\d+)?/g) ?? [];
    return answer(numbers.at(-1) ?? "I don't know", inputTokens);
  }
}

function answer(content: string, inputTokens: number): ChatResult {
  return { content, usage: { inputTokens, outputTokens: words(content) } };
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The calculator tool: one binary operation, parsed, never evaluated as code. */
export function calculate(expression: string): string {
  const match = ARITHMETIC.exec(expression);
  if (!match) return "error: not a binary operation";
  const a = Number(match[1]);
  const b = Number(match[3]);
  const result = match[2] === "+" ? a + b : match[2] === "-" ? a - b : match[2] === "*" ? a * b : a / b;
  return String(result);
}
