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
import type { ServerContext } from "./server_context.ts";

/** Register the listing routes. */
export function listingRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get(`${API_PREFIX}/volumes`, requireRole(context, "read"), async (c) => {
    const query = validate(volumeQuerySchema, c.req.query(), "query");
    const customer = allowedCustomer(c.get("account"), query.customer);
    return c.json(await context.inventory.listVolumes({ ...query, customer }));
  });

  app.get(`${API_PREFIX}/history`, requireRole(context, "read"), async (c) => {
    const query = validate(historyQuerySchema, c.req.query(), "query");
    const customer = allowedCustomer(c.get("account"), query.customer);
    return c.json(await context.inventory.history({ ...query, customer }));
  });
}
