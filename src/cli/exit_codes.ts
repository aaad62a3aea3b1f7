/**
 * @module
 * The exit-code table, an API for backup-job hooks. Never renumber a code.
 * Nothing below the CLI decides how the process ends.
 */
import { DefinitionError } from "../definition/mod.ts";
import { AuthError, InventoryUnavailableError } from "../inventory/mod.ts";
import { InputRecordError } from "../source/mod.ts";
import { UsageError } from "./usage_error.ts";

export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** The run finished but records failed under the policy, a guard refused the run, or alerts with --fail-on-alert. */
  RecordErrors: 1,
  /** Nothing was read or written: the command line, a config or a definition is wrong. */
  Usage: 2,
  /** The inventory could not be reached or refused the logon. */
  Unavailable: 3,
  /** Only with --detailed-exitcode: a dry run found changes. */
  ChangesPresent: 4,
  /** An unexpected error (a bug): one line, the stack only with --debug. */
  Internal: 70,
} as const;

/** Map an error that reached the CLI to its exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof DefinitionError) return ExitCode.Usage;
  if (error instanceof InventoryUnavailableError || error instanceof AuthError) return ExitCode.Unavailable;
  if (error instanceof InputRecordError) return ExitCode.RecordErrors;
  return ExitCode.Internal;
}
