/**
 * @module
 * The error of a command used as the source: it could not start, exited with a non-zero code, was ended
 * by a signal, or ran past its timeout. An `InputRecordError`, so a run stops on it without applying a
 * partial input; it names the program only (never its arguments or environment, which may hold secrets).
 */
import { InputRecordError } from "./input_record_error.ts";

/** Why a source command failed. */
export type CommandFailure =
  | { kind: "start"; reason: string }
  | { kind: "exit"; code: number }
  | { kind: "signal"; signal: string }
  | { kind: "timeout"; seconds: number };

function describe(command: string, failure: CommandFailure, stderr: readonly string[]): string {
  const what = failure.kind === "start"
    ? `Cannot run command "${command}": ${failure.reason}`
    : `Cannot read the output of command "${command}": ${
      failure.kind === "exit"
        ? `it exited with code ${failure.code}`
        : failure.kind === "signal"
        ? `it was ended by signal ${failure.signal}`
        : `it did not finish within ${failure.seconds} s and was stopped`
    }`;
  return stderr.length === 0 ? what : `${what}; its last error output: ${stderr.join(" | ")}`;
}

/** A command used as the source failed; the records read from it must not be applied. */
export class SourceCommandError extends InputRecordError {
  override name = "SourceCommandError";
  /**
   * @param command the program name (never its arguments)
   * @param failure what went wrong
   * @param stderr the last lines the command wrote to stderr
   * @param line the output line where reading stopped (lines read + 1)
   */
  constructor(
    readonly command: string,
    readonly failure: CommandFailure,
    readonly stderr: readonly string[],
    line: number,
    options?: ErrorOptions,
  ) {
    super(command, line, "", describe(command, failure, stderr), options);
  }

  /** The exit code, or null when the command did not exit by itself. */
  get exitCode(): number | null {
    return this.failure.kind === "exit" ? this.failure.code : null;
  }
}
