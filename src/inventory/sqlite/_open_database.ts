/**
 * @module
 * Opens the SQLite file behind the embedded inventory: checks that it is a tapesync database of a
 * version this build knows, migrates it when writable, sets the pragmas, and turns every failure into
 * an `InventoryUnavailableError` that says what to do.
 */
import { DatabaseSync } from "../../deps/sqlite.ts";
import { InventoryUnavailableError } from "../inventory_unavailable_error.ts";
import { APPLICATION_ID, migrate, readSchemaVersion, SCHEMA_VERSION } from "./migrations.ts";

/** How to open the file; every field is set by the caller. */
export interface OpenDatabaseOptions {
  readOnly: boolean;
  busyTimeoutMs: number;
  /** Milliseconds since the epoch, for the migration record. */
  now: number;
}

/**
 * Pragmas of a writing handle, chosen with `scripts/bench/store.ts` (1,000,000 volumes): `synchronous =
 * NORMAL` is durable across process crashes under WAL; a 16 MiB page cache loads as fast as 64 MiB
 * (12.5 s both, shuffled batches) with 53 MB less peak RSS; checkpoints every 4000 pages are 10-30%
 * faster than SQLite's default 1000 and as fast as 16000, keeping the WAL near 16 MB.
 */
/** Page cache per handle, in KiB as SQLite takes it (negative). */
const CACHE_KIB = -16384;

const WRITE_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  `PRAGMA cache_size = ${CACHE_KIB}`,
  "PRAGMA temp_store = MEMORY",
  "PRAGMA wal_autocheckpoint = 4000",
];

/** Page size of a new file. 4096 against 8192: same initial load, steady state of small batches 25% faster
 * (fewer bytes per dirty page written to the WAL at each commit). */
const NEW_FILE_PAGE_SIZE = 4096;

const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Open and check the database file.
 * @param path the file
 * @param options read-only or not, busy timeout, time
 * @returns the open handle, schema current
 * @throws {InventoryUnavailableError} the file is missing (read-only), unreadable, corrupt, foreign or newer
 */
export function openDatabase(path: string, options: OpenDatabaseOptions): DatabaseSync {
  const size = fileSize(path, options.readOnly);
  if (size > 0) checkHeader(path);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: options.readOnly, timeout: options.busyTimeoutMs });
  } catch (error) {
    throw unavailable(path, `cannot open the file: ${describe(error)}`, error);
  }
  try {
    prepareSchema(db, path, options);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof InventoryUnavailableError) throw error;
    throw unavailable(path, `cannot read the database: ${describe(error)}`, error);
  }
}

/** Check the application ID and the version, migrate a writable file, set the pragmas. */
function prepareSchema(db: DatabaseSync, path: string, options: OpenDatabaseOptions): void {
  const applicationId = Number(db.prepare("PRAGMA application_id").get()?.application_id ?? 0);
  // The server keeps its accounts in `server_*` tables of the same file, and may create them first.
  const tables = Number(
    db.prepare(
      `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'
        AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'server\\_%' ESCAPE '\\'`,
    ).get()?.n ?? 0,
  );
  const version = readSchemaVersion(db);
  if (applicationId !== APPLICATION_ID && (applicationId !== 0 || tables > 0)) {
    throw unavailable(
      path,
      "the file is an SQLite database of another program, not a tapesync inventory: pass the path of a tapesync database or of a new file",
    );
  }
  if (version > SCHEMA_VERSION) {
    throw unavailable(
      path,
      `the database has schema version ${version} but this tapesync knows up to ${SCHEMA_VERSION}: upgrade tapesync`,
    );
  }
  if (options.readOnly) {
    if (version < SCHEMA_VERSION) {
      throw unavailable(
        path,
        version === 0
          ? "the file holds no tapesync inventory yet: run a sync without --dry-run first"
          : `the database has schema version ${version} and needs version ${SCHEMA_VERSION}: run a sync without --dry-run once to upgrade it`,
      );
    }
    db.exec(`PRAGMA cache_size = ${CACHE_KIB}`);
    return;
  }
  if (tables === 0) db.exec(`PRAGMA page_size = ${NEW_FILE_PAGE_SIZE}`);
  for (const pragma of WRITE_PRAGMAS) db.exec(pragma);
  if (version < SCHEMA_VERSION) migrate(db, options.now);
}

/**
 * Close a writing handle so that the file is left self-contained: when no other connection has it
 * open, switching back to the rollback journal checkpoints and deletes the WAL, so a later read-only
 * open reads the file alone and creates no `-wal` or `-shm` file. When another connection still has
 * the file open the switch fails at once (busy timeout 0) and that connection finishes the job.
 * @param db a writing handle
 */
export function closeWritable(db: DatabaseSync): void {
  try {
    db.exec("PRAGMA busy_timeout = 0");
    db.exec("PRAGMA journal_mode = DELETE");
  } catch {
    // Another connection has the file open: it stays in WAL mode, which is correct and safe.
  } finally {
    db.close();
  }
}

/** Size of the file; 0 for a missing file that may be created. */
function fileSize(path: string, readOnly: boolean): number {
  try {
    const info = Deno.statSync(path);
    if (!info.isFile) throw unavailable(path, "the path is not a file: pass the path of a database file");
    return info.size;
  } catch (error) {
    if (error instanceof InventoryUnavailableError) throw error;
    if (error instanceof Deno.errors.NotFound) {
      if (!readOnly) return 0;
      throw unavailable(
        path,
        "the database file does not exist: check the path, or run a sync without --dry-run to create it",
        error,
      );
    }
    throw unavailable(path, `cannot read the file: ${describe(error)}`, error);
  }
}

/** Read the first 16 bytes so a non-SQLite file gets a clear message instead of a late SQL error. */
function checkHeader(path: string): void {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path, { read: true });
    const bytes = new Uint8Array(16);
    const read = file.readSync(bytes) ?? 0;
    if (new TextDecoder().decode(bytes.subarray(0, read)) !== SQLITE_HEADER) {
      throw unavailable(
        path,
        "the file is not an SQLite database (it may be corrupt or another kind of file): restore it from a backup or pass another path",
      );
    }
  } catch (error) {
    if (error instanceof InventoryUnavailableError) throw error;
    throw unavailable(path, `cannot read the file: ${describe(error)}`, error);
  } finally {
    file?.close();
  }
}

/** The database file cannot be opened or used: `detail` says what to do about the file. */
export function unavailable(path: string, detail: string, cause?: unknown): InventoryUnavailableError {
  return new InventoryUnavailableError(
    path,
    1,
    detail,
    cause === undefined ? { file: true } : { cause, file: true },
  );
}

/** The message of a failure without its stack, lower-cased at the start to follow a colon. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/file is not a database|malformed/i.test(message)) {
    return `${message}: the file is corrupt, restore it from a backup`;
  }
  if (/database is locked|busy/i.test(message)) {
    return `${message}: another process holds it, wait for it to finish and run again`;
  }
  return message;
}
