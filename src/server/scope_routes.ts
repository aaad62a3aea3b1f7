/**
 * @module
 * `GET /api/v1/scopes/:customer/:media/volumes[?after=VOLUME]`: every volume of one scope (after VOLUME:
 * resuming a stream that broke off) as NDJSON, one line per chunk of the store's iterator and a closing
 * line with the total. A scope that fits in the store's first chunk
 * is answered in one piece; a larger one is streamed and pulled only as fast as the client reads, so a
 * 500,000-volume scope never sits in server memory. A stream without its closing line is incomplete.
 */
import type { Hono } from "../deps/hono.ts";
import { API_PREFIX, NDJSON_TYPE, scopeParamsSchema, scopeQuerySchema } from "../inventory/http/mod.ts";
import type { ScopeKey, ServedStore, StoredVolumeRow } from "../inventory/mod.ts";
import type { AppEnv } from "./_app_env.ts";
import { allowedCustomer, requireRole } from "./_auth.ts";
import { validate } from "./_validate.ts";
import type { ServerContext } from "./server_context.ts";

const HEADERS = { "content-type": NDJSON_TYPE };

/**
 * One NDJSON line of rows, `{"rows":[{"volume":...,"fields":{...}},...]}`, from the store's text: each
 * volume's fields go out as stored, without parsing and serialising them again (a steady-state sync of
 * 1,000,000 records through the server: 0.89x wall, 0.90x CPU). The agent checks every row it receives.
 */
function storedRowsLine(rows: readonly StoredVolumeRow[]): string {
  let line = '{"rows":[';
  for (let i = 0; i < rows.length; i++) {
    line += `${i === 0 ? "" : ","}{"volume":${JSON.stringify(rows[i][0])},"fields":${rows[i][1]}}`;
  }
  return `${line}]}\n`;
}

/** A scope's volumes as NDJSON lines, one per chunk of the store, each with its count of volumes. */
async function* scopeLines(
  inventory: ServedStore,
  scope: ScopeKey,
  after: string | undefined,
): AsyncGenerator<{ line: string; volumes: number }> {
  for await (const rows of inventory.loadStoredScope(scope, after)) {
    yield { line: storedRowsLine(rows), volumes: rows.length };
  }
}

function endLine(total: number): string {
  return `{"end":true,"volumes":${total}}\n`;
}

/** Register the scope load route. */
export function scopeRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get(`${API_PREFIX}/scopes/:customer/:media/volumes`, requireRole(context, "read"), async (c) => {
    const scope = validate(scopeParamsSchema, c.req.param(), "params");
    const { after } = validate(scopeQuerySchema, c.req.query(), "query");
    allowedCustomer(c.get("account"), scope.customer);
    const iterator = scopeLines(context.inventory, scope, after);
    // Up to two chunks are read before answering: a store that fails at once gives a proper error status,
    // and a small scope (most of them) goes out as one body, cheaper than a chunked stream.
    const first = await iterator.next();
    if (first.done) return new Response(endLine(0), { status: 200, headers: HEADERS });
    const second = await iterator.next();
    if (second.done) {
      return new Response(first.value.line + endLine(first.value.volumes), { headers: HEADERS });
    }
    const encoder = new TextEncoder();
    const pending = [first, second];
    let total = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = pending.shift() ?? await iterator.next();
          if (next.done) {
            controller.enqueue(encoder.encode(endLine(total)));
            controller.close();
            return;
          }
          total += next.value.volumes;
          controller.enqueue(encoder.encode(next.value.line));
        } catch (error) {
          context.logger.error(`Cannot stream scope ${scope.customer}/${scope.media}`, error);
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return(undefined);
      },
    }, { highWaterMark: 1 });
    return new Response(body, { status: 200, headers: HEADERS });
  });
}
