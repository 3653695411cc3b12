import { readFileSync } from "node:fs";
import { diag } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PhoenixConfigurationError, PhoenixConnector, PhoenixSpanExporter } from "../../src/index.js";
import { CONFIG_WARNING, resetConfigWarnings } from "../../src/config/config-warnings.js";
import { environmentProblems } from "../../src/config/environment-problems.js";
import { checkCa, resolveConnection, resolveDefaultProject } from "../../src/config/phoenix-config.js";
import { readPhoenixEnvironment } from "../../src/config/environment.js";
import { isolatePhoenixEnvironment, temporaryDirectory } from "../connector/support.js";

/** Process warnings with our code, as `process.on("warning")` sees them (emitted on a later tick). */
function captureProcessWarnings(): { list: Error[]; settled: () => Promise<Error[]> } {
  const list: Error[] = [];
  const listener = (warning: Error) => {
    if ((warning as Error & { code?: string }).code === CONFIG_WARNING) list.push(warning);
  };
  process.on("warning", listener);
  cleanups.push(() => void process.removeListener("warning", listener));
  return { list, settled: () => new Promise((resolve) => setImmediate(() => setImmediate(() => resolve(list)))) };
}

const cleanups: Array<() => void | Promise<void>> = [];
beforeEach(() => {
  isolatePhoenixEnvironment();
  // No diag logger at all: the case the issue is about.
  diag.disable();
  resetConfigWarnings();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.unstubAllEnvs();
  resetConfigWarnings();
});

describe("an unusable variable is never replaced silently", () => {
  it("PHOENIX_COLLECTOR_ENDPOINT=notaurl: one process warning for the exporter, saying what is used instead and what to do", async () => {
    const warnings = captureProcessWarnings();
    vi.stubEnv("PHOENIX_COLLECTOR_ENDPOINT", "notaurl");
    const first = new PhoenixSpanExporter();
    const second = new PhoenixSpanExporter();
    expect(first.endpoint).toBe("http://localhost:6006");
    await warnings.settled();
    expect(warnings.list).toHaveLength(1);
    expect(warnings.list[0]!.message).toBe(
      'phoenix-connector: PHOENIX_COLLECTOR_ENDPOINT "notaurl" is not a URL. ' +
        "Using the default http://localhost:6006 instead. Set PHOENIX_COLLECTOR_ENDPOINT to Phoenix's base URL (e.g. http://localhost:6006) or to file://DIR, or unset it.",
    );
    await Promise.all([first.shutdown(), second.shutdown()]);
  });

  it("ftp://x and a/b: one warning per variable, with diag told every distinct value", async () => {
    const warnings = captureProcessWarnings();
    const logged: string[] = [];
    diag.setLogger({ error: () => {}, warn: (m) => logged.push(m), info: () => {}, debug: () => {}, verbose: () => {} }, { suppressOverrideMessage: true });
    vi.stubEnv("PHOENIX_COLLECTOR_ENDPOINT", "ftp://x");
    vi.stubEnv("PHOENIX_PROJECT", "a/b");
    resolveConnection({});
    expect(resolveDefaultProject(undefined, readPhoenixEnvironment())).toEqual({ name: "default", explicit: false });
    vi.stubEnv("PHOENIX_COLLECTOR_ENDPOINT", "gopher://y");
    resolveConnection({});
    resolveConnection({});
    await warnings.settled();
    expect(warnings.list.map((w) => w.message)).toEqual([
      expect.stringMatching(/^phoenix-connector: PHOENIX_COLLECTOR_ENDPOINT must be http:\/\/, https:\/\/ or file:\/\/, not ftp:\/\/\. Using the default/),
      expect.stringMatching(/^phoenix-connector: PHOENIX_PROJECT "a\/b" contains '\/', '\?' or '#'.* Using the project "default" instead\. Set PHOENIX_PROJECT to a name/),
    ]);
    expect(logged.filter((m) => m.includes("PHOENIX_COLLECTOR_ENDPOINT"))).toHaveLength(2);
    diag.disable();
  });

  it("the connector warns too (PHOENIX_PROJECT=a/b on connect)", async () => {
    const warnings = captureProcessWarnings();
    const dir = temporaryDirectory("phoenix-config-");
    cleanups.push(dir.remove);
    vi.stubEnv("PHOENIX_PROJECT", "a/b");
    const connector = new PhoenixConnector();
    await connector.connect({ endpoint: `file://${dir.path}` });
    cleanups.push(() => connector.disconnect());
    await warnings.settled();
    expect(warnings.list.map((w) => w.message)).toEqual([expect.stringContaining('PHOENIX_PROJECT "a/b"')]);
  });

  it("PHOENIX_CLIENT_HEADERS that is not JSON is reported without quoting its value (it may hold a key)", async () => {
    const warnings = captureProcessWarnings();
    vi.stubEnv("PHOENIX_CLIENT_HEADERS", "api_key=secret-value-123");
    readPhoenixEnvironment();
    await warnings.settled();
    expect(warnings.list).toHaveLength(1);
    expect(warnings.list[0]!.message).toMatch(/PHOENIX_CLIENT_HEADERS is not a JSON object/);
    expect(warnings.list[0]!.message).not.toContain("secret-value-123");
  });

  it("environmentProblems lists every unusable variable without warning, and leaves out what a flag overrides", async () => {
    const warnings = captureProcessWarnings();
    vi.stubEnv("PHOENIX_COLLECTOR_ENDPOINT", "notaurl");
    vi.stubEnv("PHOENIX_PROJECT", "a/b");
    vi.stubEnv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "ten");
    vi.stubEnv("OPENINFERENCE_HIDE_INPUTS", "maybe");
    expect(environmentProblems().map((p) => [p.variable, p.severity])).toEqual([
      ["PHOENIX_COLLECTOR_ENDPOINT", "unusable"],
      ["PHOENIX_PROJECT", "unusable"],
      ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "unusable"],
      ["OPENINFERENCE_HIDE_INPUTS", "unusable"],
    ]);
    expect(environmentProblems({ endpoint: true, project: true }).map((p) => p.variable)).toEqual([
      "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      "OPENINFERENCE_HIDE_INPUTS",
    ]);
    await warnings.settled();
    expect(warnings.list).toEqual([]);
  });
});

describe("the ca option is read at construction", () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));

  it("refuses text that is not a PEM certificate, a path, a private key and a damaged certificate, saying what to pass", () => {
    const refused = (ca: unknown) => {
      try {
        new PhoenixSpanExporter({ endpoint: "https://127.0.0.1:1", ca: ca as string });
      } catch (error) {
        expect(error).toBeInstanceOf(PhoenixConfigurationError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refused("not a pem")).toMatch(/^The ca option is not a PEM certificate \(no -----BEGIN CERTIFICATE----- block found\)\. Pass the CA's certificate in PEM form/);
    expect(refused("./certs/ca.pem")).toMatch(/looks like a file path .* pass the file's contents, e\.g\. ca: readFileSync\(path\)/);
    expect(refused(fixture("server.key"))).toMatch(/holds a private key, not a certificate/);
    const damaged = fixture("ca.crt").toString("utf8").replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!");
    expect(refused(damaged)).toMatch(/certificate 1 of 1 cannot be read/);
    expect(refused([fixture("ca.crt"), 42])).toMatch(/^Item 1 of the ca option must be PEM text or a Buffer/);
    expect(refused([])).toMatch(/empty array/);
  });

  it("accepts real PEM certificates, one or several, as text or Buffers", () => {
    expect(() => checkCa(fixture("ca.crt"))).not.toThrow();
    expect(() => checkCa([fixture("ca.crt").toString("utf8"), fixture("server.crt")])).not.toThrow();
    expect(() => checkCa(Buffer.concat([fixture("ca.crt"), fixture("server.crt")]))).not.toThrow();
  });
});
