import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

describe("phoenix-connector usage", () => {
  it("has --help on every command (exit 0) and exits 2 on bad usage, with no stack trace unless --verbose", async () => {
    const commands = ["compare", "export", "import", "detect", "doctor"];
    const [top, none, unknown, badFlag, verbose, ...helps] = await Promise.all([
      runCli(["--help"]),
      runCli([]),
      runCli(["frobnicate"]),
      runCli(["compare", "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "--colour"]),
      runCli(["compare", "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "--endpoint", "ftp://x", "--verbose"]),
      ...commands.map((command) => runCli([command, "--help"])),
    ]);
    expect(top.code).toBe(0);
    for (const command of commands) expect(top.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: phoenix-connector [options] [command]");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("error: unknown option '--colour'");
    helps.forEach((help, i) => {
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: phoenix-connector ${commands[i]} [options]`);
      expect(help.stdout).toContain("--endpoint <url>");
    });
    // A bad endpoint is bad usage; --verbose adds the stack trace.
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(/^phoenix-connector: The endpoint option must be http:\/\/, https:\/\/ or file:\/\/, not ftp:\/\/\.\n\S*Error.*\n\s+at /);
  });

  it("never prints the API key, even in an error about the endpoint", async () => {
    const key = "phx-secret-key-0042";
    const [flag, env] = await Promise.all([
      runCli(["compare", "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "--endpoint", "http://127.0.0.1:1", "--api-key", key, "--verbose"]),
      runCli(["doctor", "--verbose"], { PHOENIX_API_KEY: key, PHOENIX_COLLECTOR_ENDPOINT: "http://127.0.0.1:1" }),
    ]);
    expect(flag.code).toBe(1);
    expect(env.code).toBe(1);
    for (const run of [flag, env]) expect(run.stdout + run.stderr).not.toContain(key);
  });
});
