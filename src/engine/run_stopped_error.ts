/**
 * @module
 * A run stopped by the bad-record policy `stop`, or by a fatal input error: carries the statistics so far
 * so the report is still printed.
 */
import type { SyncStats } from "./sync_stats.ts";

/** The run stopped before the end of input. Batches sent before the stop stay applied. */
export class RunStoppedError extends Error {
  override name = "RunStoppedError";
  constructor(readonly stats: SyncStats, readonly pendingDiscarded: number, options: ErrorOptions) {
    const cause = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`Cannot finish the run: ${cause}; ${pendingDiscarded} pending change(s) were not written`, options);
  }
}
