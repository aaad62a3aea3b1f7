/**
 * @module
 * Volume listings and audit history of the PostgreSQL store: the same filters, order and cursors as the
 * SQLite store (cursors are opaque to callers, and each store reads only its own). Each query shape is
 * sent as a prepared statement, so PostgreSQL plans it once per connection.
 */
import type { Sql } from "../../deps/postgres.ts";
import { decodeCursor, encodeCursor, pageLimit } from "../page_cursor.ts";
import type { FieldValues, HistoryPage, HistoryQuery, VolumePage, VolumeQuery } from "../model.ts";
import { auditPage, type AuditRow, historyResume, historyRowLimit } from "../audit_rows.ts";
import { volumeCondition } from "../volume_condition.ts";

type Param = string | number | null;

/** Builds numbered placeholders while conditions are added. */
class Conditions {
  readonly where: string[] = [];
  readonly params: Param[] = [];

  /** Add a condition whose `?` marks are replaced by the next `$n` placeholders, bound to `values`. */
  add(condition: string, ...values: Param[]): void {
    let index = 0;
    this.where.push(condition.replace(/\?/g, () => `$${this.params.length + ++index}`));
    this.params.push(...values);
  }

  clause(): string {
    return this.where.length === 0 ? "" : `WHERE ${this.where.join(" AND ")}`;
  }

  /** The placeholder of one more parameter. */
  next(value: Param): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/**
 * One page of volumes ordered by customer, media and volume.
 * @throws {RangeError} the limit is not a positive integer or the cursor was not issued by this store
 */
export async function listPostgresVolumes(sql: Sql, query: VolumeQuery): Promise<VolumePage> {
  const limit = pageLimit(query.limit);
  const c = new Conditions();
  if (query.customer !== undefined) c.add("customer = ?", query.customer);
  if (query.media !== undefined) c.add("media = ?", query.media);
  const volume = query.volume === undefined ? undefined : volumeCondition("volume", query.volume);
  if (volume !== undefined) c.add(...volume);
  if (query.after !== undefined) {
    const [customer, media, volume] = decodeCursor(query.after, "v", 3);
    c.add("(customer, media, volume) > (?, ?, ?)", customer, media, volume);
  }
  const text = `SELECT customer, media, volume, fields, updated_at FROM volumes ${c.clause()}
    ORDER BY customer, media, volume LIMIT ${c.next(limit + 1)}`;
  const rows = await sql.unsafe(text, c.params, { prepare: true }).values();
  const volumes = rows.slice(0, limit).map((row) => ({
    customer: String(row[0]),
    media: String(row[1]),
    volume: String(row[2]),
    fields: JSON.parse(String(row[3])) as FieldValues,
    updatedAt: new Date(Number(row[4])).toISOString(),
  }));
  if (rows.length <= limit) return { volumes };
  const last = volumes[volumes.length - 1];
  return { volumes, next: encodeCursor(["v", last.customer, last.media, last.volume]) };
}

/**
 * One page of audit entries in the order they were written (by `id`).
 * @throws {RangeError} the limit is not a positive integer or the cursor was not issued by this store
 */
export async function postgresHistory(sql: Sql, query: HistoryQuery): Promise<HistoryPage> {
  const limit = pageLimit(query.limit);
  // A page resumes at the row of the cursor's entry, which may have fields left (auditPage drops the
  // entries up to the cursor).
  const resume = historyResume(query.after);
  if (query.runId !== undefined && query.volume === undefined) {
    return await runHistory(sql, query.runId, query, resume, limit);
  }
  const c = new Conditions();
  if (query.runId !== undefined) {
    // The run's audit rows lie within its batches' id ranges: the scan of the audit's primary key starts
    // at the first and stops at the last (rows of other runs in between are filtered out by the batch).
    const run = "(SELECT id FROM runs WHERE run_id = ?)";
    c.add(`b.run = ${run}`, query.runId);
    c.add(
      `a.id BETWEEN (SELECT min(first_audit) FROM batches WHERE run = ${run})
        AND (SELECT max(last_audit) FROM batches WHERE run = ${run})`,
      query.runId,
      query.runId,
    );
  }
  if (query.customer !== undefined || query.media !== undefined) {
    const scope: string[] = [];
    const values: Param[] = [];
    if (query.customer !== undefined) scope.push("customer = ?"), values.push(query.customer);
    if (query.media !== undefined) scope.push("media = ?"), values.push(query.media);
    c.add(`b.scope IN (SELECT id FROM scopes WHERE ${scope.join(" AND ")})`, ...values);
  }
  if (query.volume !== undefined) {
    // The volume's rows in the index of audit rows by volume (every row but an add's), and the row of its
    // add, found in the id range of the batch that added it (schema 5).
    const [changed, ...values] = volumeCondition("volume", query.volume) ?? ["true"];
    const [added] = volumeCondition("v.volume", query.volume) ?? ["true"];
    c.add(
      `a.id IN (SELECT id FROM audit WHERE NOT added AND ${changed}
        UNION ALL SELECT x.id FROM volumes v JOIN batches vb ON vb.id = v.added_batch
          JOIN audit x ON x.id BETWEEN vb.first_audit AND vb.last_audit AND x.volume = v.volume AND x.added
        WHERE ${added})`,
      ...values,
      ...values,
    );
  }
  if (resume !== undefined) c.add("a.id >= ?", resume.row);
  const text = `SELECT a.id, b.applied_at, r.run_id, b.batch_id, s.customer, s.media, a.volume, a.changes
    FROM audit a JOIN batches b ON b.id = a.batch JOIN runs r ON r.id = b.run JOIN scopes s ON s.id = b.scope
    ${c.clause()} ORDER BY a.id LIMIT ${c.next(historyRowLimit(limit))}`;
  const rows = await sql.unsafe(text, c.params, { prepare: true }).values();
  return auditPage(rows.map(toAuditRow), resume, limit);
}

/** An audit row from its columns: id, applied_at, run_id, batch_id, customer, media, volume, changes. */
function toAuditRow(row: readonly unknown[]): AuditRow {
  return {
    id: Number(row[0]),
    appliedAt: Number(row[1]),
    runId: String(row[2]),
    batchId: String(row[3]),
    customer: String(row[4]),
    media: String(row[5]),
    volume: String(row[6]),
    changes: String(row[7]),
  };
}

/**
 * One page of a run's history in two index-driven steps, so a page costs the same at the start and at the
 * end of a run of any size: the run's next batches in the order of their audit ids (each has at least one
 * audit row at or after the resume point, so a page needs at most as many batches as rows), then their
 * audit rows from the id range they span, in id order, stopping at the page. A run's batches write their
 * audit rows one at a time (each holds its run's row locked from its audit insert to its commit,
 * _batch_writer.ts), so their ranges follow each other, though two may have claimed their batch ids in the
 * other order; rows of other runs inside the range are left out by their batch.
 * (One query joining both let PostgreSQL pick a plan that read and sorted every remaining row of the run:
 * up to 180 ms per page for 200,000 rows.)
 */
async function runHistory(
  sql: Sql,
  runId: string,
  query: HistoryQuery,
  resume: { entry: number; row: number } | undefined,
  limit: number,
): Promise<HistoryPage> {
  const rows = historyRowLimit(limit);
  const c = new Conditions();
  c.add("b.run = (SELECT id FROM runs WHERE run_id = ?)", runId);
  c.add("b.last_audit >= ?", resume?.row ?? 0);
  if (query.customer !== undefined) c.add("s.customer = ?", query.customer);
  if (query.media !== undefined) c.add("s.media = ?", query.media);
  const batches = await sql.unsafe(
    `SELECT b.id, b.first_audit, b.last_audit, b.applied_at, b.batch_id, s.customer, s.media
      FROM batches b JOIN scopes s ON s.id = b.scope ${c.clause()}
      ORDER BY b.first_audit LIMIT ${c.next(rows)}`,
    c.params,
    { prepare: true },
  ).values();
  if (batches.length === 0) return { entries: [] };
  const byId = new Map(batches.map((b) => [String(b[0]), b]));
  const from = Math.max(Number(batches[0][1]), resume?.row ?? 0);
  const to = Number(batches[batches.length - 1][2]);
  const audit = await sql`SELECT id, batch, volume, changes FROM audit
    WHERE id BETWEEN ${from} AND ${to} AND batch = ANY(${[...byId.keys()]}::bigint[])
    ORDER BY id LIMIT ${rows}`.values();
  const joined = audit.map((row) => {
    const b = byId.get(String(row[1]))!;
    return toAuditRow([row[0], b[3], runId, b[4], b[5], b[6], row[2], row[3]]);
  });
  return auditPage(joined, resume, limit);
}
