import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const CONTEXT = "The Eiffel Tower is located in Paris, France.";

/** An OpenAI-compatible judge on 127.0.0.1 that says "hallucinated" and records what it was asked. */
let judge: Server;
let judgeUrl: string;
const judged: Array<{ authorization: string | undefined; model: string }> = [];

beforeAll(async () => {
  judge = createServer((request, response) => {
    let body = "";
    request.on("data", (c: Buffer) => (body += c.toString()));
    request.on("end", () => {
      const { model } = JSON.parse(body) as { model: string };
      judged.push({ authorization: request.headers.authorization, model });
      // The model "mumbler" answers without a label.
      const content = model === "mumbler" ? "Hard to say, really." : "EXPLANATION: The context says Paris.\nLABEL: hallucinated";
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ choices: [{ message: { content } }] }));
    });
  });
  await new Promise<void>((resolve) => judge.listen(0, "127.0.0.1", resolve));
  judgeUrl = `http://127.0.0.1:${(judge.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => judge.close(() => resolve())));

describe("phoenix-connector detect", () => {
  it("prints the verdict; exit 3 when hallucinated, 0 when factual, 0 either way with --json", async () => {
    const [hallucinated, factual, json] = await Promise.all([
      runCli(["detect", "--context", CONTEXT, "--response", "The Eiffel Tower is located in London, England."]),
      runCli(["detect", "--context", CONTEXT, "--response", "It is in Paris.", "--query", "Where is the Eiffel Tower?"]),
      runCli(["detect", "--context", CONTEXT, "--response", "The Eiffel Tower is located in London.", "--json"]),
    ]);
    expect(hallucinated.code).toBe(3);
    expect(hallucinated.stdout).toMatch(/^hallucinated \(score 0\.\d\d, confidence 0\.\d\d, detector grounding\)\n.*"London" is not in the context.*\nunsupported: London; England\n$/s);
    expect(factual.code).toBe(0);
    expect(factual.stdout).toMatch(/^factual \(score 0\.\d\d, confidence 0\.\d\d, detector grounding\)\n/);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ isHallucination: true, label: "hallucinated", detector: "grounding", unsupported: ["London"] });
    for (const run of [hallucinated, factual, json]) expect(run.stderr).toBe("");
  });

  it("asks an LLM judge with --judge and --model, sending its key but never printing it", async () => {
    const key = "sk-judge-secret-123";
    const run = await runCli(["detect", "--context", CONTEXT, "--response", "It is in Rome.", "--judge", judgeUrl, "--model", "gpt-4o-mini"], {
      PHOENIX_JUDGE_API_KEY: key,
    });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^hallucinated \(score 1\.00, confidence 0\.80, detector llm-judge\)\nThe context says Paris\.\n$/);
    expect(judged.at(-1)).toEqual({ authorization: `Bearer ${key}`, model: "gpt-4o-mini" });
    expect(run.stdout + run.stderr).not.toContain(key);
  });

  it("exit 2 for bad usage (an empty context, a threshold out of range, --judge without --model), 1 when the judge's answer cannot be read", async () => {
    const [empty, threshold, half, missingFlag, mumbled] = await Promise.all([
      runCli(["detect", "--context", " ", "--response", "x"]),
      runCli(["detect", "--context", CONTEXT, "--response", "x", "--threshold", "2"]),
      runCli(["detect", "--context", CONTEXT, "--response", "x", "--judge", judgeUrl]),
      runCli(["detect", "--response", "x"]),
      runCli(["detect", "--context", CONTEXT, "--response", "x", "--judge", judgeUrl, "--model", "mumbler"]),
    ]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^phoenix-connector: context is empty/);
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toContain("option '--threshold <score>' argument '2' is invalid. expected a number between 0 and 1");
    expect(half.code).toBe(2);
    expect(half.stderr).toContain("--judge and --model go together.");
    expect(missingFlag.code).toBe(2);
    expect(missingFlag.stderr).toContain("required option '--context <text>' not specified");
    expect(mumbled.code).toBe(1);
    expect(mumbled.stderr).toMatch(/^phoenix-connector: .*no "LABEL: factual" or "LABEL: hallucinated" line/);
    expect(mumbled.stderr).not.toMatch(/\n\s+at /);
  });
});
