import { getHeapStatistics } from "node:v8";

/**
 * Peak resident memory and V8 heap during a measured window, sampled every
 * 20 ms (a sample costs a few microseconds; every subject pays the same).
 * A spike shorter than 20 ms can be missed; the kernel's lifetime peak
 * (`maxRss`) cannot, but it also covers generating the workload.
 */
export class MemorySampler {
  #timer: NodeJS.Timeout | undefined;
  peakRss = 0;
  peakHeap = 0;

  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), 20);
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    const heap = getHeapStatistics().used_heap_size;
    if (rss > this.peakRss) this.peakRss = rss;
    if (heap > this.peakHeap) this.peakHeap = heap;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }

  /** The process's lifetime peak RSS (the kernel's count; maxRSS is in KiB). */
  static lifetimeMaxRss(): number {
    return process.resourceUsage().maxRSS * 1024;
  }
}
