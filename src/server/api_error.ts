/**
 * @module
 * The errors routes throw so that `onError` answers with a JSON body (status, stable code, message and
 * the field paths at fault) instead of a stack trace.
 */
import type { WireIssue } from "../inventory/http/mod.ts";

/** An answer other than success, with what the client needs to act on it. */
export class ApiError extends Error {
  override name = "ApiError";
  /**
   * @param status HTTP status
   * @param code stable machine-readable code, e.g. `bad_request`
   * @param message for people; never holds secrets, SQL or stack traces
   * @param issues the request fields at fault, e.g. `body.changes.0.volume`
   * @param headers extra response headers, e.g. `Retry-After`
   */
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 429 | 503,
    readonly code: string,
    message: string,
    readonly issues: WireIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
