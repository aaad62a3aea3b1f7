/**
 * @module
 * The stored form of the audit shared by the stores: one row per changed volume per batch, holding every
 * field it changed as `[field, old, new]` triples in JSON, instead of one row per field (an initial load
 * of 1,000,000 volumes with 4 fields writes 1,000,000 rows, not 4,000,000). `history()` still returns one
 * entry per field: `auditPage` expands the rows, and each entry's id is the row id times
 * {@link ENTRIES_PER_ROW} plus the field's place in the row, so entry ids stay unique and increasing and
 * a page may end inside a row.
 */
import type { AuditEntry, HistoryPage } from "./model.ts";
import { decodeCursor, encodeCursor } from "./page_cursor.ts";

/**
 * Room for entries per audit row in an entry id. A volume has fewer syncable fields (SPEC.md: the fixed
 * fields and attr1..attr200), so no row holds more.
 */
export const ENTRIES_PER_ROW = 1024;

/** One field's change inside an audit row. */
export type AuditChange = [field: string, old: string | null, new: string | null];

/** An audit row as the stores read it back, joined with its batch, run and scope. */
export interface AuditRow {
  id: number;
  /** Milliseconds since the epoch when the batch was applied. */
  appliedAt: number;
  runId: string;
  batchId: string;
  customer: string;
  media: string;
  volume: string;
  /** The JSON text of the row's `AuditChange` list. */
  changes: string;
}

/**
 * The text stored for a row's changes.
 * @throws {RangeError} more changes than an entry id has room for (a volume has no such number of fields)
 */
export function encodeAuditChanges(changes: readonly AuditChange[]): string {
  if (changes.length > ENTRIES_PER_ROW) {
    throw new RangeError(
      `Cannot record ${changes.length} field changes in one audit row: at most ${ENTRIES_PER_ROW}`,
    );
  }
  return JSON.stringify(changes);
}

/**
 * Where a history query resumes: the entry id after which the page starts (from the `after` cursor) and
 * the first audit row that can hold a later entry (the row of that entry, which may have fields left).
 * @throws {RangeError} not a history cursor this store issued
 */
export function historyResume(after: string | undefined): { entry: number; row: number } | undefined {
  if (after === undefined) return undefined;
  const entry = decodeCursor(after, "h", 1)[0] as number;
  return { entry, row: Math.floor(entry / ENTRIES_PER_ROW) };
}

/**
 * Rows a history query asks for to fill a page of `limit` entries and know whether more follow: every
 * row holds at least one entry, and only the first row can be partly before the cursor.
 */
export function historyRowLimit(limit: number): number {
  return limit + 2;
}

/**
 * One page of entries from audit rows read in id order, at most `historyRowLimit(limit)` of them,
 * starting after the resume point.
 */
export function auditPage(
  rows: readonly AuditRow[],
  resume: { entry: number } | undefined,
  limit: number,
): HistoryPage {
  const entries: AuditEntry[] = [];
  for (const row of rows) {
    const at = new Date(row.appliedAt).toISOString();
    const changes = JSON.parse(row.changes) as AuditChange[];
    for (let i = 0; i < changes.length; i++) {
      const id = row.id * ENTRIES_PER_ROW + i;
      if (resume !== undefined && id <= resume.entry) continue;
      if (entries.length === limit) {
        return { entries, next: encodeCursor(["h", entries[limit - 1].id]) };
      }
      const [field, old, value] = changes[i];
      entries.push({
        id,
        at,
        runId: row.runId,
        batchId: row.batchId,
        customer: row.customer,
        media: row.media,
        volume: row.volume,
        field,
        old,
        new: value,
      });
    }
  }
  return { entries };
}
