/**
 * @module
 * Request validation: a zod schema applied to a body, query or path parameters, its issues turned into
 * `ApiError(400)` with paths such as `body.changes.0.volume` or `params.customer`.
 */
import type { ZodType } from "../deps/zod.ts";
import type { WireIssue } from "../inventory/http/mod.ts";
import { ApiError } from "./api_error.ts";

/** Where a value came from; the first segment of every issue path. */
export type RequestPart = "body" | "query" | "params";

/**
 * Validate one part of a request.
 * @throws {ApiError} 400 naming every field at fault
 */
export function validate<T>(schema: ZodType<T>, value: unknown, part: RequestPart): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: WireIssue[] = [];
  for (const issue of result.error.issues) {
    const path = [part, ...issue.path.map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) issues.push({ path: `${path}.${key}`, message: "is not a known field" });
    } else {
      issues.push({ path, message: issue.message });
    }
  }
  const first = issues[0];
  throw new ApiError(400, "bad_request", `Cannot accept the request: ${first.path} ${first.message}`, issues);
}
