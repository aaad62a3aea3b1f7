/**
 * @module
 * The schema of the embedded inventory as an ordered list of migrations, the version table that records
 * which ones ran, and `migrate()` that brings a database up to date inside one write transaction.
 */
import type { DatabaseSync } from "../../deps/sqlite.ts";
import type { Migration } from "../migration.ts";

export type { Migration } from "../migration.ts";

/** `PRAGMA application_id` of a tapesync database ("TAPS"), so a foreign SQLite file is recognised. */
export const APPLICATION_ID = 0x54415053;

/**
 * The migrations in order. Audit rows refer to small `batches` and `scopes` rows instead of repeating
 * run ID, batch ID, time, customer and media: that halves the bytes written per audit row (measured:
 * 200,000 volumes with 5 fields each, 162 MB and 4.0 s flat versus 91 MB and 3.1 s normalised). The
 * audit rows of one batch, and of one volume inside it, have consecutive ids, so history is found
 * through id ranges: by run via `batches_by_run`, by volume via `volume_changes` (one row per changed
 * volume, clustered by scope), instead of indexes with an entry per audit row. Since version 2 an audit
 * row holds all fields one batch changed of one volume (see ../audit_rows.ts): an initial load writes a
 * row per volume, not per field (measured: 1,000,000 volumes with 4 fields, 7.2 s against 4.2 s of
 * SQLite work). The `audit_entries` view shows one row per field with every column of `AuditEntry`. Since
 * version 3 a volume row is keyed by its scope's rowid instead of repeating customer and media: SQLite
 * compares one integer and one text per key instead of three texts (measured: 1,000,000 new volume rows in
 * 1,000 transactions, 0.67x the time). Since version 4 the audit row of a volume's add is found through
 * `volumes.added_audit` instead of a `volume_changes` row: an initial load writes two rows per volume
 * instead of three (1,000,000 volumes: 0.91x the time of the whole sync); `volume_changes` keeps the rows
 * of later changes, and of adds written before version 4.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "volumes, scopes, runs, batches and audit rows",
    sql: `
      CREATE TABLE scopes (
        id INTEGER PRIMARY KEY,
        customer TEXT NOT NULL,
        media TEXT NOT NULL,
        UNIQUE (customer, media)
      );
      CREATE TABLE volumes (
        customer TEXT NOT NULL,
        media TEXT NOT NULL,
        volume TEXT NOT NULL,
        fields TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (customer, media, volume)
      ) WITHOUT ROWID;
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL UNIQUE
      );
      CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL UNIQUE,
        run INTEGER NOT NULL REFERENCES runs (id),
        scope INTEGER NOT NULL REFERENCES scopes (id),
        applied_at INTEGER NOT NULL,
        first_audit INTEGER,
        last_audit INTEGER,
        result TEXT NOT NULL
      );
      CREATE INDEX batches_by_run ON batches (run, id);
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        batch INTEGER NOT NULL REFERENCES batches (id),
        volume TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT
      );
      CREATE TABLE volume_changes (
        scope INTEGER NOT NULL REFERENCES scopes (id),
        volume TEXT NOT NULL,
        first_audit INTEGER NOT NULL,
        last_audit INTEGER NOT NULL,
        PRIMARY KEY (scope, volume, first_audit)
      ) WITHOUT ROWID;
      CREATE VIEW audit_entries AS
        SELECT a.id, strftime('%Y-%m-%dT%H:%M:%fZ', b.applied_at / 1000.0, 'unixepoch') AS at,
          r.run_id, b.batch_id, s.customer, s.media, a.volume, a.field, a.old, a.new
        FROM audit a JOIN batches b ON b.id = a.batch JOIN runs r ON r.id = b.run
          JOIN scopes s ON s.id = b.scope;
    `,
  },
  {
    version: 2,
    name: "one audit row per changed volume, its fields' changes as JSON",
    // A volume's rows in one batch had consecutive ids; each group becomes one row keeping the group's
    // first id, so volume_changes.first_audit and batches.first_audit stay valid as they are.
    sql: `
      DROP VIEW audit_entries;
      CREATE TABLE audit_rows (
        id INTEGER PRIMARY KEY,
        batch INTEGER NOT NULL REFERENCES batches (id),
        volume TEXT NOT NULL,
        changes TEXT NOT NULL
      );
      INSERT INTO audit_rows (id, batch, volume, changes)
        SELECT g.first, g.batch, g.volume,
          (SELECT json_group_array(json_array(x.field, x.old, x.new))
            FROM (SELECT field, old, new FROM audit WHERE id BETWEEN g.first AND g.last ORDER BY id) x)
        FROM (SELECT batch, volume, min(id) AS first, max(id) AS last FROM audit GROUP BY batch, volume) g
        ORDER BY g.first;
      DROP TABLE audit;
      ALTER TABLE audit_rows RENAME TO audit;
      UPDATE volume_changes SET last_audit = first_audit;
      UPDATE batches SET last_audit = (SELECT max(id) FROM audit WHERE id BETWEEN first_audit AND last_audit)
        WHERE last_audit IS NOT NULL;
      CREATE VIEW audit_entries AS
        SELECT a.id * 1024 + j.key AS id,
          strftime('%Y-%m-%dT%H:%M:%fZ', b.applied_at / 1000.0, 'unixepoch') AS at,
          r.run_id, b.batch_id, s.customer, s.media, a.volume,
          j.value ->> 0 AS field, j.value ->> 1 AS old, j.value ->> 2 AS new
        FROM audit a JOIN json_each(a.changes) j JOIN batches b ON b.id = a.batch
          JOIN runs r ON r.id = b.run JOIN scopes s ON s.id = b.scope;
    `,
  },
  {
    version: 3,
    name: "volumes keyed by their scope's rowid",
    sql: `
      INSERT OR IGNORE INTO scopes (customer, media) SELECT DISTINCT customer, media FROM volumes;
      CREATE TABLE scope_volumes (
        scope INTEGER NOT NULL REFERENCES scopes (id),
        volume TEXT NOT NULL,
        fields TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (scope, volume)
      ) WITHOUT ROWID;
      INSERT INTO scope_volumes (scope, volume, fields, updated_at)
        SELECT s.id, v.volume, v.fields, v.updated_at
        FROM volumes v JOIN scopes s ON s.customer = v.customer AND s.media = v.media
        ORDER BY s.id, v.volume;
      DROP TABLE volumes;
      ALTER TABLE scope_volumes RENAME TO volumes;
    `,
  },
  {
    version: 4,
    name: "the audit row of a volume's add kept on the volume",
    sql: `ALTER TABLE volumes ADD COLUMN added_audit INTEGER;`,
  },
];

/** The schema version this build writes and reads. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Read the schema version of an open database.
 * @param db an open database
 * @returns the highest applied migration, or 0 when the version table does not exist
 */
export function readSchemaVersion(db: DatabaseSync): number {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare("SELECT max(version) AS version FROM schema_version").get();
  return typeof row?.version === "number" ? row.version : 0;
}

/**
 * Apply every migration newer than the database's version, in order, in one `BEGIN IMMEDIATE`
 * transaction, so two processes opening a new file at once migrate it once.
 * @param db a writable database
 * @param now milliseconds since the epoch, stored as the time each step was applied
 * @param migrations the steps; defaults to {@link MIGRATIONS}
 * @returns the versions applied by this call (empty when the schema was current)
 * @throws {RangeError} the database is newer than the newest migration given
 */
export function migrate(
  db: DatabaseSync,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  const newest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const applied: number[] = [];
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const current = readSchemaVersion(db);
    if (current > newest) {
      throw new RangeError(
        `Cannot migrate the database: its schema version ${current} is newer than this build's ${newest}`,
      );
    }
    const record = db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now);
      applied.push(migration.version);
    }
    if (applied.length > 0) db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
  return applied;
}
