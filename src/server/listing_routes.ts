/**
 * @module
 * `GET /api/v1/volumes` and `GET /api/v1/history`: listings with filters and cursor paging, limited to
 * the customers the account may see.
 */
import type { Hono } from "../deps/hono.ts";
import { API_PREFIX, historyQuerySchema, volumeQuerySchema } from "../inventory/http/mod.ts";
import type { AppEnv } from "./_app_env.ts";
import { allowedCustomer, requireRole } from "./_auth.ts";
import { validate } from "./_validate.ts";
import { ApiError } from "./api_error.ts";
import type { ServerContext } from "./server_context.ts";

/**
 * Run a listing; a RangeError of the store means a cursor it did not issue (the limit is checked before).
 * @throws {ApiError} 400 on `query.after`
 */
async function page<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const message = 'must be the "next" cursor of a previous page';
    throw new ApiError(400, "bad_request", `Cannot accept the request: query.after ${message}`, [
      { path: "query.after", message },
    ]);
  }
}

/** Register the listing routes. */
export function listingRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get(`${API_PREFIX}/volumes`, requireRole(context, "read"), async (c) => {
    const query = validate(volumeQuerySchema, c.req.query(), "query");
    const customer = allowedCustomer(c.get("account"), query.customer);
    return c.json(await page(() => context.inventory.listVolumes({ ...query, customer })));
  });

  app.get(`${API_PREFIX}/history`, requireRole(context, "read"), async (c) => {
    const query = validate(historyQuerySchema, c.req.query(), "query");
    const customer = allowedCustomer(c.get("account"), query.customer);
    return c.json(await page(() => context.inventory.history({ ...query, customer })));
  });
}
