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

export function processOutput(): CliOutput {
  const secrets: string[] = [];
  const clean = (text: string) => secrets.reduce((t, secret) => t.split(secret).join(REDACTED), text);
  return {
    out: (text) => void process.stdout.write(clean(text)),
    err: (text) => void process.stderr.write(clean(text)),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    progressStream: process.stderr,
    addSecret(value) {
      // Short values would blank out ordinary words.
      if (value && value.length >= 4 && !secrets.includes(value)) secrets.push(value);
    },
  };
}
