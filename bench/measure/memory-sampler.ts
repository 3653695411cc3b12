import { getHeapStatistics } from "node:v8";

/**
 * Peak resident memory and V8 heap during a measured window, sampled every
 * 20 ms (a sample costs a few microseconds; every subject pays the same).
 * A spike shorter than 20 ms can be missed; the kernel's lifetime peak
 * (`maxRss`) cannot, but it also covers generating the workload.
 */
export class MemorySampler {
  #timer: NodeJS.Timeout | undefined;
  #liveTimer: NodeJS.Timeout | undefined;
  peakRss = 0;
  peakHeap = 0;
  /** With `start(liveEveryMillis)`: the most heap found live (right after a forced full GC), and how often it was looked at. */
  peakLiveHeap = 0;
  liveSamples = 0;

  /**
   * `liveEveryMillis`: also force a full GC that often and keep the heap
   * left after it, which is what the process holds rather than what the GC
   * has not collected yet. The forced collections cost CPU, so a run that
   * samples live heap is a memory run only (bench/run.ts `--live-heap`).
   */
  start(liveEveryMillis?: number): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), 20);
    if (liveEveryMillis !== undefined) {
      if (!globalThis.gc) throw new Error("live heap sampling needs node --expose-gc");
      this.#liveTimer = setInterval(() => this.sampleLive(), liveEveryMillis);
    }
  }

  sampleLive(): void {
    globalThis.gc!();
    const live = getHeapStatistics().used_heap_size;
    this.liveSamples++;
    if (live > this.peakLiveHeap) this.peakLiveHeap = live;
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    const heap = getHeapStatistics().used_heap_size;
    if (rss > this.peakRss) this.peakRss = rss;
    if (heap > this.peakHeap) this.peakHeap = heap;
  }

  stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#liveTimer);
    this.sample();
  }

  /** The process's lifetime peak RSS (the kernel's count; maxRSS is in KiB). */
  static lifetimeMaxRss(): number {
    return process.resourceUsage().maxRSS * 1024;
  }
}
