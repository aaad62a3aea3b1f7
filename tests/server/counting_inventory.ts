/**
 * @module
 * Wraps a real store and counts calls (scope loads, batches), for tests that check how often the server
 * or the engine reached the store. Everything else goes straight to the wrapped store.
 */
import type {
  BatchResult,
  ChangeBatch,
  HistoryPage,
  HistoryQuery,
  Inventory,
  ScopeKey,
  ServedStore,
  StoredVolumeRow,
  VolumePage,
  VolumeQuery,
  VolumeRow,
} from "../../src/inventory/mod.ts";

/** A counting pass-through Inventory (the engine's or the agent's side). */
export class CountingInventory<T extends Inventory = Inventory> implements Inventory {
  readonly calls = { loadScope: 0, applyBatch: 0 };
  /** The scopes loaded, as "customer/media", in call order. */
  readonly scopes: string[] = [];

  constructor(readonly inner: T) {}

  get location(): string {
    return this.inner.location;
  }

  get readOnly(): boolean {
    return this.inner.readOnly;
  }

  get scopeLoadsAhead(): number {
    return this.inner.scopeLoadsAhead;
  }

  logon(): Promise<void> {
    return this.inner.logon();
  }

  /** Count one scope load. */
  protected countLoad(scope: ScopeKey): void {
    this.calls.loadScope++;
    this.scopes.push(`${scope.customer}/${scope.media}`);
  }

  loadScope(scope: ScopeKey, after?: string): AsyncIterable<VolumeRow[]> {
    this.countLoad(scope);
    return this.inner.loadScope(scope, after);
  }

  applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    this.calls.applyBatch++;
    return this.inner.applyBatch(batch);
  }

  listVolumes(query: VolumeQuery): Promise<VolumePage> {
    return this.inner.listVolumes(query);
  }

  history(query: HistoryQuery): Promise<HistoryPage> {
    return this.inner.history(query);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * A counting pass-through store for the server, which loads scopes as stored text: such a load counts as
 * a scope load too.
 */
export class CountingStore extends CountingInventory<ServedStore> implements ServedStore {
  loadStoredScope(scope: ScopeKey, after?: string): AsyncIterable<StoredVolumeRow[]> {
    this.countLoad(scope);
    return this.inner.loadStoredScope(scope, after);
  }
}

/**
 * Orders two interleaved runs: `loaded` resolves once a scope load has finished, and every batch waits
 * for `gate`. Everything else goes to the real inventory.
 */
export class GatedInventory extends CountingInventory {
  readonly loaded: Promise<void>;
  #markLoaded!: () => void;

  constructor(inner: Inventory, readonly gate: Promise<void>) {
    super(inner);
    this.loaded = new Promise((resolve) => this.#markLoaded = resolve);
  }

  override async *loadScope(scope: ScopeKey, after?: string): AsyncIterable<VolumeRow[]> {
    yield* super.loadScope(scope, after);
    this.#markLoaded();
  }

  override async applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    await this.gate;
    return await super.applyBatch(batch);
  }
}
