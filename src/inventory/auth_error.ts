/**
 * @module
 * Raised when the inventory refuses a logon or a call for lack of rights; the CLI maps it to exit code 3.
 */

/** The server refused the credentials or the account lacks the right. Never carries a password or token. */
export class AuthError extends Error {
  override name = "AuthError";
  constructor(readonly server: string, readonly user: string, detail = "the server refused the credentials") {
    super(`Cannot log on to "${server}" as "${user}": ${detail}`);
  }
}
