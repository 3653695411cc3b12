/**
 * The CLI's one way to the terminal: everything it prints goes through here
 * (library code logs only through the OpenTelemetry `diag` API, which the
 * CLI routes here too). Secrets the CLI was given are replaced before any
 * text leaves, whatever wrote it.
 */
export interface CliOutput {
  /** Results: tables, JSON, the verdict. */
  out(text: string): void;
  /** Progress, warnings and errors. */
  err(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** The stream progress bars draw on (stderr); they show counts only, never a configured value. */
  readonly progressStream: NodeJS.WritableStream;
  /** Never print this value (an API key given on the command line or in the environment). */
  addSecret(value: string | undefined): void;
}

const REDACTED = "[redacted]";

/**
 * stdout and stderr of this process. A reader that stops early
 * (`phoenix-connector export -o - | head -1`) closes the pipe: the next
 * write fails with EPIPE, which would otherwise crash the process with a
 * stack trace. A closed stdout ends the command at once, quietly, with 0 (the
 * reader has what it wanted; nothing more can reach it); a closed stderr only
 * silences diagnostics, and the command carries on to its own exit code.
 */
export function processOutput(): CliOutput {
  const secrets: string[] = [];
  const clean = (text: string) => secrets.reduce((t, secret) => t.split(secret).join(REDACTED), text);
  let stderrOpen = true;
  process.stdout.on("error", (error: Error) => {
    if (isClosedPipe(error)) process.exit(0);
    // Any other failure to write results (a full disk under a redirect) is a failure, said in one line.
    if (stderrOpen) process.stderr.write(`phoenix-connector: cannot write to stdout: ${error.message}\n`);
    process.exit(1);
  });
  process.stderr.on("error", () => {
    stderrOpen = false;
  });
  return {
    out: (text) => void process.stdout.write(clean(text)),
    err: (text) => {
      if (stderrOpen) process.stderr.write(clean(text));
    },
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    progressStream: process.stderr,
    addSecret(value) {
      // Short values would blank out ordinary words.
      if (value && value.length >= 4 && !secrets.includes(value)) secrets.push(value);
    },
  };
}

/** The error a write to a pipe whose reader has gone away fails with (or any later write to that stream). */
export function isClosedPipe(error: unknown): boolean {
  for (let current = error, depth = 0; current !== null && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === "EPIPE" || code === "ERR_STREAM_DESTROYED") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
