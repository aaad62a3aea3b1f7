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

/** Batches a run keeps in flight at most (of different scopes). */
export const MAX_IN_FLIGHT = 2;

/** A batch sent and not yet answered. */
interface Flight {
  scope: string;
  done: Promise<void>;
}

/**
 * Sends batches keeping at most {@link MAX_IN_FLIGHT} in flight, never two of one scope at once: `send`
 * waits for a free place (and for its scope's batch in flight), then starts this one and returns, so
 * reading and diffing go on while the inventory applies it. Over HTTP the second batch keeps the server
 * and its database busy while the first one's answer travels back and the next one is built; two batches
 * of one scope stay in order, since a later one may change what an earlier one wrote. The embedded store
 * answers at once. `drain` waits for all; a failure is rethrown by the next `send` or `drain`.
 */
export class BatchSender {
  #seq = 0;
  readonly #inflight: Flight[] = [];
  #failure: { error: unknown } | undefined;

  constructor(
    readonly inventory: Inventory,
    readonly runId: string,
    readonly stats: SyncStats,
    readonly maxInFlight = MAX_IN_FLIGHT,
  ) {}

  /** Send the changes of one scope as one batch (its id `RUN-NNNNNN` is the idempotency key). */
  async send(entry: ScopeEntry, changes: VolumeChange[]): Promise<void> {
    for (;;) {
      this.#rethrow();
      const same = this.#inflight.find((flight) => flight.scope === entry.key);
      if (same !== undefined) await same.done;
      else if (this.#inflight.length >= this.maxInFlight) {
        await Promise.race(this.#inflight.map((f) => f.done));
      } else break;
    }
    const flight: Flight = { scope: entry.key, done: Promise.resolve() };
    // The answer is awaited by a later send or by drain; until then a failure is kept, not unhandled.
    flight.done = this.#apply(entry, changes).catch((error: unknown) => {
      this.#failure ??= { error };
    }).finally(() => {
      this.#inflight.splice(this.#inflight.indexOf(flight), 1);
    });
    this.#inflight.push(flight);
  }

  /**
   * The answer of the batch in flight for a scope, if there is one (a failure is kept for the next `send`
   * or `drain`): a scope evicted with its changes sent is loaded again only after they are applied.
   */
  inFlight(scopeKey: string): Promise<void> | undefined {
    return this.#inflight.find((flight) => flight.scope === scopeKey)?.done;
  }

  /** Wait for every batch in flight; rethrow the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.#rethrow();
  }

  /** Wait for every batch in flight without rethrowing (a run that already fails for another reason). */
  async settle(): Promise<void> {
    while (this.#inflight.length > 0) await Promise.all(this.#inflight.map((flight) => flight.done));
  }

  #rethrow(): void {
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#failure = undefined;
      throw failure.error;
    }
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
    // Asked only when there are conflicts: V8 would hash every new volume string for an empty set too.
    for (const change of changes) {
      if (conflicted.size > 0 && conflicted.has(change.volume)) entry.forget(change.volume);
      else countFields(stats, change);
    }
  }
}
