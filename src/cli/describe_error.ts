/**
 * @module
 * Turns an error that reached the CLI into the one line a user reads: the domain message with its location
 * prefix, and a line of advice where one helps. Never a stack trace.
 */
import { DefinitionError } from "../definition/mod.ts";
import { AuthError, InventoryUnavailableError } from "../inventory/mod.ts";
import { InputRecordError } from "../source/mod.ts";

/**
 * @param error what was thrown
 * @param internal true when it is not a domain error (prefixed "Internal error:")
 */
export function describeError(error: unknown, internal: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  if (internal) return `Internal error: ${message}`;
  if (error instanceof DefinitionError) return `Error: ${message}\nFix the definition and run again; nothing was read or written`;
  if (error instanceof AuthError) return `Error: ${message}\nCheck the user name and password (TAPESYNC_PASSWORD or --password-file)`;
  if (error instanceof InventoryUnavailableError) return `Error: ${message}\nCheck that the inventory server is running and reachable, then run again`;
  if (error instanceof InputRecordError) return `Error: ${message}`;
  return `Error: ${message}`;
}
