/**
 * @module
 * `readFlagFile`: the text of a file a command-line option names (a password file, a TLS certificate or
 * key), or a UsageError that says which one and why it cannot be read, never the contents.
 */
import { UsageError } from "./usage_error.ts";

/**
 * Read the file a flag names.
 * @param path the file, already resolved against the working directory
 * @param flag the option, for the error
 * @param what how the message names the file, e.g. `the password file` or `--tls-cert`
 * @throws {UsageError} the file cannot be read: `Cannot read WHAT "PATH": no such file` (or the error's name)
 */
export async function readFlagFile(path: string, flag: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Error
      ? error.name
      : "unreadable";
    throw new UsageError(flag, `Cannot read ${what} "${path}": ${reason}`);
  }
}
