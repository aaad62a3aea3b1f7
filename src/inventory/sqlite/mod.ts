/**
 * @module
 * The embedded inventory: an SQLite file through `node:sqlite`, with a versioned schema, WAL, audit
 * rows and idempotent batches. Open it with `openSqliteInventory(path)`.
 */
export { openSqliteInventory } from "./open_sqlite_inventory.ts";
export type { SqliteInventoryOptions } from "./open_sqlite_inventory.ts";
export { SCOPE_CHUNK_ROWS, SqliteInventory } from "./sqlite_inventory.ts";
export type { StoreClock } from "./sqlite_inventory.ts";
export { APPLICATION_ID, migrate, MIGRATIONS, readSchemaVersion, SCHEMA_VERSION } from "./migrations.ts";
export type { Migration } from "./migrations.ts";
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "../page_cursor.ts";
