/**
 * @module
 * `SqliteInventory`: the embedded inventory, an `Inventory` over one SQLite file opened by
 * `openSqliteInventory()`. Scope loads stream in chunks; each batch is one transaction.
 */
import type { DatabaseSync } from "../../deps/sqlite.ts";
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
import { BatchWriter } from "./_batch_writer.ts";
import { Listing } from "./_listing.ts";
import { closeWritable, unavailable } from "./_open_database.ts";

/** Something that tells the time in milliseconds since the epoch. */
export interface StoreClock {
  now(): number;
}

/**
 * The part of node:sqlite's `StatementSync` used for scope loads; `setReturnArrays` exists at run time
 * (Node 24, Deno 2) but is missing from the bundled type declarations.
 */
interface ArrayRowStatement {
  setReturnArrays(enabled: boolean): void;
  all(customer: string, media: string, after: string, limit: number): StoredVolumeRow[];
}

/** Rows per chunk of a scope load: large enough to amortise the call, small enough to stream. */
export const SCOPE_CHUNK_ROWS = 2_000;

/** The embedded inventory over one open SQLite handle. Create it with `openSqliteInventory()`. */
export class SqliteInventory implements Inventory, StoredScopeSource {
  readonly location: string;
  readonly readOnly: boolean;
  /** Loads run in this process and do their work at once: nothing to gain from starting them ahead. */
  readonly scopeLoadsAhead = 0;
  readonly #db: DatabaseSync;
  readonly #clock: StoreClock;
  readonly #writer: BatchWriter | undefined;
  readonly #listing: Listing;
  readonly #scopeChunk: ArrayRowStatement;

  /**
   * @param db an open handle whose schema is current (see `openSqliteInventory()`)
   * @param location the file path, shown in messages
   * @param readOnly whether `db` was opened read-only
   * @param clock the time source of `updatedAt` and audit times
   */
  constructor(db: DatabaseSync, location: string, readOnly: boolean, clock: StoreClock) {
    this.#db = db;
    this.location = location;
    this.readOnly = readOnly;
    this.#clock = clock;
    this.#writer = readOnly ? undefined : new BatchWriter(db);
    this.#listing = new Listing(db);
    this.#scopeChunk = db.prepare(
      `SELECT volume, fields FROM volumes
        WHERE scope = (SELECT id FROM scopes WHERE customer = ? AND media = ?) AND volume > ?
        ORDER BY volume LIMIT ?`,
    ) as unknown as ArrayRowStatement;
    // Rows as arrays skip an object per row: 300,000 rows load in 0.57 s instead of 0.75 s (warm cache).
    this.#scopeChunk.setReturnArrays(true);
  }

  /** The embedded store has no accounts: returns at once. */
  logon(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Every volume of a scope ordered by volume, in chunks of {@link SCOPE_CHUNK_ROWS}, each chunk one
   * keyset query (`volume > last`). `all()` per chunk is about three times faster than stepping
   * `iterate()` row by row (measured: 100,000 rows 0.29 s against 0.85 s), and no statement stays open
   * between chunks, so a scope stream never holds up a batch on the same connection. A batch landing
   * between two chunks is seen or not as a whole; conflict detection on old values covers the rest.
   */
  async *loadScope(scope: ScopeKey, resumeAfter?: string): AsyncIterable<VolumeRow[]> {
    for await (const rows of this.loadStoredScope(scope, resumeAfter)) yield parseStoredRows(rows);
  }

  /** The chunks of `loadScope` with each volume's fields as stored JSON text; see `StoredScopeSource`. */
  async *loadStoredScope(scope: ScopeKey, resumeAfter?: string): AsyncIterable<StoredVolumeRow[]> {
    let after = resumeAfter ?? "";
    for (;;) {
      let rows: StoredVolumeRow[];
      try {
        rows = this.#scopeChunk.all(scope.customer, scope.media, after, SCOPE_CHUNK_ROWS);
      } catch (error) {
        throw this.#wrap("load the scope", error);
      }
      if (rows.length > 0) yield rows;
      if (rows.length < SCOPE_CHUNK_ROWS) return;
      after = rows[rows.length - 1][0];
    }
  }

  /**
   * Apply one batch in one transaction; see `Inventory.applyBatch`.
   * @throws {TypeError} the handle is read-only (a dry run never applies)
   * @throws {InventoryUnavailableError} the file stayed locked by another process past the busy timeout
   */
  applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    if (this.#writer === undefined) {
      return Promise.reject(
        new TypeError(
          `Cannot apply batch "${batch.id}": the inventory at "${this.location}" is open read-only`,
        ),
      );
    }
    try {
      return Promise.resolve(this.#writer.apply(batch, this.#clock.now()));
    } catch (error) {
      return Promise.reject(this.#wrap("apply the batch", error));
    }
  }

  /** One page of volumes; see `VolumeQuery`. */
  listVolumes(query: VolumeQuery): Promise<VolumePage> {
    try {
      return Promise.resolve(this.#listing.volumes(query));
    } catch (error) {
      return Promise.reject(this.#wrap("list volumes", error));
    }
  }

  /** One page of audit entries; see `HistoryQuery`. */
  history(query: HistoryQuery): Promise<HistoryPage> {
    try {
      return Promise.resolve(this.#listing.history(query));
    } catch (error) {
      return Promise.reject(this.#wrap("read the history", error));
    }
  }

  /** Close the file; a writing handle leaves it checkpointed when it is the last one open. */
  close(): Promise<void> {
    if (!this.#db.isOpen) return Promise.resolve();
    if (this.readOnly) this.#db.close();
    else closeWritable(this.#db);
    return Promise.resolve();
  }

  /** Busy and I/O failures of SQLite become `InventoryUnavailableError`; programmer errors pass. */
  #wrap(action: string, error: unknown): unknown {
    if (!(error instanceof Error) || error instanceof RangeError || error instanceof TypeError) return error;
    const message = error.message;
    if (/database is locked|busy/i.test(message)) {
      return unavailable(
        this.location,
        `cannot ${action}: another process kept the database locked: wait for it to finish and run again`,
        error,
      );
    }
    if (/disk I\/O|malformed|not a database|readonly|full|unable to open/i.test(message)) {
      return unavailable(
        this.location,
        `cannot ${action}: ${message}: check the disk and the database file, then run again`,
        error,
      );
    }
    return error;
  }
}
