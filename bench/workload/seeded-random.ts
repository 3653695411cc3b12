import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

/**
 * The workload's only source of randomness, so that one seed gives the same
 * spans (names, sizes, texts, vectors) to every exporter and every run.
 */
export class SeededRandom {
  readonly #rng: RandomGenerator;

  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
    // xoroshiro's first outputs from a small seed are far from uniform.
    for (let i = 0; i < 32; i++) this.#rng.next();
  }

  /** [0, 1). */
  float(): number {
    return uniformFloat64(this.#rng);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.#rng, min, max);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** Standard normal (Box–Muller), for embedding components. */
  gaussian(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Lowercase hex, for tool-call and response ids. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += (this.#rng.next() >>> 0).toString(16).padStart(8, "0");
    return out.slice(0, length);
  }
}
