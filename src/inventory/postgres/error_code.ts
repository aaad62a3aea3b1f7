/**
 * @module
 * The code of a PostgreSQL failure: the SQLSTATE the server sent, or the client's code for a connection
 * failure.
 */

/** The SQLSTATE or client error code of a failure, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
