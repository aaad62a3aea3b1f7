/**
 * @module
 * `/healthz` (the process answers) and `/readyz` (the store answers and logons can succeed). Neither needs
 * a session, and neither says more than a load balancer needs.
 */
import type { Hono } from "../deps/hono.ts";
import type { AppEnv } from "./_app_env.ts";
import { NO_ACCOUNTS_MESSAGE } from "./logon_routes.ts";
import type { ServerContext } from "./server_context.ts";

/** Register the health routes. */
export function healthRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", async (c) => {
    try {
      await context.inventory.listVolumes({ limit: 1 });
      if (await context.accounts.count() === 0) {
        return c.json({ status: "not_ready", reason: NO_ACCOUNTS_MESSAGE }, 503);
      }
    } catch (error) {
      context.logger.error("Readiness check failed", error);
      return c.json({ status: "not_ready", reason: "the inventory store does not answer" }, 503);
    }
    return c.json({ status: "ready" });
  });
}
