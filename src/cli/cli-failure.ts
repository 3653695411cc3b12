/** A command that could not do what was asked (not a usage mistake): exit code 1 with the message. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliFailure";
  }
}
