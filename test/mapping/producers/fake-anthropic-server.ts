import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the Anthropic Messages API (`POST /v1/messages`) on
 * 127.0.0.1, answering in the real API's shapes, streamed (server-sent
 * events) or not, so that `@anthropic-ai/sdk` and its instrumentations see
 * real client objects. When the request offers tools and the last message
 * carries no tool result, the answer is a `tool_use` of the first tool with
 * `{"city":"Paris"}`; otherwise the text {@link FAKE_ANTHROPIC.answer}.
 */
export const FAKE_ANTHROPIC = {
  answer: "Paris is sunny, 21 °C.",
  model: "claude-sonnet-4-5-20250929",
  usage: { input_tokens: 21, output_tokens: 9, cache_read_input_tokens: 4, cache_creation_input_tokens: 2 },
} as const;

export interface FakeAnthropicServer {
  /** Base URL for the Anthropic client (the SDK appends /v1/messages). */
  readonly baseURL: string;
  close(): Promise<void>;
}

export async function startFakeAnthropicServer(): Promise<FakeAnthropicServer> {
  let sequence = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        return json(res, 400, { type: "error", error: { type: "invalid_request_error", message: "invalid JSON" } });
      }
      if (req.method !== "POST" || path !== "/v1/messages") {
        return json(res, 404, { type: "error", error: { type: "not_found_error", message: `Unknown path ${path}` } });
      }
      const message = answer(body, `msg_fake${++sequence}`);
      if (body.stream === true) stream(res, message);
      else json(res, 200, message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

type ContentBlock = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

interface Message {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ContentBlock[];
  stop_reason: "end_turn" | "tool_use";
  stop_sequence: null;
  usage: typeof FAKE_ANTHROPIC.usage;
}

function answer(body: Record<string, unknown>, id: string): Message {
  const tools = body.tools as Array<{ name?: string }> | undefined;
  const messages = body.messages as Array<{ content?: unknown }> | undefined;
  const last = messages?.at(-1)?.content;
  const answered = Array.isArray(last) && last.some((b) => (b as { type?: string } | null)?.type === "tool_result");
  const tool = tools?.[0]?.name;
  const content: ContentBlock[] =
    tool && !answered ? [{ type: "tool_use", id: "toolu_fake_1", name: tool, input: { city: "Paris" } }] : [{ type: "text", text: FAKE_ANTHROPIC.answer }];
  return {
    id,
    type: "message",
    role: "assistant",
    model: FAKE_ANTHROPIC.model,
    content,
    stop_reason: content[0]!.type === "tool_use" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: FAKE_ANTHROPIC.usage,
  };
}

/** The Messages API's streaming events for one answer. */
function stream(res: ServerResponse, message: Message): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const { usage } = message;
  send("message_start", {
    type: "message_start",
    message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  });
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      send("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const piece of ["Paris is sunny, ", "21 °C."]) {
        send("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
      }
    } else {
      send("content_block_start", { type: "content_block_start", index, content_block: { ...block, input: {} } });
      send("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
    }
    send("content_block_stop", { type: "content_block_stop", index });
  });
  send("message_delta", { type: "message_delta", delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  send("message_stop", { type: "message_stop" });
  res.end();
}
