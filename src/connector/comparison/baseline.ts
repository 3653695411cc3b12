import type { MetricDirection } from "./types.js";

/** One metric across the compared items: the best of them, and each one's change against the first (the baseline). */
export interface AgainstBaseline {
  /** Index of the best value for the direction; -1 when none (direction "none", or no values). */
  bestIndex: number;
  deltas: Array<number | null>;
  relativeDeltas: Array<number | null>;
}

/** Shared by trace and experiment comparisons, so both rank and diff a metric the same way. */
export function againstBaseline(values: ReadonlyArray<number | null>, direction: MetricDirection): AgainstBaseline {
  let bestIndex = -1;
  if (direction !== "none") {
    values.forEach((v, i) => {
      if (v === null) return;
      const current = bestIndex < 0 ? null : values[bestIndex]!;
      if (current === null || (direction === "lower" ? v < current : v > current)) bestIndex = i;
    });
  }
  const baseline = values[0] ?? null;
  const deltas = values.map((v) => (v === null || baseline === null ? null : v - baseline));
  const relativeDeltas = deltas.map((d) => (d === null || baseline === null || baseline === 0 ? null : d / Math.abs(baseline)));
  return { bestIndex, deltas, relativeDeltas };
}
