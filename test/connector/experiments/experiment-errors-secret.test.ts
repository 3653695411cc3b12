import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { PhoenixConnector, PhoenixExperimentNotFoundError, PhoenixInputError } from "../../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { isolatePhoenixEnvironment } from "../support.js";

/** Experiment errors against a Phoenix that needs an API key: typed, saying what to do, never carrying the key. */
const API_KEY = "px-secret-key-0123456789abcdef";
let server: PhoenixTestServer;
let connector: PhoenixConnector;

beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer({ apiKey: API_KEY });
  connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url, apiKey: API_KEY, projectId: "secret" });
});
afterEach(async () => {
  await connector.disconnect();
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

const caught = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
};

it("typed errors for bad input, an unknown experiment and a conflicting dataset, none containing the API key", async () => {
  const examples = [{ input: { q: "a" }, reference: "A" }, { input: { q: "b" }, reference: "B" }];
  await connector.logExperiment({ dataset: "secret-qa", examples, predictions: ["A", "B"] });
  const errors = [
    await caught(connector.logExperiment({ dataset: "secret-qa", examples, predictions: ["A"] })),
    await caught(connector.logExperiment({ dataset: "secret-qa", examples: [{ reference: "A" } as never], predictions: ["A"] })),
    await caught(connector.logExperiment({ dataset: "secret-qa", examples: [{ input: { q: "c" } }], predictions: ["C"] })),
    await caught(connector.compareExperiments([Buffer.from("Experiment:4242").toString("base64")])),
    await caught(connector.getExperimentUrl("nope")),
  ];
  expect(errors[0]).toBeInstanceOf(PhoenixInputError);
  expect(errors[1]).toBeInstanceOf(PhoenixInputError);
  expect(errors[2]!.message).toMatch(/onNewExamples: "append"|another dataset name/);
  expect(errors[3]).toBeInstanceOf(PhoenixExperimentNotFoundError);
  expect(errors[4]).toBeInstanceOf(PhoenixExperimentNotFoundError);
  for (const error of errors) {
    expect(JSON.stringify({ ...error, text: error.message, trace: error.stack })).not.toContain(API_KEY);
  }
});
