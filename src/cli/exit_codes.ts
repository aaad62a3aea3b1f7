/**
 * @module
 * The exit-code table, an API for backup-job hooks. Never renumber a code. 75 is sysexits' EX_TEMPFAIL
 * ("try again later"), for a run skipped because its job's lock is held.
 * Nothing below the CLI decides how the process ends.
 */
// The error classes come from their own files, not the folders' mod.ts: every command loads this module,
// and definition/mod.ts pulls in zod and yaml (measured: `tapesync version` 293 ms -> 111 ms).
import { DefinitionError } from "../definition/definition_error.ts";
import { AuthError } from "../inventory/auth_error.ts";
import { InventoryUnavailableError } from "../inventory/inventory_unavailable_error.ts";
import { InputRecordError } from "../source/input_record_error.ts";
import { LockBusyError } from "../agent/lock_busy_error.ts";
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
  /** Another run of the same job holds its lock (hook run while the scheduled run works); nothing was done. */
  Busy: 75,
  /** An unexpected error (a bug): one line, the stack only with --debug. */
  Internal: 70,
} as const;

/** Map an error that reached the CLI to its exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof DefinitionError) return ExitCode.Usage;
  if (error instanceof InventoryUnavailableError || error instanceof AuthError) return ExitCode.Unavailable;
  if (error instanceof InputRecordError) return ExitCode.RecordErrors;
  if (error instanceof LockBusyError) return ExitCode.Busy;
  return ExitCode.Internal;
}
