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
