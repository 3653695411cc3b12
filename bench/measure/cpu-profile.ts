import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * A V8 CPU profile of the measured window only (what `node --cpu-prof`
 * writes for the whole process), so that generating the workload and the
 * warm-up do not show in it. Open the file in Chrome DevTools or speedscope.
 */
export class CpuProfile {
  readonly #session = new Session();

  async start(): Promise<void> {
    this.#session.connect();
    await this.#session.post("Profiler.enable");
    await this.#session.post("Profiler.setSamplingInterval", { interval: 100 });
    await this.#session.post("Profiler.start");
  }

  async stop(file: string): Promise<void> {
    const { profile } = await this.#session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    this.#session.disconnect();
  }
}
