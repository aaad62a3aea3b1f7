/**
 * @module
 * `createApp`: the Hono app of `tapesync serve`. It logs every request, answers every failure with a JSON
 * error body (never a stack trace or SQL), and wires the logon, scope, batch, listing and health routes
 * over one store (`ServedStore`: an `Inventory` that also gives its scopes as stored text) and one
 * `AccountStore`.
 */
import { Hono, HTTPException } from "../deps/hono.ts";
import type { ServedStore } from "../inventory/mod.ts";
import { InventoryUnavailableError } from "../inventory/mod.ts";
import type { ErrorBody } from "../inventory/http/mod.ts";
import type { AccountStore } from "./account_store.ts";
import type { AppEnv } from "./_app_env.ts";
import { ApiError } from "./api_error.ts";
import { batchRoutes } from "./batch_routes.ts";
import { healthRoutes } from "./health_routes.ts";
import { listingRoutes } from "./listing_routes.ts";
import { LogonThrottle } from "./logon_throttle.ts";
import type { LogonThrottleOptions } from "./logon_throttle.ts";
import { logonRoutes } from "./logon_routes.ts";
import { DEFAULT_ITERATIONS } from "./password_hash.ts";
import { scopeRoutes } from "./scope_routes.ts";
import type { Clock, ServerContext, ServerLogger } from "./server_context.ts";

/** Options of `createApp`; only the logger is required. */
export interface AppOptions {
  /** Receives one entry per request and the detail of unexpected failures. */
  logger: ServerLogger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Largest request body accepted. Default 32 MiB (a batch of 50,000 changes fits). */
  maxBodyBytes?: number;
  /** Lifetime of a session token. Default one hour. */
  sessionTtlMs?: number;
  throttle?: LogonThrottleOptions;
  /** PBKDF2 iterations of the stand-in hash checked for unknown users; match the accounts'. Default 600,000. */
  passwordIterations?: number;
}

/** The app type, for callers that type `app.fetch`. */
export type ServerApp = Hono<AppEnv>;

function errorBody(code: string, message: string, issues?: ErrorBody["error"]["issues"]): ErrorBody {
  return {
    error: issues === undefined || issues.length === 0 ? { code, message } : { code, message, issues },
  };
}

/**
 * Build the inventory server app.
 * @param inventory the store the routes read and write
 * @param accounts accounts, sessions and failed-logon counters
 * @param options logger, clock and limits
 * @returns a Hono app; serve it with `Deno.serve((req, info) => app.fetch(req, { remoteAddress }))`
 * @example
 * ```ts
 * const app = createApp(openSqliteInventory("inv.db"), new SqliteAccountStore("inv.db"), { logger });
 * const res = await app.request("/healthz");
 * ```
 */
export function createApp(inventory: ServedStore, accounts: AccountStore, options: AppOptions): ServerApp {
  const clock = options.clock ?? { now: () => Date.now() };
  const context: ServerContext = {
    inventory,
    accounts,
    clock,
    logger: options.logger,
    throttle: new LogonThrottle(accounts, options.throttle),
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    sessionTtlMs: options.sessionTtlMs ?? 60 * 60_000,
    passwordIterations: options.passwordIterations ?? DEFAULT_ITERATIONS,
  };
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    options.logger.request({
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      address: c.env?.remoteAddress ?? "unknown",
      user: c.get("account")?.name,
    });
  });

  logonRoutes(app, context);
  scopeRoutes(app, context);
  batchRoutes(app, context);
  listingRoutes(app, context);
  healthRoutes(app, context);

  app.notFound((c) =>
    c.json(errorBody("not_found", `Cannot find "${c.req.method} ${c.req.path}": no such route`), 404)
  );

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(errorBody(error.code, error.message, error.issues), error.status);
    }
    if (error instanceof InventoryUnavailableError) {
      options.logger.error(`Cannot serve "${c.req.method} ${c.req.path}"`, error);
      return c.json(errorBody("unavailable", "The inventory store is unavailable; try again later"), 503);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(errorBody("bad_request", "Cannot accept the request"), error.status);
    }
    options.logger.error(`Cannot serve "${c.req.method} ${c.req.path}"`, error);
    return c.json(
      errorBody("internal", "The server could not complete the request; the detail is in the server log"),
      500,
    );
  });

  return app;
}
