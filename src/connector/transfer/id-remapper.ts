import { createHmac, randomBytes } from "node:crypto";

/**
 * Fresh trace and span ids for a copy, derived from the old ones with an
 * HMAC under a seed: the same old id always becomes the same new id within
 * an import (so parents, children and annotation targets stay joined without
 * a table in memory, and a resumed import continues with the same ids), and
 * a new seed gives a new copy. A seed of your choosing makes the copy
 * reproducible: importing again with it finds every span already stored.
 */
export class IdRemapper {
  readonly seed: string;

  constructor(seed: string = randomBytes(16).toString("hex")) {
    this.seed = seed;
  }

  traceId(id: string): string {
    return this.#derive("trace", id, 32);
  }

  spanId(id: string): string {
    return this.#derive("span", id, 16);
  }

  #derive(kind: string, id: string, length: number): string {
    const hex = createHmac("sha256", this.seed).update(`${kind}:${id}`).digest("hex").slice(0, length);
    // An all-zero id is invalid in OpenTelemetry; astronomically unlikely, but never emit one.
    return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
  }
}
