/**
 * @module
 * The one `Inventory` interface. The embedded SQLite store, the HTTP client of `tapesync serve` and the
 * PostgreSQL store implement it; the engine and the server see only this.
 */
import type {
  BatchResult,
  ChangeBatch,
  HistoryPage,
  HistoryQuery,
  ScopeKey,
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
