/**
 * @module
 * The inventory server of `tapesync serve`: `createApp` (the Hono app over one `Inventory`), the
 * `AccountStore` interface with its SQLite implementation, and password hashing for `tapesync users`.
 *
 * @example
 * ```ts
 * const app = createApp(inventory, new SqliteAccountStore("inventory.db"), { logger });
 * Deno.serve({ port: 8700 }, (req, info) => app.fetch(req, { remoteAddress: info.remoteAddr.hostname }));
 * ```
 */
export { createApp } from "./create_app.ts";
export type { AppOptions, ServerApp } from "./create_app.ts";
export type { Account, AccountStore, FailureCount, Session, StoredAccount } from "./account_store.ts";
export { SqliteAccountStore } from "./sqlite_account_store.ts";
export { PostgresAccountStore } from "./postgres_account_store.ts";
export { DEFAULT_ITERATIONS, hashPassword, verifyPassword } from "./password_hash.ts";
export { LogonThrottle } from "./logon_throttle.ts";
export type { LogonThrottleOptions } from "./logon_throttle.ts";
export { NO_ACCOUNTS_MESSAGE } from "./logon_routes.ts";
export type { Clock, RequestLogEntry, ServerLogger } from "./server_context.ts";
export { ApiError } from "./api_error.ts";
