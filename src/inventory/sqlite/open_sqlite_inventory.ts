/**
 * @module
 * `openSqliteInventory()`: opens (and creates or migrates when writable) the SQLite file of the
 * embedded inventory and returns it as an `Inventory`.
 */
import { openDatabase } from "./_open_database.ts";
import { SqliteInventory, type StoreClock } from "./sqlite_inventory.ts";

/** Options of {@link openSqliteInventory}; every field is optional. */
export interface SqliteInventoryOptions {
  /**
   * Open for reading only: SQLite itself refuses writes, the file must exist, and it is left
   * byte-identical. Default false.
   */
  readOnly?: boolean;
  /** How long to wait for another process's write transaction before failing. Default 10,000 ms. */
  busyTimeoutMs?: number;
  /** Time source for `updatedAt` and audit times. Default the system clock. */
  clock?: StoreClock;
}

const DEFAULTS = { readOnly: false, busyTimeoutMs: 10_000, clock: { now: () => Date.now() } };

/**
 * Open the embedded inventory in an SQLite file. A writable open creates a missing file, migrates an
 * older schema and uses WAL; a read-only open needs an existing, current file.
 * @param path the database file; also the inventory's `location`
 * @param options read-only, busy timeout, clock
 * @returns the inventory; close it when done
 * @throws {InventoryUnavailableError} the file is missing (read-only), unreadable, corrupt, another
 * program's database, or of a newer schema
 * @example
 * ```ts
 * const inventory = openSqliteInventory("inventory.db");
 * try {
 *   for await (const rows of inventory.loadScope({ customer: "ACME", media: "LTO7" })) console.log(rows.length);
 * } finally {
 *   await inventory.close();
 * }
 * ```
 */
export function openSqliteInventory(path: string, options: SqliteInventoryOptions = {}): SqliteInventory {
  const readOnly = options.readOnly ?? DEFAULTS.readOnly;
  const clock = options.clock ?? DEFAULTS.clock;
  const db = openDatabase(path, {
    readOnly,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULTS.busyTimeoutMs,
    now: clock.now(),
  });
  return new SqliteInventory(db, path, readOnly, clock);
}
