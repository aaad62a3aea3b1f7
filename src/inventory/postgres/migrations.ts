/**
 * @module
 * The PostgreSQL inventory schema as an ordered list of migrations, the version table that records which
 * ones ran, and `migratePostgres()` that applies the missing steps in one transaction under an advisory
 * lock, so several `tapesync serve --migrate` started at once migrate the database once.
 */
import type { Sql } from "../../deps/postgres.ts";
import type { Migration } from "../migration.ts";

/** One step of the PostgreSQL schema (the same shape as the SQLite store's). */
export type PostgresMigration = Migration;

/** Key of the advisory lock held while migrating ("TAPS" as a number, as the SQLite application id). */
export const MIGRATION_LOCK = 0x54415053;

/**
 * The migrations in order. Text columns use the "C" collation so ordering, keyset paging and volume
 * prefix ranges follow code points exactly as in the SQLite store. Fields are stored as JSON text, as in
 * SQLite: the store never queries inside them and text skips jsonb's parse and re-encode per row.
 * Audit rows carry their batch; unlike SQLite, concurrent writers may interleave sequence values, so
 * version 1 walked indexes on `audit (batch, id)` and `audit (volume, id)` for history by run or by volume
 * instead of id ranges (versions 3 to 5 below replace most of that). `audit.batch` has no foreign key:
 * the batch writer inserts the batch row first in the same transaction, and the per-row check cost a
 * quarter of the time of a batch of adds (measured: 20 batches of 1,000 volumes with 5 fields, 1.43 s with
 * the key, 1.10 s without). Since version 2 an audit row
 * holds all fields one batch changed of one volume, as in SQLite (see ../audit_rows.ts): a row and two
 * index entries per volume instead of per field. Since version 3 a batch keeps the first and last id of
 * its audit rows and history by run walks that range (rows of concurrent batches inside it are filtered
 * out by `audit.batch`) instead of an `audit (batch, id)` index: an index entry less per audit row,
 * measured 15-20% of PostgreSQL's time on a batch of adds. Since version 5 the audit row of a volume's add
 * is found from the volume (`added_batch`, whose id range holds it) and only the other rows are indexed by
 * volume: 200 batches of 1,000 adds, two at once, 0.88x (8 paired runs).
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: "volumes, scopes, runs, batches and audit rows",
    sql: `
      CREATE TABLE scopes (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer text COLLATE "C" NOT NULL,
        media text COLLATE "C" NOT NULL,
        UNIQUE (customer, media)
      );
      CREATE TABLE volumes (
        customer text COLLATE "C" NOT NULL,
        media text COLLATE "C" NOT NULL,
        volume text COLLATE "C" NOT NULL,
        fields text NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (customer, media, volume)
      );
      CREATE INDEX volumes_by_volume ON volumes (volume);
      CREATE TABLE runs (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_id text NOT NULL UNIQUE
      );
      CREATE TABLE batches (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        batch_id text NOT NULL UNIQUE,
        run integer NOT NULL REFERENCES runs (id),
        scope integer NOT NULL REFERENCES scopes (id),
        applied_at bigint NOT NULL,
        result text NOT NULL
      );
      CREATE INDEX batches_by_run ON batches (run, id);
      CREATE INDEX batches_by_scope ON batches (scope, id);
      CREATE TABLE audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        batch bigint NOT NULL,
        volume text COLLATE "C" NOT NULL,
        field text NOT NULL,
        old text,
        new text
      );
      CREATE INDEX audit_by_batch ON audit (batch, id);
      CREATE INDEX audit_by_volume ON audit (volume, id);
      CREATE VIEW audit_entries AS
        SELECT a.id, to_char(to_timestamp(b.applied_at / 1000.0) AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
          r.run_id, b.batch_id, s.customer, s.media, a.volume, a.field, a.old, a.new
        FROM audit a JOIN batches b ON b.id = a.batch JOIN runs r ON r.id = b.run
          JOIN scopes s ON s.id = b.scope;
    `,
  },
  {
    version: 2,
    name: "one audit row per changed volume, its fields' changes as JSON",
    // Each (batch, volume) group becomes one row keeping the group's first id; the identity goes on after
    // the highest old id.
    sql: `
      DROP VIEW audit_entries;
      CREATE TABLE audit_rows (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        batch bigint NOT NULL,
        volume text COLLATE "C" NOT NULL,
        changes text NOT NULL
      );
      INSERT INTO audit_rows (id, batch, volume, changes) OVERRIDING SYSTEM VALUE
        SELECT min(id), batch, volume, json_agg(json_build_array(field, old, new) ORDER BY id)::text
        FROM audit GROUP BY batch, volume;
      SELECT setval(pg_get_serial_sequence('audit_rows', 'id'), coalesce((SELECT max(id) FROM audit), 0) + 1,
        false);
      DROP TABLE audit;
      ALTER TABLE audit_rows RENAME TO audit;
      CREATE INDEX audit_by_batch ON audit (batch, id);
      CREATE INDEX audit_by_volume ON audit (volume, id);
      CREATE VIEW audit_entries AS
        SELECT a.id * 1024 + j.place - 1 AS id, to_char(to_timestamp(b.applied_at / 1000.0) AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
          r.run_id, b.batch_id, s.customer, s.media, a.volume,
          j.change ->> 0 AS field, j.change ->> 1 AS old, j.change ->> 2 AS new
        FROM audit a CROSS JOIN LATERAL json_array_elements(a.changes::json) WITH ORDINALITY AS j(change, place)
          JOIN batches b ON b.id = a.batch JOIN runs r ON r.id = b.run JOIN scopes s ON s.id = b.scope;
    `,
  },
  {
    version: 3,
    name: "each batch records the range of its audit ids instead of an index entry per audit row",
    sql: `
      ALTER TABLE batches ADD COLUMN first_audit bigint, ADD COLUMN last_audit bigint;
      UPDATE batches b SET first_audit = a.first, last_audit = a.last
        FROM (SELECT batch, min(id) AS first, max(id) AS last FROM audit GROUP BY batch) a
        WHERE a.batch = b.id;
      DROP INDEX audit_by_batch;
    `,
  },
  {
    version: 4,
    name: "a run's batches are listed in the order of their audit ids",
    // Two batches of one run now claim their ids at once and lock the run only for their writes, so
    // batch ids may come in another order than the audit ranges; history by run follows the ranges.
    sql: `
      CREATE INDEX batches_by_run_audit ON batches (run, first_audit);
      DROP INDEX batches_by_run;
    `,
  },
  {
    version: 5,
    name: "the audit row of a volume's add found through the volume, not an index entry",
    // As in the SQLite store's schema 4: an add's audit row is found from its volume (the batch that added
    // it, whose id range holds the row), so the index of audit rows by volume keeps only the other rows,
    // one index entry less per added volume. Rows written before are not adds to it and stay indexed.
    sql: `
      ALTER TABLE audit ADD COLUMN added boolean NOT NULL DEFAULT false;
      ALTER TABLE volumes ADD COLUMN added_batch bigint;
      CREATE INDEX audit_changes_by_volume ON audit (volume, id) WHERE NOT added;
      DROP INDEX audit_by_volume;
    `,
  },
];

/** The schema version this build writes and reads. */
export const POSTGRES_SCHEMA_VERSION: number = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1].version;

/**
 * Read the schema version of a database.
 * @param sql a connection pool
 * @returns the highest applied migration, or 0 when the version table does not exist
 */
export async function readPostgresSchemaVersion(sql: Sql): Promise<number> {
  const [table] = await sql`SELECT to_regclass('tapesync_schema_version') IS NOT NULL AS present`;
  if (table.present !== true) return 0;
  const [row] = await sql`SELECT coalesce(max(version), 0)::int AS version FROM tapesync_schema_version`;
  return Number(row.version);
}

/**
 * Apply every migration newer than the database's version, in order, in one transaction holding an
 * advisory lock.
 * @param sql a connection pool with rights to create tables
 * @param now milliseconds since the epoch, stored as the time each step was applied
 * @param migrations the steps; defaults to {@link POSTGRES_MIGRATIONS}
 * @returns the versions applied by this call (empty when the schema was current)
 * @throws {RangeError} the database is newer than the newest migration given
 */
export async function migratePostgres(
  sql: Sql,
  now: number,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const newest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  return await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS tapesync_schema_version (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`;
    const [row] = await tx`SELECT coalesce(max(version), 0)::int AS version FROM tapesync_schema_version`;
    const current = Number(row.version);
    if (current > newest) {
      throw new RangeError(
        `Cannot migrate the database: its schema version ${current} is newer than this build's ${newest}`,
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO tapesync_schema_version (version, name, applied_at)
        VALUES (${migration.version}, ${migration.name}, ${now})`;
      applied.push(migration.version);
    }
    return applied;
  });
}
