/**
 * @module
 * The statistics of one run: counters the engine keeps while it works, and the JSON shape printed with
 * `--stats-json` (the same shape the agent stores and the server compares).
 */

/** A count with a breakdown by reason (skips) or by field (updates). */
export interface Breakdown {
  total: number;
  byReason: Record<string, number>;
}

/** One record that could not be used, as reported. */
export interface RecordErrorEntry {
  line: number;
  field: string;
  message: string;
}

/** A field whose difference is reported instead of written (`mode: alert`). */
export interface AlertEntry {
  customer: string;
  media: string;
  volume: string;
  field: string;
  inventoryValue: string | null;
  sourceValue: string | null;
  line: number;
}

/** A volume the store refused to change because it changed underneath the run. */
export interface ConflictEntry {
  customer: string;
  media: string;
  volume: string;
  field: string;
  expected: string | null;
  actual: string | null;
  reason: string;
}

/** The statistics printed at the end of a run and written by `--stats-json`. */
export interface SyncStats {
  runId: string;
  dryRun: boolean;
  /** Input lines seen by the source (records, headers and skipped lines). */
  linesRead: number;
  recordsRead: number;
  /** Records and non-record lines skipped, by reason (filters, blank lines, product messages ...). */
  recordsSkipped: Breakdown;
  volumesUnchanged: number;
  volumesUpdated: number;
  volumesAdded: number;
  /** Volumes the inventory lacks while adding is off. */
  volumesNotFound: number;
  /** Field changes written (or planned), by field. */
  fieldsUpdated: Record<string, number>;
  duplicates: number;
  scopesLoaded: number;
  scopeEvictions: number;
  batchesApplied: number;
  conflicts: number;
  alerts: number;
  errors: number;
  durationMs: number;
  /** First record errors (at most 100), for the report. */
  errorSamples: RecordErrorEntry[];
  conflictSamples: ConflictEntry[];
  /** Volumes not found while adding is off (at most 100). */
  notFoundSamples: string[];
  /** Duplicate volumes (at most 100), as "customer/media/volume@line". */
  duplicateSamples: string[];
}

/** Samples kept per kind, so a run over a bad export keeps bounded memory. */
export const SAMPLE_LIMIT = 100;

/** A fresh set of counters. */
export function emptyStats(runId: string, dryRun: boolean): SyncStats {
  return {
    runId,
    dryRun,
    linesRead: 0,
    recordsRead: 0,
    recordsSkipped: { total: 0, byReason: {} },
    volumesUnchanged: 0,
    volumesUpdated: 0,
    volumesAdded: 0,
    volumesNotFound: 0,
    fieldsUpdated: {},
    duplicates: 0,
    scopesLoaded: 0,
    scopeEvictions: 0,
    batchesApplied: 0,
    conflicts: 0,
    alerts: 0,
    errors: 0,
    durationMs: 0,
    errorSamples: [],
    conflictSamples: [],
    notFoundSamples: [],
    duplicateSamples: [],
  };
}

/** Count a skip under its reason. */
export function countSkip(stats: SyncStats, reason: string, count = 1): void {
  stats.recordsSkipped.total += count;
  stats.recordsSkipped.byReason[reason] = (stats.recordsSkipped.byReason[reason] ?? 0) + count;
}

/** Keep a sample if there is room. */
export function sample<T>(list: T[], item: T): void {
  if (list.length < SAMPLE_LIMIT) list.push(item);
}
