/**
 * @module
 * A wrong command line: unknown flag, missing argument, bad value. Exit code 2.
 */

/** The command line is wrong. `flag` names the option or argument concerned. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(readonly flag: string, message: string) {
    super(message);
  }
}
