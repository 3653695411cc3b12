let evictBuffer: Uint8Array | undefined;
let evictRound = 0;

/**
 * Writes `bytes` of a buffer kept for the purpose, one byte per 64-byte
 * line: evicts the CPU caches as a heavy turn of the application would
 * (`BENCH_EVICT_BYTES`, bench/ab/schedule-cost.ts).
 */
export function evictCaches(bytes: number): void {
  if (!evictBuffer || evictBuffer.length < bytes) evictBuffer = new Uint8Array(bytes);
  const round = ++evictRound & 0xff;
  for (let i = 0; i < bytes; i += 64) evictBuffer[i] = round;
}
