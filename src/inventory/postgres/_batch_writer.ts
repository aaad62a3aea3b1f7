/**
 * @module
 * Applies one change batch to PostgreSQL in one transaction: the scope row is locked first, so batches
 * of one scope from any number of server instances run one after another while other scopes go on in
 * parallel; the batch id is then claimed (a unique key, so a retried batch sent to another instance is
 * answered from the stored result); the stored values of the volumes it updates are read, checked and
 * written back as a fixed number of statements per batch, whatever its size: arrays bound to `unnest()`,
 * never a statement per volume. The run's row is locked only for the writes, so that the audit ids of a
 * run's batches form ranges that follow each other (history by run pages through them in that order,
 * _listing.ts) while the rest of two batches of one run goes on at once.
 */
import type { ReservedSql, Sql } from "../../deps/postgres.ts";
import type { BatchResult, ChangeBatch } from "../model.ts";
import { planBatch } from "../change_check.ts";
import { errorCode } from "./error_code.ts";

/** Most runs a server keeps the row id of (the ids never change: a run's row is never deleted). */
const RUN_IDS_KEPT = 1024;

/**
 * The row ids of runs, by run id: a run's row is made by the first of its batches that reaches this
 * server instance, in a statement of its own, so no batch holds it locked from its start.
 */
export class RunIds {
  readonly #ids = new Map<string, string>();

  /** The row id of a run, making its row when it has none. */
  async idOf(sql: Sql, runId: string): Promise<string> {
    const known = this.#ids.get(runId);
    if (known !== undefined) return known;
    const [row] = await sql`INSERT INTO runs (run_id) VALUES (${runId})
      ON CONFLICT (run_id) DO UPDATE SET run_id = excluded.run_id RETURNING id`;
    const id = String(row.id);
    if (this.#ids.size >= RUN_IDS_KEPT) this.#ids.delete(this.#ids.keys().next().value!);
    this.#ids.set(runId, id);
    return id;
  }

  /** Forget a run's row id (its row is gone: the database was restored or rebuilt under this server). */
  forget(runId: string): void {
    this.#ids.delete(runId);
  }
}

/**
 * Apply one batch atomically, in two round trips on one reserved connection: BEGIN, the claim and the
 * read of the stored values are sent together, then the writes together with COMMIT (through `sql.begin`
 * each statement would wait for the one before: five round trips, each a network latency when the
 * database is on another host). A statement that fails turns the COMMIT sent after it into a rollback, and
 * the error is what the batch answers.
 *
 * The read asks only for the volumes the batch updates. Those it adds are expected to be new, and are
 * inserted without an upsert; should one exist after all (the agent's cache was older than another run's
 * add), its INSERT fails on the primary key, nothing is kept, and the batch is applied again reading every
 * volume, which reports the conflict. Looking up 1,000 names that are not there costs PostgreSQL about
 * 2 ms per batch (one index descent each), the larger part of a batch of adds.
 * @param sql the connection pool
 * @param batch the changes of one scope
 * @param now milliseconds since the epoch, stored as the time of every row written
 * @param runs the run row ids this server knows
 * @returns what was done, or the stored first result with `replayed: true`
 */
export async function applyPostgresBatch(
  sql: Sql,
  batch: ChangeBatch,
  now: number,
  runs: RunIds,
): Promise<BatchResult> {
  let run = await runs.idOf(sql, batch.runId);
  for (let attempt = 1;; attempt++) {
    try {
      return await inTransaction(sql, (tx) => applyInTransaction(tx, batch, run, now, false));
    } catch (error) {
      const code = errorCode(error);
      if (code === UNIQUE_VIOLATION) {
        return await inTransaction(sql, (tx) => applyInTransaction(tx, batch, run, now, true));
      }
      // The run's row this server knew is gone: make it again, once.
      if (code !== FOREIGN_KEY_VIOLATION || attempt > 1) throw error;
      runs.forget(batch.runId);
      run = await runs.idOf(sql, batch.runId);
    }
  }
}

/** SQLSTATE of a duplicate key. */
const UNIQUE_VIOLATION = "23505";
/** SQLSTATE of a reference to a row that does not exist. */
const FOREIGN_KEY_VIOLATION = "23503";

async function inTransaction<T>(sql: Sql, work: (tx: ReservedSql) => Promise<T>): Promise<T> {
  const tx = await sql.reserve();
  try {
    return await work(tx);
  } catch (error) {
    await tx`rollback`.catch(() => {}); // "no transaction in progress" when COMMIT already rolled back
    throw error;
  } finally {
    tx.release();
  }
}

/**
 * @param run the row id of the batch's run
 * @param readAll read every volume of the batch, not only those it updates
 */
async function applyInTransaction(
  tx: ReservedSql,
  batch: ChangeBatch,
  run: string,
  now: number,
  readAll: boolean,
): Promise<BatchResult> {
  // The DO UPDATE makes the scope row come back (and stay locked to the end) whether it is new or not.
  // The read runs after the claim on the same connection, so it sees every batch of the scope committed
  // before the lock was had. The run's row is not locked here (the batch's foreign key takes only a key
  // share of it): two batches of one run (an agent keeps two of different scopes in flight) claim, read and
  // plan at once, and wait for each other only for their writes, below.
  const names = batch.changes.filter((change) => readAll || change.op !== "add").map((change) =>
    change.volume
  );
  const [, claimed, rows] = await Promise.all([
    tx`begin`.execute(),
    tx`
      WITH s AS (
        INSERT INTO scopes (customer, media) VALUES (${batch.customer}, ${batch.media})
        ON CONFLICT (customer, media) DO UPDATE SET customer = excluded.customer RETURNING id
      )
      INSERT INTO batches (batch_id, run, scope, applied_at, result)
        SELECT ${batch.id}, ${run}::integer, s.id, ${now}, '' FROM s
      ON CONFLICT (batch_id) DO NOTHING RETURNING id`.execute(),
    names.length === 0 ? Promise.resolve([]) : tx`
      SELECT volume, fields FROM volumes
      WHERE customer = ${batch.customer} AND media = ${batch.media} AND volume = ANY(${names}::text[])`
      .values().execute(),
  ]);
  if (claimed.length === 0) {
    const [[first]] = await Promise.all([
      tx`SELECT result FROM batches WHERE batch_id = ${batch.id}`.execute(),
      tx`commit`.execute(),
    ]);
    return { ...(JSON.parse(String(first.result)) as BatchResult), replayed: true };
  }
  const batchRef = String(claimed[0].id);
  const stored = new Map<string, string>();
  for (const row of rows) stored.set(String(row[0]), String(row[1]));
  const { result, volumes, audit } = planBatch(batch, stored);
  // Each list goes to unnest() as arrays, one element per row, one row per volume with its final fields (a
  // multi-row upsert may not touch one key twice). Volumes the read above did not find go in with a plain
  // INSERT: the scope row, locked first, keeps any other batch from adding a volume of this scope in
  // between, and an upsert's speculative insertion costs PostgreSQL about half as much again per new row
  // (300 x 1,000 rows: 1.64-1.94 s against 1.08-1.30 s). Stored volumes go through the upsert, which
  // finds them by the primary key.
  const added = { volumes: [] as string[], fields: [] as string[] };
  const updated = { volumes: [] as string[], fields: [] as string[] };
  for (const { volume, fields, existed } of volumes) {
    const to = existed ? updated : added;
    to.volumes.push(volume);
    to.fields.push(JSON.stringify(fields));
  }
  // The writes do not depend on each other's answers: sent together with COMMIT, they share one round trip.
  const pending: Promise<unknown>[] = [];
  for (const [rows, upsert] of [[added, false], [updated, true]] as const) {
    if (rows.volumes.length === 0) continue;
    const onConflict = upsert
      ? tx`ON CONFLICT (customer, media, volume)
          DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at`
      : tx``;
    pending.push(tx`
      INSERT INTO volumes (customer, media, volume, fields, updated_at, added_batch)
        SELECT ${batch.customer}, ${batch.media}, v, f, ${now}, ${upsert ? null : batchRef}::bigint
        FROM unnest(${rows.volumes}::text[], ${rows.fields}::text[]) AS t(v, f)
      ${onConflict}`.execute());
  }
  // The audit rows, ordered by position so their ids follow volume order as in the SQLite store, and the
  // batch's result with the range of those ids, which history by run walks (no index entry per row). The
  // run's row is locked first, to the commit, so the audit ids of a run's batches never interleave: each
  // batch's ids form one range, after the range of the batch of its run before it.
  pending.push(tx`SELECT id FROM runs WHERE id = ${run}::integer FOR NO KEY UPDATE`.execute());
  // The audit row of a volume's add is marked `added`, one character per row, 1 or 0, cheaper to send than
  // an array: the volume's `added_batch` finds it, and the index of audit rows by volume leaves it out.
  let addedFlags = "";
  for (const row of audit) addedFlags += row.added ? "1" : "0";
  pending.push(tx`
    WITH written AS (
      INSERT INTO audit (batch, volume, changes, added)
        SELECT ${batchRef}::bigint, v, c, a = '1'
        FROM unnest(${audit.map((row) => row.volume)}::text[], ${audit.map((row) => row.changes)}::text[],
          string_to_array(${addedFlags}, NULL)) WITH ORDINALITY AS t(v, c, a, i)
        ORDER BY i
      RETURNING id
    )
    UPDATE batches SET result = ${JSON.stringify(result)},
      first_audit = (SELECT min(id) FROM written), last_audit = (SELECT max(id) FROM written)
    WHERE id = ${batchRef}::bigint`.execute());
  pending.push(tx`commit`.execute());
  await Promise.all(pending);
  return result;
}
