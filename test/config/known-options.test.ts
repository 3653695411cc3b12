import { describe, expect, it } from "vitest";
import { PhoenixConfigurationError } from "../../src/errors.js";
import { PhoenixConnector, PhoenixSpanExporter, PhoenixSpanProcessor } from "../../src/index.js";
import { checkKnownOptions, closestName, editDistance, optionNames } from "../../src/config/known-options.js";
import { CONNECTION_OPTION_NAMES, type PhoenixConnectionOptions } from "../../src/config/phoenix-config.js";

const EXPORTER_LIKE = [...CONNECTION_OPTION_NAMES, "projectName", "timeoutMillis", "maxSpansPerRequest", "spoolDir", "privacy"];

function refusal(options: unknown, known: readonly string[] = EXPORTER_LIKE): string {
  try {
    checkKnownOptions("PhoenixSpanExporter", options, known);
  } catch (error) {
    expect(error).toBeInstanceOf(PhoenixConfigurationError);
    return (error as Error).message;
  }
  throw new Error("accepted");
}

describe("checkKnownOptions", () => {
  it("names a misspelt option and the closest known one", () => {
    expect(refusal({ endpont: "http://localhost:6006" })).toBe(
      'PhoenixSpanExporter has no option "endpont" (did you mean endpoint?). Its options are: apiKey, ca, endpoint, headers, maxSpansPerRequest, privacy, projectName, spoolDir, timeoutMillis.',
    );
    expect(refusal({ apikey: "k" })).toMatch(/"apikey" \(did you mean apiKey\?\)/);
    expect(refusal({ projetName: "p", timeoutMilis: 5 })).toMatch(/^PhoenixSpanExporter has no options "projetName" \(did you mean projectName\?\), "timeoutMilis" \(did you mean timeoutMillis\?\)/);
    expect(refusal({ spoolDirectory: "/tmp" })).toMatch(/"spoolDirectory"\. Its options/);
    // Too far from every name: no guess.
    expect(refusal({ color: "red" })).toMatch(/no option "color"\. Its options/);
  });

  it("passes known names (undefined values too) and no options; refuses what is not an options object", () => {
    expect(() => checkKnownOptions("X", { endpoint: undefined, apiKey: "k" }, EXPORTER_LIKE)).not.toThrow();
    expect(() => checkKnownOptions("X", undefined, EXPORTER_LIKE)).not.toThrow();
    expect(() => checkKnownOptions("X", {}, EXPORTER_LIKE)).not.toThrow();
    expect(refusal("http://localhost:6006")).toBe("PhoenixSpanExporter takes an options object, not string.");
    expect(refusal([])).toBe("PhoenixSpanExporter takes an options object, not an array.");
  });

  it("edit distance counts a transposition once; closeness scales with the name", () => {
    expect(editDistance("endpont", "endpoint")).toBe(1);
    expect(editDistance("enpdoint", "endpoint")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestName("ac", ["ca", "apiKey"])).toBe("ca");
    expect(closestName("x", ["ca"])).toBeUndefined();
  });

  it("optionNames lists a type's option names (the compiler checks the list is complete)", () => {
    expect(optionNames<PhoenixConnectionOptions>({ endpoint: true, apiKey: true, headers: true, ca: true })).toEqual(["endpoint", "apiKey", "headers", "ca"]);
    // @ts-expect-error a missing name does not compile
    optionNames<PhoenixConnectionOptions>({ endpoint: true });
  });
});

describe("a misspelt option is refused where it was written", () => {
  it("by PhoenixSpanExporter, PhoenixSpanProcessor, PhoenixConnector and connect()", async () => {
    const endpont = "file:///tmp/never-used";
    expect(() => new PhoenixSpanExporter({ endpont } as never)).toThrow(/^PhoenixSpanExporter has no option "endpont" \(did you mean endpoint\?\)/);
    expect(() => new PhoenixSpanProcessor({ endpont } as never)).toThrow(/^PhoenixSpanProcessor has no option "endpont" \(did you mean endpoint\?\)/);
    expect(() => new PhoenixConnector({ anotationDelayMillis: 0 } as never)).toThrow(
      /^PhoenixConnector has no option "anotationDelayMillis" \(did you mean annotationDelayMillis\?\)/,
    );
    const connector = new PhoenixConnector();
    await expect(connector.connect({ endpont, projectID: "p" } as never)).rejects.toThrow(
      /^connect\(\) has no options "endpont" \(did you mean endpoint\?\), "projectID" \(did you mean projectId\?\)\. Its options are: apiKey, ca, endpoint, headers, projectId\.$/,
    );
    await expect(connector.connect({ endpont } as never)).rejects.toBeInstanceOf(PhoenixConfigurationError);
  });
});

