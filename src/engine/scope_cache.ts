/**
 * @module
 * The multi-scope cache: the volumes of every (customer, media) scope the run has touched, loaded once with
 * one call each and kept in least-recently-used order within a volume budget. Unlike the original program,
 * which keeps one scope, shuffled input costs as many loads as sorted input while the scopes fit.
 */
import type { Inventory, ScopeKey } from "../inventory/mod.ts";

/** Separates field values inside a cached volume entry. */
export const FIELD_SEPARATOR = "\x1f";
/** Marks a field with no value inside a cached volume entry (never part of a real value). */
export const ABSENT = "\x00";

/**
 * One cached scope. Each volume is kept as one string: the values of the definition's fields joined by
 * FIELD_SEPARATOR, ABSENT for no value. One string per volume keeps a 1,000,000-volume cache small.
 */
export class ScopeEntry {
  readonly volumes = new Map<string, string>();
  /** Volumes seen in this run while the scope is cached (duplicate detection). */
  readonly seen = new Set<string>();
  /**
   * Volumes with changes not yet sent, each with its cached entry before the run changed it (`null`: the
   * volume is to be added). The change is worked out from this and `volumes` when the batch is built.
   */
  readonly pending = new Map<string, string | null>();

  constructor(readonly key: string, readonly scope: ScopeKey) {}
}

/** Called before a scope leaves the cache, so its pending changes are sent first. */
export type EvictHandler = (entry: ScopeEntry) => Promise<void>;

/** Options of a ScopeCache. */
export interface ScopeCacheOptions {
  /** Volumes the cache may hold across scopes; the scope in use is always kept. */
  budget: number;
  /** Names of the fields cached per volume, in the order of the entry strings. */
  fields: readonly string[];
  onEvict: EvictHandler;
}

/** The LRU cache of scopes over an Inventory. */
export class ScopeCache {
  readonly #inventory: Inventory;
  readonly #options: ScopeCacheOptions;
  readonly #entries = new Map<string, ScopeEntry>();
  #volumes = 0;
  #last: ScopeEntry | undefined;
  /** Scope loads made (one inventory call each). */
  loads = 0;
  evictions = 0;

  constructor(inventory: Inventory, options: ScopeCacheOptions) {
    this.#inventory = inventory;
    this.#options = options;
  }

  /** The scope's entry if cached, without loading; marks it most recently used. */
  peek(customer: string, media: string): ScopeEntry | undefined {
    const last = this.#last;
    if (last !== undefined && last.scope.customer === customer && last.scope.media === media) return last;
    const key = `${customer}\x1f${media}`;
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#last = entry;
    }
    return entry;
  }

  /**
   * The scope's entry, loading every volume of the scope with one call when it is not cached, then
   * evicting least-recently-used scopes while the budget is exceeded.
   */
  async get(customer: string, media: string): Promise<ScopeEntry> {
    const cached = this.peek(customer, media);
    if (cached !== undefined) return cached;
    const key = `${customer}\x1f${media}`;
    const entry = new ScopeEntry(key, { customer, media });
    const fields = this.#options.fields;
    const width = fields.length;
    const parts: string[] = new Array(width);
    for await (const rows of this.#inventory.loadScope(entry.scope)) {
      for (const row of rows) {
        const values = row.fields;
        for (let i = 0; i < width; i++) parts[i] = values[fields[i]] ?? ABSENT;
        entry.volumes.set(row.volume, parts.join(FIELD_SEPARATOR));
      }
    }
    this.loads++;
    this.#entries.set(key, entry);
    this.#volumes += entry.volumes.size;
    this.#last = entry;
    await this.#evictOver(entry);
    return entry;
  }

  /**
   * Record that an entry gained volumes (adds), evicting other scopes if the budget is now exceeded, so an
   * initial load of many scopes stays within the budget too.
   */
  grew(entry: ScopeEntry, count: number): Promise<void> | undefined {
    this.#volumes += count;
    return this.#volumes > this.#options.budget ? this.#evictOver(entry) : undefined;
  }

  /** Every cached scope, least recently used first. */
  entries(): IterableIterator<ScopeEntry> {
    return this.#entries.values();
  }

  /** Volumes held across all cached scopes. */
  get size(): number {
    return this.#volumes;
  }

  async #evictOver(keep: ScopeEntry): Promise<void> {
    for (const entry of this.#entries.values()) {
      if (this.#volumes <= this.#options.budget) return;
      if (entry === keep) continue;
      await this.#options.onEvict(entry);
      this.#entries.delete(entry.key);
      this.#volumes -= entry.volumes.size;
      this.evictions++;
    }
  }
}
