/**
 * @module
 * The error for a job input that cannot be read: no file matches the glob, or the input command could not
 * start, failed, or ran past its timeout.
 */

/** A job's input is unusable. `input` names it (a path, a pattern or the command's program). */
export class JobInputError extends Error {
  override name = "JobInputError";
  /**
   * @param input the path, glob or command program
   * @param problem what went wrong, in message style
   * @param exitCode the command's exit code, when it ran
   */
  constructor(
    readonly input: string,
    readonly problem: string,
    readonly exitCode?: number,
    options?: ErrorOptions,
  ) {
    super(`Cannot read job input "${input}": ${problem}`, options);
  }
}
