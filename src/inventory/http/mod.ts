/**
 * @module
 * The inventory over HTTP: the wire schemas of the server's API (version 1) and `HttpInventory`, the
 * client that implements `Inventory` against `tapesync serve`.
 *
 * @example
 * ```ts
 * const inventory = new HttpInventory({ url: "https://inv.example.net:8700", user: "agent", password });
 * await inventory.logon();
 * for await (const rows of inventory.loadScope({ customer: "ACME", media: "LTO" })) console.log(rows.length);
 * ```
 */
export * from "./wire_schemas.ts";
export { checkBatchBody, checkScopeLine } from "./fast_check.ts";
export { HttpInventory } from "./http_inventory.ts";
export { serverLocation } from "./server_location.ts";
export type { HttpInventoryOptions } from "./http_inventory.ts";
export { backoffDelay, fullRetryPolicy } from "./retry_policy.ts";
export type { FullRetryPolicy, RetryPolicy } from "./retry_policy.ts";
