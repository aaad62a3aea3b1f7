/**
 * @module
 * Volume listings and audit history of the SQLite store: filters, stable order, opaque cursors. Each
 * query shape is prepared once and reused; the SQL of a shape is chosen so SQLite walks an index in
 * the order of the page instead of sorting the whole table.
 */
import type { DatabaseSync, StatementSync } from "../../deps/sqlite.ts";
import { decodeCursor, encodeCursor, pageLimit } from "../page_cursor.ts";
import type { FieldValues, HistoryPage, HistoryQuery, VolumePage, VolumeQuery } from "../model.ts";
import { auditPage, type AuditRow, historyResume, historyRowLimit } from "../audit_rows.ts";
import { volumeCondition } from "../volume_condition.ts";

type Param = string | number | null;

/**
 * Every audit id range of a volume: the `volume_changes` rows of its changes, and the row of its add kept
 * on the volume (schema 4; adds written before have a `volume_changes` row). SQLite pushes the conditions
 * on scope and volume into both parts, so each is a seek on its key; CROSS JOIN keeps it ahead of `audit`
 * (with a cursor, `a.id >= ?` would otherwise make SQLite walk the audit rows after it).
 */
const VOLUME_CHANGES = `(SELECT scope, volume, first_audit, last_audit FROM volume_changes
  UNION ALL SELECT scope, volume, added_audit, added_audit FROM volumes WHERE added_audit IS NOT NULL)`;

/** Runs listings and history queries over one handle. */
export class Listing {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  /** @param db an open handle with the current schema */
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * One page of volumes ordered by customer, media and volume.
   * @throws {RangeError} the limit is not a positive integer or the cursor was not issued by this store
   */
  volumes(query: VolumeQuery): VolumePage {
    const limit = pageLimit(query.limit);
    const where: string[] = [];
    const params: Param[] = [];
    if (query.customer !== undefined) where.push("s.customer = ?"), params.push(query.customer);
    if (query.media !== undefined) where.push("s.media = ?"), params.push(query.media);
    if (query.volume !== undefined) addCondition(volumeCondition("v.volume", query.volume), where, params);
    if (query.after !== undefined) {
      // Scopes from the cursor's one on (walking the scopes index), and in the cursor's scope only the
      // volumes after its volume (a bound the volumes key can seek to; volumes are never empty).
      const [customer, media, volume] = decodeCursor(query.after, "v", 3);
      where.push("(s.customer, s.media) >= (?, ?)");
      where.push("v.volume > CASE WHEN s.customer = ? AND s.media = ? THEN ? ELSE '' END");
      params.push(customer, media, customer, media, volume);
    }
    // CROSS JOIN keeps scopes the outer loop: both loops walk a key in the order of the page, no sort.
    const sql = `SELECT s.customer, s.media, v.volume, v.fields, v.updated_at
      FROM scopes s CROSS JOIN volumes v ON v.scope = s.id ${whereClause(where)}
      ORDER BY s.customer, s.media, v.volume LIMIT ?`;
    const rows = this.#statement(sql).all(...params, limit + 1);
    const volumes = rows.slice(0, limit).map((row) => ({
      customer: String(row.customer),
      media: String(row.media),
      volume: String(row.volume),
      fields: JSON.parse(String(row.fields)) as FieldValues,
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
    }));
    if (rows.length <= limit) return { volumes };
    const last = volumes[volumes.length - 1];
    return { volumes, next: encodeCursor(["v", last.customer, last.media, last.volume]) };
  }

  /**
   * One page of audit entries in the order they were written (by `id`).
   * @throws {RangeError} the limit is not a positive integer or the cursor was not issued by this store
   */
  history(query: HistoryQuery): HistoryPage {
    const limit = pageLimit(query.limit);
    const resume = historyResume(query.after);
    const where: string[] = [];
    const params: Param[] = [];
    // Which table leads: the run's batches or the volume's changes (each an id range of audit rows),
    // or the audit rowid itself. Filters on the other columns only check rows (unary + keeps them
    // from choosing an index). A page resumes at the row of the cursor's entry, which may have fields
    // left; auditPage drops the entries up to the cursor.
    const byRun = query.runId !== undefined;
    const byVolume = !byRun && query.volume !== undefined;
    if (byRun) {
      where.push("b.run = (SELECT id FROM runs WHERE run_id = ?)");
      params.push(query.runId ?? null);
      if (resume !== undefined) where.push("b.last_audit >= ?"), params.push(resume.row);
    }
    if (query.customer !== undefined || query.media !== undefined || byVolume) {
      const scopeWhere: string[] = [];
      if (query.customer !== undefined) scopeWhere.push("customer = ?"), params.push(query.customer);
      if (query.media !== undefined) scopeWhere.push("media = ?"), params.push(query.media);
      where.push(
        `${byVolume ? "c.scope" : "+b.scope"} IN (SELECT id FROM scopes ${whereClause(scopeWhere)})`,
      );
    }
    if (query.volume !== undefined) {
      addCondition(volumeCondition(byVolume ? "c.volume" : "+a.volume", query.volume), where, params);
    }
    if (byVolume && resume !== undefined) where.push("c.last_audit >= ?"), params.push(resume.row);
    if (resume !== undefined) where.push("a.id >= ?"), params.push(resume.row);
    const columns = "a.id, b.applied_at, r.run_id, b.batch_id, s.customer, s.media, a.volume, a.changes";
    const rest = "JOIN runs r ON r.id = b.run JOIN scopes s ON s.id = b.scope";
    const sql = byRun
      ? `SELECT ${columns} FROM batches b JOIN audit a ON a.id BETWEEN b.first_audit AND b.last_audit ${rest}
          ${whereClause(where)} ORDER BY b.id, a.id LIMIT ?`
      : byVolume
      ? `SELECT ${columns} FROM ${VOLUME_CHANGES} c CROSS JOIN audit a ON a.id BETWEEN c.first_audit AND c.last_audit
          JOIN batches b ON b.id = a.batch ${rest} ${whereClause(where)} ORDER BY a.id LIMIT ?`
      : `SELECT ${columns} FROM audit a JOIN batches b ON b.id = a.batch ${rest}
          ${whereClause(where)} ORDER BY a.id LIMIT ?`;
    const rows = this.#statement(sql).all(...params, historyRowLimit(limit)).map((row): AuditRow => ({
      id: Number(row.id),
      appliedAt: Number(row.applied_at),
      runId: String(row.run_id),
      batchId: String(row.batch_id),
      customer: String(row.customer),
      media: String(row.media),
      volume: String(row.volume),
      changes: String(row.changes),
    }));
    return auditPage(rows, resume, limit);
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** Add a condition and its values, if there is one. */
function addCondition(condition: [string, ...string[]] | undefined, where: string[], params: Param[]): void {
  if (condition === undefined) return;
  const [sql, ...values] = condition;
  where.push(sql);
  params.push(...values);
}

function whereClause(conditions: string[]): string {
  return conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
}
