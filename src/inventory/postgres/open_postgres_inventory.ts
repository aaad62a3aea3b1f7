/**
 * @module
 * `openPostgresInventory()`: connects to PostgreSQL, checks (or with `migrate`, brings up to date) the
 * schema, and returns the database as an `Inventory`; `connectPostgres()` gives the same connection
 * settings to other users of the database (the server's account store).
 */
import { postgres } from "../../deps/postgres.ts";
import type { Sql } from "../../deps/postgres.ts";
import { InventoryUnavailableError } from "../inventory_unavailable_error.ts";
import { migratePostgres, POSTGRES_SCHEMA_VERSION, readPostgresSchemaVersion } from "./migrations.ts";
import { describePostgresError, type PostgresClock, PostgresInventory } from "./postgres_inventory.ts";

/** How to reach the database; every field but the URL is optional. */
export interface PostgresConnectOptions {
  /** Password; overrides one in the URL. Default: the URL's, else none (trust, peer or a `.pgpass`). */
  password?: string;
  /** Schema holding the tables (its own `search_path`), e.g. one per test. Default: the server's default. */
  schema?: string;
  /** Most connections of the pool. Default 10. */
  maxConnections?: number;
  /** Called once per statement sent to the server (metrics, and tests that count round trips). */
  onStatement?: (text: string) => void;
}

/** Options of {@link openPostgresInventory}. */
export interface PostgresInventoryOptions extends PostgresConnectOptions {
  /** Apply missing migrations before use (`tapesync serve --migrate`). Default false: refuse an old schema. */
  migrate?: boolean;
  /** Refuse batches. Default false. */
  readOnly?: boolean;
  /** Time source for `updatedAt` and audit times. Default the system clock. */
  clock?: PostgresClock;
}

/** A pool and the URL to show for it. */
export interface PostgresConnection {
  sql: Sql;
  /** The URL without userinfo or query. */
  location: string;
}

/**
 * The URL of a database without user name, password or query, safe for messages and logs.
 * @param url `postgres://user:password@host:port/db`
 * @throws {TypeError} not a `postgres://` or `postgresql://` URL
 */
export function postgresLocation(url: string): string {
  const parsed = parsePostgresUrl(url);
  return `postgres://${parsed.host}${parsed.pathname}`;
}

function parsePostgresUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError("Cannot use the database URL: expected postgres://user@host:port/database");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new TypeError(
      `Cannot use the database URL with "${parsed.protocol}": expected postgres://user@host:port/database`,
    );
  }
  return parsed;
}

/**
 * Open a connection pool (connections are made on first use).
 * @param url `postgres://user[:password]@host[:port]/database`
 * @param options password, schema, pool size
 * @returns the pool and its printable location
 * @throws {TypeError} a malformed URL
 */
export function connectPostgres(url: string, options: PostgresConnectOptions = {}): PostgresConnection {
  const location = postgresLocation(url);
  const connection: Record<string, string> = { application_name: "tapesync" };
  if (options.schema !== undefined) connection.search_path = options.schema;
  const sql = postgres(url, {
    ...(options.password === undefined ? {} : { password: options.password }),
    max: options.maxConnections ?? 10,
    connect_timeout: 10,
    onnotice: () => {},
    connection,
    ...(options.onStatement === undefined
      ? {}
      : { debug: (_: number, text: string) => options.onStatement?.(text) }),
  });
  return { sql, location };
}

/**
 * Open the inventory in a PostgreSQL database.
 * @param url `postgres://user[:password]@host[:port]/database`; without userinfo it is the `location`
 * @param options password, schema, migrate, read-only, clock
 * @returns the inventory; close it when done
 * @throws {InventoryUnavailableError} the database cannot be reached, refuses the logon, holds no
 * schema (without `migrate`), an older one (without `migrate`) or a newer one
 * @example
 * ```ts
 * const inventory = await openPostgresInventory("postgres://tapesync@db:5432/tapesync", { migrate: true });
 * try {
 *   for await (const rows of inventory.loadScope({ customer: "ACME", media: "LTO7" })) console.log(rows.length);
 * } finally {
 *   await inventory.close();
 * }
 * ```
 */
export async function openPostgresInventory(
  url: string,
  options: PostgresInventoryOptions = {},
): Promise<PostgresInventory> {
  const { sql, location } = connectPostgres(url, options);
  const clock = options.clock ?? { now: () => Date.now() };
  try {
    let version: number;
    try {
      if (options.migrate === true) await migratePostgres(sql, clock.now());
      version = await readPostgresSchemaVersion(sql);
    } catch (error) {
      if (error instanceof RangeError) throw unavailable(location, error.message, error);
      throw unavailable(location, describePostgresError(error), error);
    }
    if (version === 0) {
      throw unavailable(location, "the database holds no tapesync inventory yet: start once with --migrate");
    }
    if (version < POSTGRES_SCHEMA_VERSION) {
      throw unavailable(
        location,
        `the database has schema version ${version} and this tapesync needs ${POSTGRES_SCHEMA_VERSION}: start once with --migrate`,
      );
    }
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw unavailable(
        location,
        `the database has schema version ${version} but this tapesync knows up to ${POSTGRES_SCHEMA_VERSION}: upgrade tapesync`,
      );
    }
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  return new PostgresInventory(sql, location, options.readOnly ?? false, clock);
}

function unavailable(location: string, detail: string, cause?: unknown): InventoryUnavailableError {
  return new InventoryUnavailableError(location, 1, detail, cause === undefined ? undefined : { cause });
}
