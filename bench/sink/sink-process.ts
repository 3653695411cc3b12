import { fork, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { SinkCounters } from "./discard-server.js";

/** The discarding sink, in its own process; see discard-server.ts. */
export class SinkProcess {
  readonly url: string;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, url: string) {
    this.#child = child;
    this.url = url;
  }

  static start(): Promise<SinkProcess> {
    const child = fork(resolve(import.meta.dirname, "discard-server.ts"), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    return new Promise((resolvePromise, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`the sink exited (${code}) before listening`)));
      child.once("message", (message: { kind: string; url: string }) => {
        child.removeAllListeners("exit");
        resolvePromise(new SinkProcess(child, message.url));
      });
    });
  }

  counters(): Promise<SinkCounters> {
    return new Promise((resolvePromise) => {
      const onMessage = (message: { kind: string }) => {
        if (message.kind !== "counters") return;
        this.#child.off("message", onMessage);
        resolvePromise(message as SinkCounters);
      };
      this.#child.on("message", onMessage);
      this.#child.send({ kind: "counters" });
    });
  }

  close(): Promise<void> {
    return new Promise((resolvePromise) => {
      this.#child.once("exit", () => resolvePromise());
      this.#child.send({ kind: "close" });
    });
  }
}
