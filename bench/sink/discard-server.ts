/**
 * The benchmark's Phoenix stand-in: an HTTP server on 127.0.0.1 (ephemeral
 * port) that reads every request body, throws it away and answers at once
 * as Phoenix does (202 on the REST span route, 200 on OTLP). It runs in a
 * process of its own, forked by bench/run.ts, so its CPU is not counted in
 * the exporter's process.
 *
 * Over IPC: it sends `{ kind: "listening", url }` once, and answers
 * `{ kind: "counters" }` with the bytes received on the wire (request lines,
 * headers and bodies, from the sockets' own counts) and the requests per route.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface SinkCounters {
  kind: "counters";
  /** Bytes read from all sockets, headers included. */
  wireBytes: number;
  /** Body bytes only. */
  bodyBytes: number;
  requests: number;
  /** The sink's own CPU time (µs), to show it was not what limited a subject. */
  cpuMicros: number;
}

const REST_ANSWER = '{"total_received":0,"total_queued":0}';

const sockets = new Set<Socket>();
let closedSocketBytes = 0;
let bodyBytes = 0;
let requests = 0;

const server = createServer({ keepAliveTimeout: 60_000 }, (request: IncomingMessage, response: ServerResponse) => {
  request.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
  request.on("end", () => {
    requests++;
    if (request.url?.endsWith("/spans")) {
      response.writeHead(202, { "content-type": "application/json", "content-length": REST_ANSWER.length });
      response.end(REST_ANSWER);
    } else {
      // OTLP/HTTP: an empty ExportTraceServiceResponse means full success, in protobuf and JSON alike.
      response.writeHead(200, { "content-type": request.headers["content-type"] ?? "application/x-protobuf", "content-length": 0 });
      response.end();
    }
  });
});
server.on("connection", (socket: Socket) => {
  sockets.add(socket);
  socket.on("close", () => {
    closedSocketBytes += socket.bytesRead;
    sockets.delete(socket);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

function counters(): SinkCounters {
  let wireBytes = closedSocketBytes;
  for (const socket of sockets) wireBytes += socket.bytesRead;
  const cpu = process.cpuUsage();
  return { kind: "counters", wireBytes, bodyBytes, requests, cpuMicros: cpu.user + cpu.system };
}

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.send!({ kind: "listening", url: `http://127.0.0.1:${port}` });
});

process.on("message", (message: { kind: string }) => {
  if (message.kind === "counters") process.send!(counters());
  else if (message.kind === "close") server.close(() => process.exit(0));
});
process.on("disconnect", () => process.exit(0));
