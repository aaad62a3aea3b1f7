/**
 * @module
 * The one `Inventory` interface. The embedded SQLite store, the HTTP client of `tapesync serve` and the
 * PostgreSQL store implement it; the engine and the server see only this.
 */
import type {
  BatchResult,
  ChangeBatch,
  FieldValues,
  HistoryPage,
  HistoryQuery,
  ScopeKey,
  StoredVolumeRow,
  VolumePage,
  VolumeQuery,
  VolumeRow,
} from "./model.ts";

/** A logged-on connection to an inventory. */
export interface Inventory {
  /** Where this inventory lives, safe to print (a file path or a URL without userinfo). */
  readonly location: string;
  /** True when this handle cannot write (dry runs open the store read-only). */
  readonly readOnly: boolean;
  /**
   * How many scope loads a run may start ahead of the scope it works on: 0 for a store in this process,
   * whose loads do their work at once; more for one across a network, so that the server and the network
   * work on the next scopes while the engine compares the records of this one.
   */
  readonly scopeLoadsAhead: number;
  /**
   * Log on. Stores without accounts return at once.
   * @throws {AuthError} the credentials were refused
   * @throws {InventoryUnavailableError} the inventory cannot be reached
   */
  logon(): Promise<void>;
  /**
   * Every volume of one scope in volume order, streamed in chunks so a large scope never sits in memory
   * twice.
   * @param after only the volumes ordered after this one: resuming a stream that broke off after it
   */
  loadScope(scope: ScopeKey, after?: string): AsyncIterable<VolumeRow[]>;
  /**
   * Apply one batch atomically. Volumes whose stored fields differ from the batch's old values are
   * reported as conflicts and left as they are; the rest are written with one audit row per field.
   * A batch whose id was applied before returns the first result with `replayed: true`.
   */
  applyBatch(batch: ChangeBatch): Promise<BatchResult>;
  listVolumes(query: VolumeQuery): Promise<VolumePage>;
  history(query: HistoryQuery): Promise<HistoryPage>;
  close(): Promise<void>;
}

/**
 * A store that can give a scope's volumes with their fields as stored JSON text, as `loadScope` gives them
 * parsed (same order, chunks and resume point). The server streams that text to agents without parsing
 * and serialising every volume again; agents check each row they receive.
 */
export interface StoredScopeSource {
  loadStoredScope(scope: ScopeKey, after?: string): AsyncIterable<StoredVolumeRow[]>;
}

/** A store the server can serve: an inventory that also gives its scopes as stored text. */
export type ServedStore = Inventory & StoredScopeSource;

/** Stored rows parsed into the rows `loadScope` gives. */
export function parseStoredRows(rows: readonly StoredVolumeRow[]): VolumeRow[] {
  const chunk: VolumeRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    chunk[i] = { volume: rows[i][0], fields: JSON.parse(rows[i][1]) as FieldValues };
  }
  return chunk;
}
