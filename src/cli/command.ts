/**
 * @module
 * The shape of one CLI command. Each command lives in `commands/<name>.ts` and is imported only when it
 * runs, so `tapesync version` does not pay for the server's or agent's dependencies.
 */
import type { CliIo } from "./cli_io.ts";

export interface Command {
  name: string;
  /** One line for `tapesync --help`. */
  summary: string;
  /** Full help text for `tapesync <command> --help`. */
  help: string;
  /**
   * Run the command.
   * @returns the exit code (see exit_codes.ts)
   * @throws {UsageError} and the domain errors of STYLE.md section 4; the CLI maps them to exit codes
   */
  run(args: string[], io: CliIo): Promise<number>;
}
