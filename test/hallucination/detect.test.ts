import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_THRESHOLD,
  detectHallucination,
  HallucinationDetectorResultError,
  HallucinationInputError,
  normalizeDetectorVerdict,
  toHallucinationDetector,
  type DetectorVerdict,
  type HallucinationDetector,
  type HallucinationInput,
  type ResolvedHallucinationInput,
} from "../../src/hallucination/index.js";
import { PhoenixConnectorError } from "../../src/errors.js";

const CONTEXT = "The Eiffel Tower is located in Paris, France.";
const RESPONSE = "The Eiffel Tower is in Paris.";

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("detectHallucination: input validation", () => {
  const invalid: [string, unknown, string, RegExp][] = [
    ["a threshold below 0", { context: CONTEXT, response: RESPONSE, threshold: -0.1 }, "HALLUCINATION_INVALID_THRESHOLD", /\[0, 1\]/],
    ["a threshold above 1", { context: CONTEXT, response: RESPONSE, threshold: 1.5 }, "HALLUCINATION_INVALID_THRESHOLD", /\[0, 1\]/],
    ["a NaN threshold", { context: CONTEXT, response: RESPONSE, threshold: Number.NaN }, "HALLUCINATION_INVALID_THRESHOLD", /NaN/],
    ["a threshold given as text", { context: CONTEXT, response: RESPONSE, threshold: "0.5" }, "HALLUCINATION_INVALID_THRESHOLD", /number/],
    ["an empty context", { context: "", response: RESPONSE }, "HALLUCINATION_EMPTY_CONTEXT", /pass the text the response should be grounded in/],
    ["a white-space context", { context: " \n\t ", response: RESPONSE }, "HALLUCINATION_EMPTY_CONTEXT", /context is empty/],
    ["an empty response", { context: CONTEXT, response: "" }, "HALLUCINATION_EMPTY_RESPONSE", /pass the answer to check/],
    ["a white-space response", { context: CONTEXT, response: "   " }, "HALLUCINATION_EMPTY_RESPONSE", /response is empty/],
    ["a missing context", { response: RESPONSE }, "HALLUCINATION_INVALID_INPUT", /context must be a string/],
    ["a response that is not text", { context: CONTEXT, response: 42 }, "HALLUCINATION_INVALID_INPUT", /response must be a string/],
    ["a query that is not text", { context: CONTEXT, response: RESPONSE, query: ["q"] }, "HALLUCINATION_INVALID_INPUT", /query must be a string/],
    ["no input at all", undefined, "HALLUCINATION_INVALID_INPUT", /needs an object/],
  ];
  for (const [name, input, code, message] of invalid) {
    it(`rejects ${name}`, async () => {
      let ran = false;
      const error = await caught(detectHallucination(input as HallucinationInput, () => ((ran = true), { score: 0, confidence: 1, explanation: "" })));
      expect(error).toBeInstanceOf(HallucinationInputError);
      expect(error).toBeInstanceOf(PhoenixConnectorError);
      expect((error as HallucinationInputError).code).toBe(code);
      expect((error as Error).message).toMatch(message);
      expect(ran).toBe(false);
    });
  }

  it("accepts the bounds 0 and 1 and defaults the threshold to 0.5", async () => {
    const seen: number[] = [];
    const detector = (input: ResolvedHallucinationInput): DetectorVerdict => {
      seen.push(input.threshold);
      return { score: 0.5, confidence: 0.9, explanation: "edge" };
    };
    expect((await detectHallucination({ context: CONTEXT, response: RESPONSE, threshold: 0 }, detector)).label).toBe("hallucinated");
    expect((await detectHallucination({ context: CONTEXT, response: RESPONSE, threshold: 1 }, detector)).label).toBe("factual");
    expect((await detectHallucination({ context: CONTEXT, response: RESPONSE }, detector)).label).toBe("hallucinated");
    expect(seen).toEqual([0, 1, DEFAULT_THRESHOLD]);
  });
});

describe("detectHallucination: custom detectors", () => {
  it("runs a plain function and applies the threshold to its score", async () => {
    const calls: ResolvedHallucinationInput[] = [];
    async function keywordCheck(input: ResolvedHallucinationInput): Promise<DetectorVerdict> {
      calls.push(input);
      return { score: 0.7, confidence: 0.6, explanation: "mentions London", unsupported: ["London"] };
    }
    const input = { context: CONTEXT, response: "It is in London.", query: "Where is it?" };
    const result = await detectHallucination({ ...input, threshold: 0.8 }, keywordCheck);
    expect(result).toEqual({
      isHallucination: false,
      confidence: 0.6,
      score: 0.7,
      label: "factual",
      explanation: "mentions London",
      detector: "keywordCheck",
      unsupported: ["London"],
    });
    expect(calls[0]).toEqual({ ...input, threshold: 0.8 });
    expect((await detectHallucination(input, keywordCheck)).label).toBe("hallucinated");
  });

  it("treats a function as a CODE detector and names an anonymous one 'custom'", () => {
    const detector = toHallucinationDetector(() => ({ score: 0, confidence: 1, explanation: "" }));
    expect(detector.annotatorKind).toBe("CODE");
    expect(detector.name).toBe("custom");
  });

  it("runs a detector object as given, keeping its name and kind", async () => {
    const remote: HallucinationDetector = {
      name: "in-house-judge",
      annotatorKind: "LLM",
      detect: () => ({ score: 1, confidence: 0.95, explanation: "made up", label: "hallucinated", isHallucination: true }),
    };
    const result = await detectHallucination({ context: CONTEXT, response: RESPONSE }, remote);
    expect(result).toMatchObject({ detector: "in-house-judge", label: "hallucinated", unsupported: [] });
    expect(toHallucinationDetector(remote)).toBe(remote);
  });

  it("passes the abort signal to the detector", async () => {
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    await detectHallucination(
      { context: CONTEXT, response: RESPONSE },
      (_input, { signal }) => ((received = signal), { score: 0, confidence: 1, explanation: "" }),
      { signal: controller.signal },
    );
    expect(received).toBe(controller.signal);
  });

  describe("a stated label that disagrees with the score", () => {
    const warnings: string[] = [];
    const logger: DiagLogger = {
      error: () => undefined,
      warn: (message: string) => void warnings.push(message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    };
    afterEach(() => {
      diag.disable();
      warnings.length = 0;
    });

    it("is overridden by the threshold and reported through diag", async () => {
      diag.setLogger(logger, DiagLogLevel.WARN);
      const result = await detectHallucination({ context: CONTEXT, response: RESPONSE }, () => ({
        score: 0.1,
        confidence: 0.9,
        explanation: "fine",
        label: "hallucinated",
      }));
      expect(result.label).toBe("factual");
      expect(warnings.join("\n")).toMatch(/stated label "hallucinated"/);
    });
  });

  const badShapes: [string, unknown, RegExp][] = [
    ["nothing", undefined, /expected an object, got undefined/],
    ["null", null, /expected an object, got null/],
    ["a bare number", 0.4, /expected an object, got 0.4/],
    ["an array", [0.4], /expected an object, got an array/],
    ["no score", { confidence: 1, explanation: "" }, /score must be a number in \[0, 1\], got undefined/],
    ["a score above 1", { score: 7, confidence: 1, explanation: "" }, /score must be a number in \[0, 1\], got 7/],
    ["a NaN score", { score: Number.NaN, confidence: 1, explanation: "" }, /score must be a number in \[0, 1\], got NaN/],
    ["a score as text", { score: "0.2", confidence: 1, explanation: "" }, /score must be a number in \[0, 1\], got string/],
    ["no confidence", { score: 0.2, explanation: "" }, /confidence must be a number in \[0, 1\]/],
    ["no explanation", { score: 0.2, confidence: 1 }, /explanation must be a string/],
    ["unsupported as text", { score: 0.2, confidence: 1, explanation: "", unsupported: "London" }, /unsupported must be an array of strings/],
    ["unsupported with numbers", { score: 0.2, confidence: 1, explanation: "", unsupported: [1] }, /unsupported must be an array of strings/],
    ["an unknown label", { score: 0.2, confidence: 1, explanation: "", label: "maybe" }, /label must be "hallucinated" or "factual"/],
  ];
  for (const [name, raw, message] of badShapes) {
    it(`rejects a function returning ${name}`, async () => {
      const error = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, function sloppy() {
        return raw as DetectorVerdict;
      }));
      expect(error).toBeInstanceOf(HallucinationDetectorResultError);
      expect((error as HallucinationDetectorResultError).code).toBe("HALLUCINATION_DETECTOR_RESULT");
      expect((error as HallucinationDetectorResultError).detector).toBe("sloppy");
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/A detector must return \{ score/);
    });
  }

  it("rejects something that is not a detector at all", async () => {
    const error = await caught(detectHallucination({ context: CONTEXT, response: RESPONSE }, { name: "x" } as unknown as HallucinationDetector));
    expect(error).toBeInstanceOf(HallucinationInputError);
    expect((error as HallucinationInputError).code).toBe("HALLUCINATION_INVALID_DETECTOR");
  });

  it("lets a detector's own error through unchanged", async () => {
    const failure = new Error("model offline");
    const error = await caught(
      detectHallucination({ context: CONTEXT, response: RESPONSE }, () => {
        throw failure;
      }),
    );
    expect(error).toBe(failure);
  });

  it("normalises a full result shape too", () => {
    expect(
      normalizeDetectorVerdict(
        { score: 1, confidence: 0.8, explanation: "x", unsupported: ["y"], label: "hallucinated", isHallucination: true, detector: "d" },
        "d",
      ),
    ).toEqual({ score: 1, confidence: 0.8, explanation: "x", unsupported: ["y"], statedLabel: "hallucinated" });
  });
});

describe("detectHallucination: the default detector", () => {
  it("is grounding", async () => {
    const result = await detectHallucination({ context: CONTEXT, response: "The Eiffel Tower is located in London." });
    expect(result.detector).toBe("grounding");
    expect(result.label).toBe("hallucinated");
    expect(result.unsupported).toContain("London");
  });
});
