/**
 * @module
 * `PUT /api/v1/batches/:batchId`: apply one batch of changes atomically. The batch ID is the idempotency
 * key: the store answers a repeat with the first result (`replayed: true`) and writes nothing, so a client
 * that lost the answer to a timeout can send the batch again safely.
 */
import type { Hono } from "../deps/hono.ts";
import { API_PREFIX, batchBodySchema, batchParamsSchema, checkBatchBody } from "../inventory/http/mod.ts";
import type { AppEnv } from "./_app_env.ts";
import { allowedCustomer, requireRole } from "./_auth.ts";
import { readJson } from "./_read_json.ts";
import { validate } from "./_validate.ts";
import type { ServerContext } from "./server_context.ts";

/** Register the batch route. */
export function batchRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.put(`${API_PREFIX}/batches/:batchId`, requireRole(context, "sync"), async (c) => {
    const { batchId } = validate(batchParamsSchema, c.req.param(), "params");
    const raw = await readJson(c.req.raw, context.maxBodyBytes);
    const body = checkBatchBody(raw) ?? validate(batchBodySchema, raw, "body");
    allowedCustomer(c.get("account"), body.customer);
    const result = await context.inventory.applyBatch({ id: batchId, ...body });
    return c.json(result);
  });
}
