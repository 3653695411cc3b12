/** A command used wrongly (a flag combination, a missing value): exit code 2 with the message and a pointer to --help. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}
