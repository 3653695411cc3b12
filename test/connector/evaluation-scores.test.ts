import { describe, expect, it } from "vitest";
import { PhoenixInputError, evaluationScores } from "../../src/index.js";

describe("evaluationScores", () => {
  it("matches scikit-learn's macro averages on its documented multi-class example", () => {
    // sklearn.metrics docs: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]
    // → precision 0.22…, recall 0.33…, f1 0.26… (average="macro"), accuracy 0.33….
    const scores = evaluationScores({ references: [0, 1, 2, 0, 1, 2], predictions: [0, 2, 1, 0, 0, 1] });
    expect(scores.accuracy).toBeCloseTo(1 / 3, 10);
    expect(scores.precision).toBeCloseTo(2 / 9, 10);
    expect(scores.recall).toBeCloseTo(1 / 3, 10);
    expect(scores.f1).toBeCloseTo(4 / 15, 10);
  });

  it("counts a label that is predicted but never true (and the reverse) as 0 for it, like zero_division=0", () => {
    const scores = evaluationScores({ references: ["a", "a", "a", "b"], predictions: ["a", "a", "c", "b"] });
    // a: P 1, R 2/3; b: P 1, R 1; c: P 0, R 0 (never true).
    expect(scores.precision).toBeCloseTo(2 / 3, 10);
    expect(scores.recall).toBeCloseTo((2 / 3 + 1) / 3, 10);
    expect(scores.f1).toBeCloseTo((0.8 + 1 + 0) / 3, 10);
  });

  it("gives only accuracy for free text, where every answer is its own label", () => {
    const scores = evaluationScores({ references: ["Paris", "Berlin", "Rome"], predictions: ["Paris", "Bonn", "Rome"] });
    expect(scores).toEqual({ accuracy: 2 / 3 });
    expect(Object.keys(evaluationScores({ references: ["x", "y"], predictions: ["x", "y"], categorical: true })).sort()).toEqual([
      "accuracy",
      "f1",
      "precision",
      "recall",
    ]);
    expect(evaluationScores({ references: [true, false, true], predictions: [true, true, true], categorical: false })).toEqual({ accuracy: 2 / 3 });
  });

  it("compares exactly: 1 and '1' differ, objects match by their JSON", () => {
    expect(evaluationScores({ references: [1, "1"], predictions: ["1", "1"] }).accuracy).toBe(0.5);
    expect(evaluationScores({ references: [{ a: [1, 2] }], predictions: [{ a: [1, 2] }] }).accuracy).toBe(1);
  });

  it("refuses bad input with a PhoenixInputError", () => {
    expect(() => evaluationScores({ references: ["a"], predictions: ["a", "b"] })).toThrow(PhoenixInputError);
    expect(() => evaluationScores({ references: [], predictions: [] })).toThrow(/empty/);
    expect(() => evaluationScores({ references: "a", predictions: ["a"] })).toThrow(/arrays/);
    expect(() => evaluationScores({ references: ["a"], predictions: ["a"], scores: {} })).toThrow(/empty/);
    expect(() => evaluationScores({ references: ["a"], predictions: ["a"], scores: { x: "1" } })).toThrow(/finite/);
    expect(() => evaluationScores({ references: ["a"], predictions: ["a"], scores: [0.5] })).toThrow(/object/);
  });
});
