import { asText, isRecord, parseJsonText } from "./json-text.js";

/** One chat message, whatever shape its producer wrote it in. */
export interface ChatMessage {
  role?: string;
  content?: string;
  /** Set when the content had several parts (text and images). */
  contents?: Array<{ type: "text" | "image"; text?: string; image?: string }>;
  toolCalls?: ToolCall[];
  /** On a tool result: the call it answers. */
  toolCallId?: string;
  name?: string;
  finishReason?: string;
}

export interface ToolCall {
  id?: string;
  name?: string;
  /** JSON text. */
  arguments?: string;
}

/**
 * Chat messages (a JSON array or its text) in any of the shapes LLM
 * instrumentations write, to one form:
 *
 * - OpenTelemetry GenAI: `{role, parts: [{type: "text", content}, {type: "tool_call", id, name, arguments}, {type: "tool_call_response", id, response}], finish_reason}`
 * - OpenAI chat: `{role, content: string | [{type: "text", text}], tool_calls: [{id, function: {name, arguments}}], tool_call_id}`
 * - Vercel AI SDK: `{role, content: string | [{type: "text", text}, {type: "tool-call", toolCallId, toolName, input}, {type: "tool-result", toolCallId, output}]}`
 * - LangChain serialised messages: `{lc: 1, id: [..., "HumanMessage"], kwargs: {content, tool_calls}}`
 *
 * Written once for all of them because the shapes overlap and a message
 * may mix them; unknown parts are kept as JSON text rather than lost.
 */
export function readChatMessages(source: unknown): ChatMessage[] | undefined {
  const list = typeof source === "string" ? parseJsonText(source) : source;
  if (!Array.isArray(list)) return undefined;
  const out: ChatMessage[] = [];
  for (const raw of list) {
    const message = readChatMessage(raw);
    if (message) out.push(message);
  }
  return out;
}

const LANGCHAIN_ROLES: ReadonlyMap<string, string> = new Map([
  ["HumanMessage", "user"],
  ["HumanMessageChunk", "user"],
  ["AIMessage", "assistant"],
  ["AIMessageChunk", "assistant"],
  ["SystemMessage", "system"],
  ["ToolMessage", "tool"],
  ["FunctionMessage", "function"],
  ["ChatMessage", "user"],
]);

export function readChatMessage(raw: unknown): ChatMessage | undefined {
  if (typeof raw === "string") return { role: "user", content: raw };
  if (!isRecord(raw)) return undefined;
  // LangChain's serialised form wraps the fields in kwargs.
  if (raw.lc === 1 && isRecord(raw.kwargs)) {
    const id = Array.isArray(raw.id) ? raw.id[raw.id.length - 1] : undefined;
    const role = typeof id === "string" ? LANGCHAIN_ROLES.get(id) : undefined;
    return readChatMessage({ ...raw.kwargs, role: raw.kwargs.role ?? role });
  }
  const message: ChatMessage = {};
  if (typeof raw.role === "string") message.role = raw.role;
  if (typeof raw.name === "string") message.name = raw.name;
  if (typeof raw.finish_reason === "string" && raw.finish_reason !== "") message.finishReason = raw.finish_reason;
  const callId = raw.tool_call_id ?? raw.toolCallId;
  if (typeof callId === "string") message.toolCallId = callId;
  const toolCalls: ToolCall[] = [];
  if (Array.isArray(raw.tool_calls)) for (const call of raw.tool_calls) pushToolCall(toolCalls, call);
  const parts = Array.isArray(raw.parts) ? raw.parts : Array.isArray(raw.content) ? raw.content : undefined;
  if (parts) readParts(parts, message, toolCalls);
  else if (raw.content !== undefined && raw.content !== null) message.content = asText(raw.content);
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  return message;
}

function readParts(parts: unknown[], message: ChatMessage, toolCalls: ToolCall[]): void {
  const contents: NonNullable<ChatMessage["contents"]> = [];
  for (const part of parts) {
    if (typeof part === "string") {
      contents.push({ type: "text", text: part });
      continue;
    }
    if (!isRecord(part)) continue;
    switch (part.type) {
      case "text":
      case "input_text":
      case "output_text":
      case "reasoning":
        contents.push({ type: "text", text: asText(part.content ?? part.text) ?? "" });
        break;
      case "tool_call":
      case "tool-call":
      case "function_call":
      case "tool_use":
        pushToolCall(toolCalls, part);
        break;
      case "tool_call_response":
      case "tool-result":
      case "tool_result":
      case "function_call_output": {
        const id = part.id ?? part.toolCallId ?? part.tool_call_id ?? part.call_id;
        if (typeof id === "string") message.toolCallId = id;
        contents.push({ type: "text", text: asText(readToolOutput(part)) ?? "" });
        break;
      }
      case "image":
      case "image_url":
      case "input_image": {
        const url = isRecord(part.image_url) ? part.image_url.url : (part.image_url ?? part.url ?? part.image);
        const image = typeof url === "string" ? url : undefined;
        contents.push(image === undefined ? { type: "image" } : { type: "image", image });
        break;
      }
      default:
        contents.push({ type: "text", text: asText(part) ?? "" });
    }
  }
  if (contents.length === 1 && contents[0]!.type === "text") message.content = contents[0]!.text;
  else if (contents.length > 1) {
    if (contents.every((c) => c.type === "text")) message.content = contents.map((c) => c.text).join("");
    else message.contents = contents;
  }
}

function readToolOutput(part: Record<string, unknown>): unknown {
  const output = part.response ?? part.result ?? part.output ?? part.content;
  // The AI SDK wraps results: {type: "json" | "text", value}.
  if (isRecord(output) && "value" in output && typeof output.type === "string") return output.value;
  return output;
}

function pushToolCall(calls: ToolCall[], raw: unknown): void {
  if (!isRecord(raw)) return;
  const fn = isRecord(raw.function) ? raw.function : undefined;
  const call: ToolCall = {};
  const id = raw.id ?? raw.toolCallId ?? raw.call_id;
  if (typeof id === "string") call.id = id;
  const name = fn?.name ?? raw.name ?? raw.toolName;
  if (typeof name === "string") call.name = name;
  const args = fn ? fn.arguments : (raw.arguments ?? raw.input ?? raw.args);
  const text = asText(args);
  if (text !== undefined) call.arguments = text;
  calls.push(call);
}
