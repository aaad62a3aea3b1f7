/**
 * @module
 * The Hono environment of the server app: what `Deno.serve` passes in and what middleware sets per request.
 */
import type { Account } from "./account_store.ts";

/** Passed by the caller of `app.fetch` (the serve command gives the peer address). */
export interface ServerBindings {
  remoteAddress?: string;
}

export interface AppEnv {
  Bindings: ServerBindings;
  Variables: { account: Account };
}
