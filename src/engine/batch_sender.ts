/**
 * @module
 * Sends a run's batches to the inventory, one batch in flight at most, and counts what the inventory did
 * with each (added, updated, fields written, conflicts) into the run's statistics.
 */
import type { Inventory, VolumeChange } from "../inventory/mod.ts";
import type { ScopeEntry } from "./scope_cache.ts";
import { sample, type SyncStats } from "./sync_stats.ts";

/** Count a change's fields into `fieldsUpdated`. */
export function countFields(stats: SyncStats, change: VolumeChange): void {
  const fieldsUpdated = stats.fieldsUpdated;
  for (const field in change.changes) fieldsUpdated[field] = (fieldsUpdated[field] ?? 0) + 1;
}

/** Count changes a dry run would make, as if applied. */
export function countPlanned(stats: SyncStats, changes: VolumeChange[]): void {
  for (const change of changes) {
    if (change.op === "add") stats.volumesAdded++;
    else stats.volumesUpdated++;
    countFields(stats, change);
  }
}

/**
 * Sends batches keeping at most one in flight: `send` waits for the previous batch's answer, then starts
 * this one and returns, so reading and diffing go on while the inventory applies it (over HTTP the round
 * trip overlaps the next records; the embedded store answers at once). `drain` waits for the last one.
 */
export class BatchSender {
  #seq = 0;
  #inflight: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  constructor(readonly inventory: Inventory, readonly runId: string, readonly stats: SyncStats) {}

  /** Send the changes of one scope as one batch (its id `RUN-NNNNNN` is the idempotency key). */
  async send(entry: ScopeEntry, changes: VolumeChange[]): Promise<void> {
    await this.drain();
    const sending = this.#apply(entry, changes);
    // The answer is awaited by the next send or by drain; until then a failure is kept, not unhandled.
    this.#inflight = sending.catch((error: unknown) => {
      this.#failure ??= { error };
    });
  }

  /** Wait for the batch in flight; rethrow its failure. */
  async drain(): Promise<void> {
    if (this.#inflight === undefined) return;
    await this.#inflight;
    this.#inflight = undefined;
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#failure = undefined;
      throw failure.error;
    }
  }

  /** Wait for the batch in flight without rethrowing (a run that already fails for another reason). */
  async settle(): Promise<void> {
    await this.#inflight;
  }

  async #apply(entry: ScopeEntry, changes: VolumeChange[]): Promise<void> {
    const batchId = `${this.runId}-${String(++this.#seq).padStart(6, "0")}`;
    const result = await this.inventory.applyBatch({
      id: batchId,
      runId: this.runId,
      customer: entry.scope.customer,
      media: entry.scope.media,
      changes,
    });
    const stats = this.stats;
    stats.batchesApplied++;
    stats.volumesAdded += result.added;
    stats.volumesUpdated += result.updated;
    const conflicted = new Set<string>();
    for (const conflict of result.conflicts) {
      conflicted.add(conflict.volume);
      sample(stats.conflictSamples, { ...entry.scope, ...conflict });
    }
    stats.conflicts += conflicted.size;
    for (const change of changes) {
      if (conflicted.has(change.volume)) entry.forget(change.volume);
      else countFields(stats, change);
    }
  }
}
