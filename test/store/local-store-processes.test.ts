import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { LocalStore, readAllPages } from "../../src/index.js";
import { readLines } from "../../src/store/jsonl-file.js";
import { temporaryDirectory } from "../connector/support.js";

const WORKER = join(import.meta.dirname, "fixtures", "append-spans.ts");
const BATCHES = 40;
const PER_BATCH = 50;

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = temporaryDirectory();
});
afterEach(() => dir.remove());

/** Starts a writer process; resolves once it is ready, with a `go` that starts it and resolves when it is done. */
function startWorker(worker: number): Promise<{ go: () => Promise<void> }> {
  return new Promise((ready, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, dir.path, "shared", String(worker), String(BATCHES), String(PER_BATCH)], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve, fail) =>
      child.on("exit", (code) => (code === 0 ? resolve() : fail(new Error(`worker ${worker} exited ${code}: ${stderr}`)))),
    );
    exited.catch(reject);
    child.stdout.once("data", () =>
      ready({
        go: () => {
          child.stdin.end("go\n");
          return exited;
        },
      }),
    );
  });
}

it("two processes appending to one project at once: every line whole, every span stored once", async () => {
  const file = join(dir.path, "projects", "shared", "spans.jsonl");
  const workers = await Promise.all([startWorker(1), startWorker(2)]);
  const writers = Promise.all(workers.map((w) => w.go()));
  // Meanwhile this process reads as a third party: it may meet a line being
  // written, but never an unreadable complete line.
  let done = false;
  void writers.finally(() => (done = true));
  let reads = 0;
  while (!done) {
    const read = await readLines(file);
    expect(read.skipped).toBe(0);
    reads++;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await writers;

  const text = readFileSync(file, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  const lines = text.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(2 * BATCHES * PER_BATCH);
  const names = lines.map((l) => (JSON.parse(l) as { name: string }).name);
  expect(new Set(names).size).toBe(names.length);
  // The two writers really overlapped: their batches alternate in the file.
  let switches = 0;
  for (let i = 1; i < names.length; i++) if (names[i]!.split("-")[0] !== names[i - 1]!.split("-")[0]) switches++;
  expect(switches).toBeGreaterThan(2);
  const spans = await readAllPages((cursor) => new LocalStore(dir.path).readSpans("shared", { limit: 1000, ...(cursor ? { cursor } : {}) }));
  expect(spans).toHaveLength(2 * BATCHES * PER_BATCH);
  expect(reads).toBeGreaterThan(0);
}, 60_000);
