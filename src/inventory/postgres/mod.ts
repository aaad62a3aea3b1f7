/**
 * @module
 * The inventory in PostgreSQL, for a `tapesync serve` that several instances share: `openPostgresInventory`
 * (connect, check or migrate the schema), `PostgresInventory`, `connectPostgres` for the server's account
 * store on the same database, and the migrations.
 *
 * @example
 * ```ts
 * const inventory = await openPostgresInventory("postgres://tapesync@db/tapesync", { migrate: true });
 * await inventory.applyBatch({ id: "b1", runId: "r1", customer: "ACME", media: "LTO7", changes: [] });
 * await inventory.close();
 * ```
 */
export { connectPostgres, openPostgresInventory, postgresLocation } from "./open_postgres_inventory.ts";
export type {
  PostgresConnection,
  PostgresConnectOptions,
  PostgresInventoryOptions,
} from "./open_postgres_inventory.ts";
export { errorCode } from "./error_code.ts";
export { describePostgresError, POSTGRES_SCOPE_CHUNK_ROWS, PostgresInventory } from "./postgres_inventory.ts";
export type { PostgresClock } from "./postgres_inventory.ts";
export {
  migratePostgres,
  MIGRATION_LOCK,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
  readPostgresSchemaVersion,
} from "./migrations.ts";
export type { PostgresMigration } from "./migrations.ts";
