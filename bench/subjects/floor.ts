import { connect, type Socket } from "node:net";
import type { PhoenixSpan } from "../../src/index.js";
import type { Subject } from "./subject.js";

/**
 * The floor: what sending the finished payload costs at the least. The
 * spans are mapped to Phoenix objects before the measurement starts; what is
 * measured is cutting them into requests of 50, `JSON.stringify` of each
 * `{"data": [...]}` body, and writing it with a minimal HTTP/1.1 request
 * head on one of 4 keep-alive sockets (one request in flight on each, as
 * this package's default concurrency). No HTTP client library, no retries,
 * no queue bounds, no mapping.
 */
const BATCH = 50;
const SOCKETS = 4;

interface Connection {
  socket: Socket;
  /** Spans in the request awaiting its answer; 0 when idle. */
  inFlight: number;
  received: string;
}

export async function floorSubject(pool: readonly PhoenixSpan[], endpoint: string): Promise<Subject> {
  const url = new URL(endpoint);
  const path = "/v1/projects/bench/spans";
  const headPrefix = `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: `;
  let batch: PhoenixSpan[] = [];
  const waiting: PhoenixSpan[][] = [];
  let acknowledged = 0;
  let fed = 0;
  let flushWaiter: (() => void) | undefined;

  const connections = await Promise.all(
    Array.from(
      { length: SOCKETS },
      () =>
        new Promise<Connection>((resolve, reject) => {
          const socket = connect(Number(url.port), url.hostname, () => resolve(connection));
          const connection: Connection = { socket, inFlight: 0, received: "" };
          socket.setNoDelay(true);
          socket.setEncoding("latin1");
          socket.on("error", reject);
          socket.on("data", (chunk: string) => onData(connection, chunk));
        }),
    ),
  );

  function send(connection: Connection, spans: PhoenixSpan[]): void {
    const body = Buffer.from(JSON.stringify({ data: spans }), "utf8");
    connection.inFlight = spans.length;
    connection.socket.cork();
    connection.socket.write(`${headPrefix}${body.length}\r\n\r\n`, "latin1");
    connection.socket.write(body);
    connection.socket.uncork();
  }

  /** Reads whole responses (head, then Content-Length bytes of body); each frees its connection. */
  function onData(connection: Connection, chunk: string): void {
    connection.received += chunk;
    for (;;) {
      const end = connection.received.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = connection.received.slice(0, end);
      if (!head.startsWith("HTTP/1.1 2")) throw new Error(`floor: unexpected answer ${head.split("\r\n")[0]}`);
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (connection.received.length < end + 4 + length) return;
      connection.received = connection.received.slice(end + 4 + length);
      acknowledged += connection.inFlight;
      connection.inFlight = 0;
      const next = waiting.shift();
      if (next) send(connection, next);
      if (flushWaiter && acknowledged === fed) flushWaiter();
    }
  }

  function dispatch(spans: PhoenixSpan[]): void {
    const idle = connections.find((c) => c.inFlight === 0);
    if (idle) send(idle, spans);
    else waiting.push(spans);
  }

  return {
    name: "floor",
    feed(index) {
      fed++;
      batch.push(pool[index % pool.length]!);
      if (batch.length === BATCH) {
        dispatch(batch);
        batch = [];
      }
    },
    acknowledged: () => acknowledged,
    flush() {
      if (batch.length > 0) {
        dispatch(batch);
        batch = [];
      }
      if (acknowledged === fed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        flushWaiter = () => {
          flushWaiter = undefined;
          resolve();
        };
      });
    },
    async shutdown() {
      for (const c of connections) c.socket.end();
    },
  };
}
