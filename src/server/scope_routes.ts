/**
 * @module
 * `GET /api/v1/scopes/:customer/:media/volumes`: every volume of one scope as NDJSON, one line per chunk
 * of the store's iterator and a closing line with the total, pulled only as fast as the client reads,
 * so a 500,000-volume scope never sits in server memory. A stream without its closing line is incomplete.
 */
import type { Hono } from "../deps/hono.ts";
import { API_PREFIX, NDJSON_TYPE, scopeParamsSchema } from "../inventory/http/mod.ts";
import type { VolumeRow } from "../inventory/mod.ts";
import type { AppEnv } from "./_app_env.ts";
import { allowedCustomer, requireRole } from "./_auth.ts";
import { validate } from "./_validate.ts";
import type { ServerContext } from "./server_context.ts";

/** Register the scope load route. */
export function scopeRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get(`${API_PREFIX}/scopes/:customer/:media/volumes`, requireRole(context, "read"), async (c) => {
    const scope = validate(scopeParamsSchema, c.req.param(), "params");
    allowedCustomer(c.get("account"), scope.customer);
    const iterator = context.inventory.loadScope(scope)[Symbol.asyncIterator]();
    // The first chunk is read before answering, so a store that fails at once gives a proper error status.
    const first = await iterator.next();
    const encoder = new TextEncoder();
    let pending: IteratorResult<VolumeRow[]> | undefined = first;
    let total = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = pending ?? await iterator.next();
          pending = undefined;
          if (next.done) {
            controller.enqueue(encoder.encode(`{"end":true,"volumes":${total}}\n`));
            controller.close();
            return;
          }
          total += next.value.length;
          controller.enqueue(encoder.encode(`${JSON.stringify({ rows: next.value })}\n`));
        } catch (error) {
          context.logger.error(`Cannot stream scope ${scope.customer}/${scope.media}`, error);
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    }, { highWaterMark: 1 });
    return new Response(body, { status: 200, headers: { "content-type": NDJSON_TYPE } });
  });
}
