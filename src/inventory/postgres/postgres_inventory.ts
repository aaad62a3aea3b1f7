/**
 * @module
 * `PostgresInventory`: the inventory in a PostgreSQL database, opened by `openPostgresInventory()`. Scope
 * loads take one query, and stream through a server-side cursor beyond its first chunk; each batch is one
 * transaction; several processes (server instances) may share one database, since every piece of state
 * lives in it.
 */
import type { Sql } from "../../deps/postgres.ts";
import { type Inventory, parseStoredRows, type StoredScopeSource } from "../inventory.ts";
import type {
  BatchResult,
  ChangeBatch,
  HistoryPage,
  HistoryQuery,
  ScopeKey,
  StoredVolumeRow,
  VolumePage,
  VolumeQuery,
  VolumeRow,
} from "../model.ts";
import { InventoryUnavailableError } from "../inventory_unavailable_error.ts";
import { applyPostgresBatch, RunIds } from "./_batch_writer.ts";
import { errorCode } from "./error_code.ts";
import { listPostgresVolumes, postgresHistory } from "./_listing.ts";

/** Something that tells the time in milliseconds since the epoch. */
export interface PostgresClock {
  now(): number;
}

/** Rows per chunk of a scope load: the first query's limit, then the server-side cursor's fetch size. */
export const POSTGRES_SCOPE_CHUNK_ROWS = 5_000;

/** A chunk of a scope load's rows, `[volume, fields as JSON text]` each. */
function toStoredRows(rows: readonly unknown[][]): StoredVolumeRow[] {
  const chunk: StoredVolumeRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) chunk[i] = [String(rows[i][0]), String(rows[i][1])];
  return chunk;
}

/** How often a batch is tried again when PostgreSQL aborts it for a deadlock or a serialisation failure. */
const TRANSIENT_RETRIES = 3;

/**
 * SQLSTATE classes and client codes that mean the database could not do the work now (connection lost,
 * server shutting down, out of resources), as opposed to a bad statement: these become
 * `InventoryUnavailableError`, which the server answers with 503 so clients try again or elsewhere.
 */
const UNAVAILABLE_CODE = /^(08|53|57|58|XX|3D|28)|^(E[A-Z]+|CONNECTION_\w+|CONNECT_TIMEOUT)$/;

/** The inventory over a PostgreSQL connection pool. Create it with `openPostgresInventory()`. */
export class PostgresInventory implements Inventory, StoredScopeSource {
  readonly location: string;
  readonly readOnly: boolean;
  /** A round trip to the database per load: the next two are started while a run works on a scope. */
  readonly scopeLoadsAhead = 2;
  readonly #sql: Sql;
  readonly #clock: PostgresClock;
  readonly #runs = new RunIds();
  #closed = false;

  /**
   * @param sql a pool whose database has the current schema (see `openPostgresInventory()`)
   * @param location the URL without userinfo, shown in messages
   * @param readOnly refuse batches
   * @param clock the time source of `updatedAt` and audit times
   */
  constructor(sql: Sql, location: string, readOnly: boolean, clock: PostgresClock) {
    this.#sql = sql;
    this.location = location;
    this.readOnly = readOnly;
    this.#clock = clock;
  }

  /** The store has no accounts of its own (the server's live in `PostgresAccountStore`): returns at once. */
  logon(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Every volume of a scope ordered by volume, in chunks of {@link POSTGRES_SCOPE_CHUNK_ROWS}. The first
   * chunk is a plain query: a scope that fits in it (most do) costs one round trip, where a server-side
   * cursor takes two, opening and closing its portal (an empty scope, as in an initial load, costs as much as
   * a full one). A larger scope goes on through a server-side cursor from the first chunk's last volume, so
   * it streams and never sits in memory whole. The first chunk and the rest are two snapshots, as the
   * embedded store's chunks are: a batch applied between them shows in the rest, and a change the run then
   * makes from an older value is reported as a conflict, never written over. Stopping early closes the
   * cursor.
   * @throws {InventoryUnavailableError} the database cannot be reached
   */
  async *loadScope(scope: ScopeKey, after?: string): AsyncIterable<VolumeRow[]> {
    for await (const rows of this.loadStoredScope(scope, after)) yield parseStoredRows(rows);
  }

  /** The chunks of `loadScope` with each volume's fields as stored JSON text; see `StoredScopeSource`. */
  async *loadStoredScope(scope: ScopeKey, after?: string): AsyncIterable<StoredVolumeRow[]> {
    const sql = this.#sql;
    const select = (from: string | undefined, limit?: number) =>
      sql`SELECT volume, fields FROM volumes
        WHERE customer = ${scope.customer} AND media = ${scope.media}
        ${from === undefined ? sql`` : sql`AND volume > ${from}`} ORDER BY volume
        ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`;
    try {
      const first = toStoredRows(await select(after, POSTGRES_SCOPE_CHUNK_ROWS).values());
      if (first.length > 0) yield first;
      if (first.length < POSTGRES_SCOPE_CHUNK_ROWS) return;
      const cursor = select(first[first.length - 1][0]).values().cursor(POSTGRES_SCOPE_CHUNK_ROWS);
      for await (const rows of cursor) yield toStoredRows(rows);
    } catch (error) {
      throw this.#wrap("load the scope", error);
    }
  }

  /**
   * Apply one batch in one transaction; see `Inventory.applyBatch`.
   * @throws {TypeError} the handle is read-only
   * @throws {InventoryUnavailableError} the database cannot be reached or kept aborting the transaction
   */
  async applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    if (this.readOnly) {
      throw new TypeError(
        `Cannot apply batch "${batch.id}": the inventory at "${this.location}" is open read-only`,
      );
    }
    for (let attempt = 1;; attempt++) {
      try {
        return await applyPostgresBatch(this.#sql, batch, this.#clock.now(), this.#runs);
      } catch (error) {
        const code = errorCode(error);
        if ((code === "40P01" || code === "40001") && attempt < TRANSIENT_RETRIES) continue;
        throw this.#wrap("apply the batch", error, attempt);
      }
    }
  }

  /** One page of volumes; see `VolumeQuery`. */
  async listVolumes(query: VolumeQuery): Promise<VolumePage> {
    try {
      return await listPostgresVolumes(this.#sql, query);
    } catch (error) {
      throw this.#wrap("list volumes", error);
    }
  }

  /** One page of audit entries; see `HistoryQuery`. */
  async history(query: HistoryQuery): Promise<HistoryPage> {
    try {
      return await postgresHistory(this.#sql, query);
    } catch (error) {
      throw this.#wrap("read the history", error);
    }
  }

  /** Close the pool, letting running queries finish for up to five seconds. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#sql.end({ timeout: 5 });
  }

  /** Connection and server-state failures become `InventoryUnavailableError`; the rest pass unchanged. */
  #wrap(action: string, error: unknown, attempts = 1): unknown {
    if (!(error instanceof Error) || error instanceof RangeError || error instanceof TypeError) return error;
    const code = errorCode(error);
    if (code === undefined) return error;
    if (UNAVAILABLE_CODE.test(code) || code === "40P01" || code === "40001") {
      return new InventoryUnavailableError(
        this.location,
        attempts,
        `cannot ${action}: ${describePostgresError(error)}`,
        { cause: error },
      );
    }
    return error;
  }
}

/**
 * What went wrong, for a message: PostgreSQL's own message (which never holds the password) or, for a
 * connection failure, the client code.
 */
export function describePostgresError(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && /^(E[A-Z]+|CONNECTION_\w+|CONNECT_TIMEOUT)$/.test(code)) {
    return `the database server did not answer (${code}): check that PostgreSQL runs and the URL is right`;
  }
  return error instanceof Error ? error.message : String(error);
}
