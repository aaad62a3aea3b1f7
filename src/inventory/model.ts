/**
 * @module
 * The inventory model shared by every store (embedded SQLite, HTTP client, PostgreSQL) and the engine:
 * scopes, volume rows, change batches, their results, listings and audit history.
 */

/** A (customer, media) pair. Volume IDs are unique only inside a scope. */
export interface ScopeKey {
  customer: string;
  media: string;
}

/**
 * Field values of one volume: canonical field name (e.g. `repository`, `moveDate`, `attr7`) to its
 * canonical string form (ISO dates, `YES`/`NO`). An absent key means the field has no value.
 */
export type FieldValues = Record<string, string>;

/** One volume of a scope as downloaded by a scope load. */
export interface VolumeRow {
  volume: string;
  fields: FieldValues;
}

/**
 * One volume of a scope as a store keeps it: the volume and its fields as stored JSON text (an object of
 * field name to value, as `JSON.stringify(fields)` wrote it). The server passes the text on unparsed.
 */
export type StoredVolumeRow = [volume: string, fields: string];

/** The change of one field: the value the engine read from the scope (`null` = absent) and the new one. */
export interface FieldChange {
  old: string | null;
  new: string | null;
}

/** One volume's change inside a batch. `add` creates the volume; `update` changes named fields only. */
export interface VolumeChange {
  volume: string;
  op: "add" | "update";
  /** Field name to change. For `add`, every `old` is `null`. */
  changes: Record<string, FieldChange>;
}

/**
 * A batch of changes to one scope, applied atomically. `id` is an idempotency key: a batch applied
 * once answers a repeat with the first result and writes nothing.
 */
export interface ChangeBatch {
  id: string;
  runId: string;
  customer: string;
  media: string;
  changes: VolumeChange[];
}

/** A volume that was not written because the store no longer holds what the batch expected. */
export interface Conflict {
  volume: string;
  /** The field that differs; empty for whole-volume conflicts (`exists`, `missing`). */
  field: string;
  expected: string | null;
  actual: string | null;
  /** `changed`: a field differs from the expected old value; `exists`: an add found the volume; `missing`: an update found none. */
  reason: "changed" | "exists" | "missing";
}

/** What a store did with one batch. */
export interface BatchResult {
  batchId: string;
  added: number;
  updated: number;
  /** Audit rows written (one per changed field). */
  fieldsChanged: number;
  conflicts: Conflict[];
  /** True when the batch id had been applied before and this is the stored first answer. */
  replayed: boolean;
}

/** A volume as listed. */
export interface Volume {
  customer: string;
  media: string;
  volume: string;
  fields: FieldValues;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
}

/** Filters and paging for a volume listing. `after` is the opaque cursor of the previous page. */
export interface VolumeQuery {
  customer?: string;
  media?: string;
  /** Exact volume ID, or a prefix when it ends in `*`. */
  volume?: string;
  limit?: number;
  after?: string;
}

export interface VolumePage {
  volumes: Volume[];
  /** Cursor of the next page; absent on the last page. */
  next?: string;
}

/** One audit row: one field of one volume changed by one batch. */
export interface AuditEntry {
  id: number;
  /** ISO 8601 time the change was applied. */
  at: string;
  runId: string;
  batchId: string;
  customer: string;
  media: string;
  volume: string;
  field: string;
  old: string | null;
  new: string | null;
}

export interface HistoryQuery {
  customer?: string;
  media?: string;
  volume?: string;
  runId?: string;
  limit?: number;
  after?: string;
}

export interface HistoryPage {
  entries: AuditEntry[];
  next?: string;
}
