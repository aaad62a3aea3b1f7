/**
 * @module
 * The inventory: the `Inventory` interface, its model types and errors. Stores live in `sqlite/` and
 * `http/` and are imported from there by whoever composes them (the CLI, the server).
 */
export type { Inventory, ServedStore, StoredScopeSource } from "./inventory.ts";
export type * from "./model.ts";
export { abortableSleep } from "./abortable_sleep.ts";
export { AuthError } from "./auth_error.ts";
export { InventoryUnavailableError } from "./inventory_unavailable_error.ts";
