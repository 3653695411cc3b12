import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = join(ROOT, "src", "cli", "main.ts");
const TSX = import.meta.resolve("tsx");
const NO_NETWORK = join(ROOT, "test", "connector", "fixtures", "no-network.cjs");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `phoenix-connector ARGS` as a child process (the TypeScript entry
 * point through tsx), with no PHOENIX_* variable but the given ones, and
 * every connection other than to loopback refused.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PHOENIX_") && !k.startsWith("OTEL_")));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--require", NO_NETWORK, "--import", TSX, MAIN, ...args], {
      cwd,
      env: { ...clean, PHOENIX_DISCOVER_CONFIG: "false", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", fail);
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}

/** How the reader of a pipe goes away: before the command writes anything, or after its first line (`| head -1`). */
export type EarlyClose = "at-once" | "after-first-line";

/**
 * Runs the CLI like {@link runCli}, with the reading end of its stdout (or
 * stderr) pipe closed early, as `phoenix-connector … | head -1` does: the
 * command's next write to it fails with EPIPE. What the other stream carried
 * is returned.
 */
export function runCliWithClosedPipe(
  args: readonly string[],
  close: { stream: "stdout" | "stderr"; when: EarlyClose },
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PHOENIX_") && !k.startsWith("OTEL_")));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--require", NO_NETWORK, "--import", TSX, MAIN, ...args], {
      cwd,
      env: { ...clean, PHOENIX_DISCOVER_CONFIG: "false", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const closing = close.stream === "stdout" ? child.stdout : child.stderr;
    if (close.when === "at-once") closing.destroy();
    else {
      let seen = "";
      closing.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes("\n")) closing.destroy();
      });
    }
    if (close.stream !== "stdout") child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    else if (close.when === "after-first-line") child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    if (close.stream !== "stderr") child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    else if (close.when === "after-first-line") child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", fail);
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}
