import { createServer as createNetServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Credentials } from "../../src/config/credentials.js";
import { PhoenixConnectionError, openBackend } from "../../src/index.js";
import { HttpTransport } from "../../src/http/http-transport.js";
import { readNetworkError } from "../../src/http/network-error.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function phoenix(): Promise<PhoenixTestServer> {
  const server = await startPhoenixServer();
  cleanups.push(() => server.close());
  return server;
}

function transport(baseUrl: string): HttpTransport {
  const http = new HttpTransport({ baseUrl, credentials: new Credentials("the-secret-key", undefined, "option") });
  cleanups.push(() => http.shutdown());
  return http;
}

const GET = { method: "GET" as const, path: "/v1/projects" };

describe("network errors read in words", () => {
  it("an https:// endpoint on a plain-HTTP server says so, not that a certificate is untrusted", async () => {
    const server = await phoenix();
    const answer = await transport(`https://127.0.0.1:${server.port}`).send(GET, 2_000);
    expect(answer.status).toBe("failure");
    const message = answer.status === "failure" ? answer.error.message : "";
    expect(message).toBe(
      `ERR_SSL_WRONG_VERSION_NUMBER: the server at 127.0.0.1:${server.port} speaks plain HTTP, not HTTPS; ` +
        `use http:// instead of https:// in the endpoint (http://127.0.0.1:${server.port}), or enable TLS on the server`,
    );
    expect(message).not.toMatch(/certificate|pass the CA/);
  });

  it("a server that accepts connections and never answers: said in words, without a numeric code", async () => {
    const server = await phoenix();
    server.faults.push(() => ({ kind: "stall" }));
    const answer = await transport(server.url).send(GET, 100);
    expect(answer.status).toBe("retryable");
    const message = answer.status === "retryable" ? answer.error.message : "";
    expect(message).toBe(`timed out after 100 ms: the server at 127.0.0.1:${server.port} accepts connections but does not answer within 100 ms`);
    expect(message).not.toMatch(/\(23\)|UND_ERR/);
  });

  it("a server that closes the connection at once, on http://: suggests https://", async () => {
    const silent: Server = createNetServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const { port } = silent.address() as { port: number };
    const answer = await transport(`http://127.0.0.1:${port}`).send(GET, 2_000);
    expect(answer.status).toBe("retryable");
    expect(answer.status === "retryable" && answer.error.message).toMatch(
      new RegExp(`^(UND_ERR_SOCKET|ECONNRESET): the server at 127\\.0\\.0\\.1:${port} closed the connection without answering$`),
    );
    expect(readNetworkError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }), { url: `http://127.0.0.1:${port}` }).fix).toBe(
      `Check that the server is Phoenix; if it serves HTTPS, use https://127.0.0.1:${port}.`,
    );
  });

  it("reads the codes of undici, Node and OpenSSL, through causes and AggregateErrors", () => {
    const url = "https://phoenix.example.com";
    const read = (error: unknown, extra: object = {}) => readNetworkError(error, { url, timeoutMillis: 5_000, ...extra });
    const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
    expect(read(coded("UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error"))).toMatchObject({
      kind: "no-answer",
      reason: "timed out after 5000 ms: the server at phoenix.example.com:443 accepts connections but does not answer within 5000 ms",
      retryable: true,
    });
    expect(read(coded("UND_ERR_CONNECT_TIMEOUT"), { connectTimeoutMillis: 3_000 })).toMatchObject({
      kind: "connect-timeout",
      reason: "timed out after 3000 ms: no connection to phoenix.example.com:443 could be opened within 3000 ms",
    });
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(read(timeout, { connected: false }).kind).toBe("connect-timeout");
    expect(read(timeout).reason).toBe("timed out after 5000 ms: no answer from phoenix.example.com:443 within 5000 ms");
    expect(read(new TypeError("fetch failed", { cause: new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")]) }))).toMatchObject({
      kind: "refused",
      reason: "ECONNREFUSED: nothing listens on phoenix.example.com:443 (connection refused)",
    });
    expect(read(coded("ENOTFOUND", "getaddrinfo ENOTFOUND phoenix.example.com"))).toMatchObject({
      kind: "dns",
      reason: "ENOTFOUND: the host name phoenix.example.com does not resolve",
    });
    expect(read(coded("SELF_SIGNED_CERT_IN_CHAIN"))).toMatchObject({ kind: "tls-untrusted", retryable: false, fix: expect.stringMatching(/^Pass the CA with the ca option/) });
    expect(read(coded("CERT_HAS_EXPIRED")).reason).toBe("CERT_HAS_EXPIRED: the TLS certificate of phoenix.example.com:443 has expired");
    expect(read(coded("ERR_TLS_CERT_ALTNAME_INVALID")).kind).toBe("tls-hostname");
    // The same OpenSSL error on an http:// URL is not a scheme mismatch.
    expect(readNetworkError(coded("ERR_SSL_WRONG_VERSION_NUMBER"), { url: "http://x:1" }).kind).toBe("tls-other");
    const secret = read(coded("EWHATEVER", "boom with the-secret-key inside"), { redact: (t: string) => t.replace("the-secret-key", "[redacted]") });
    expect(secret).toMatchObject({ kind: "other", reason: "EWHATEVER: boom with [redacted] inside" });
  });
});

describe("the connector's errors stay typed and say the cause", () => {
  it("PhoenixConnectionError for a plain-HTTP server behind https:// and for a server that does not answer", async () => {
    const server = await phoenix();
    const plain = openBackend({ endpoint: `https://127.0.0.1:${server.port}`, retry: { maxAttempts: 1 } });
    const hanging = await phoenix();
    hanging.faults.push(() => ({ kind: "stall" }));
    const stalled = openBackend({ endpoint: hanging.url, timeoutMillis: 100, retry: { maxAttempts: 1 } });
    cleanups.push(() => plain.close(), () => stalled.close());
    const [tls, timeout] = await Promise.all([plain.listProjects().catch((e: unknown) => e), stalled.listProjects().catch((e: unknown) => e)]);
    expect(tls).toBeInstanceOf(PhoenixConnectionError);
    expect((tls as Error).message).toMatch(/speaks plain HTTP, not HTTPS; use http:\/\/ instead of https:\/\/ in the endpoint/);
    expect((tls as Error).message).not.toMatch(/certificate|pass the CA/);
    expect(timeout).toBeInstanceOf(PhoenixConnectionError);
    expect((timeout as Error).message).toMatch(/timed out after 100 ms: the server at 127\.0\.0\.1:\d+ accepts connections but does not answer within 100 ms/);
    expect((timeout as Error).message).not.toMatch(/\(23\)/);
  });
});

