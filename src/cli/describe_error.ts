/**
 * @module
 * Turns an error that reached the CLI into the one line a user reads: the domain message with its location
 * prefix, and a line of advice where one helps. Never a stack trace.
 */
// The error classes come from their own files, not the folders' mod.ts: every command loads this module,
// and definition/mod.ts pulls in zod and yaml (measured: `tapesync version` 293 ms -> 111 ms).
import { DefinitionError } from "../definition/definition_error.ts";
import { AuthError } from "../inventory/auth_error.ts";
import { InventoryUnavailableError } from "../inventory/inventory_unavailable_error.ts";
import { InputRecordError } from "../source/input_record_error.ts";

/**
 * @param error what was thrown
 * @param internal true when it is not a domain error (prefixed "Internal error:")
 */
export function describeError(error: unknown, internal: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  if (internal) return `Internal error: ${message}`;
  if (error instanceof DefinitionError) {
    return `Error: ${message}\nFix the ${error.subject} and run again; nothing was read or written`;
  }
  if (error instanceof AuthError) {
    return `Error: ${message}\nCheck the user name and password (TAPESYNC_PASSWORD or --password-file)`;
  }
  if (error instanceof InventoryUnavailableError) {
    // A database file's message already says what to do about the file.
    if (error.file) return `Error: ${message}`;
    return `Error: ${message}\nCheck that the inventory server is running and reachable, then run again`;
  }
  if (error instanceof InputRecordError) return `Error: ${message}`;
  return `Error: ${message}`;
}
