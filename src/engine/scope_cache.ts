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

/** The key of a scope in the cache and in the batch sender (`ScopeEntry.key`). */
export function scopeKey(customer: string, media: string): string {
  return `${customer}\x1f${media}`;
}

/** Slot flags of a ScopeEntry. */
const SEEN = 1;
const PENDING = 2;

/**
 * A hash of a volume computed in JavaScript (FNV-1a over its UTF-16 code units, 30 bits, so a small
 * integer). V8 hashes a string the first time it is a `Map` key through a call into its runtime, about
 * 350-430 ns a string against 15-30 ns for this loop (measured with Deno 2.9, 1,000,000 new 8-character
 * volumes), and every volume an initial load adds is such a new string.
 */
export function volumeHash(volume: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < volume.length; i++) hash = Math.imul(hash ^ volume.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}

/**
 * One cached scope. Each volume is kept as one string: the values of the cached fields joined by
 * FIELD_SEPARATOR, ABSENT for no value, in `#rows` by slot, with a byte of flags per slot in `#flags`.
 *
 * The volumes loaded from the inventory arrive ordered by volume and stay as that sorted array: a lookup
 * is a binary search, so loading a scope builds no hash table (measured: 1,000,000 records, sorted steady
 * state, the map's inserts and lookups took 1.26 s of a 7.9 s profile). Volumes the scope did not have
 * (added, or looked up and not found) get slots after the loaded ones, found through a map keyed by
 * `volumeHash` (the rare volumes whose hash another has go in a second map), so no volume string is ever a
 * map key. Should a store ever deliver volumes out of this order (a collation other than binary), the
 * loaded volumes go into the map too.
 */
export class ScopeEntry {
  /** Loaded volumes in ascending order; slot i holds loaded volume i. */
  readonly #loaded: string[] = [];
  /** The volume of each slot after the loaded ones (slot `#loaded.length + i` is `#extra[i]`). */
  readonly #extra: string[] = [];
  /** The slot of each `volumeHash` among the slots after the loaded ones (the first volume with it). */
  readonly #index = new Map<number, number>();
  /** Further slots of a hash that two or more of those volumes share (rare: 30 bits), by hash. */
  #collided: Map<number, number[]> | undefined;
  #sorted = true;
  #rows: (string | undefined)[] = [];
  /** Per slot: SEEN (a record of the run named it), PENDING (it has a change not yet sent). */
  #flags = new Uint8Array(64);
  /**
   * Per slot with the PENDING flag: its cached entry before the run changed it (`null`: the volume is to
   * be added). The change is worked out from this and the cache when the batch is built.
   */
  #before: (string | null | undefined)[] = [];
  /** Slots given a pending change since the last `takePending` (one may since have been dropped). */
  #pendingSlots: number[] = [];
  #pendingCount = 0;

  /**
   * @param key the scope's cache key
   * @param scope customer and media
   * @param counter volumes held across all scopes, kept by the entries as they grow (the budget)
   */
  constructor(readonly key: string, readonly scope: ScopeKey, readonly counter: { volumes: number }) {}

  /** When the scope was last used (a tick of its cache), for least-recently-used eviction. */
  lastUsed = 0;

  /**
   * Take one volume of the scope's load, in the order the inventory delivers them (before any lookup).
   */
  load(volume: string, entry: string): void {
    const loaded = this.#loaded;
    if (this.#sorted) {
      const n = loaded.length;
      if (n === 0 || loaded[n - 1] < volume) {
        loaded.push(volume);
        this.#rows.push(entry);
        this.counter.volumes++;
        return;
      }
      // Out of order: from here on every volume is found through the map (slots stay as they are).
      this.#sorted = false;
      const volumes = loaded.splice(0, n);
      for (let i = 0; i < n; i++) this.#addExtra(volumes[i], volumeHash(volumes[i]), i);
    }
    this.#rows[this.slot(volume)] = entry;
  }

  /** The volume in a slot. */
  #volumeAt(i: number): string {
    const loaded = this.#loaded;
    return i < loaded.length ? loaded[i] : this.#extra[i - loaded.length];
  }

  /** Give `volume` (of `volumeHash` `hash`) the slot `i`, the next after the loaded ones, in the map. */
  #addExtra(volume: string, hash: number, i: number): void {
    this.#extra.push(volume);
    if (!this.#index.has(hash)) this.#index.set(hash, i);
    else {
      const collided = this.#collided ??= new Map();
      const slots = collided.get(hash);
      if (slots === undefined) collided.set(hash, [i]);
      else slots.push(i);
    }
  }

  /** The slot of a loaded volume (binary search), or -1. */
  #findLoaded(volume: string): number {
    const loaded = this.#loaded;
    let low = 0;
    let high = loaded.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = loaded[mid];
      if (at < volume) low = mid + 1;
      else if (at > volume) high = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** The slot of a volume of `volumeHash` `hash` after the loaded ones, or -1. */
  #findExtra(volume: string, hash: number): number {
    const first = this.#loaded.length;
    const i = this.#index.get(hash);
    if (i === undefined) return -1;
    if (this.#extra[i - first] === volume) return i;
    for (const slot of this.#collided?.get(hash) ?? []) {
      if (this.#extra[slot - first] === volume) return slot;
    }
    return -1;
  }

  /** The slot of a volume, or -1 when the scope has no slot for it. */
  #find(volume: string): number {
    const i = this.#findLoaded(volume);
    return i !== -1 || this.#extra.length === 0 ? i : this.#findExtra(volume, volumeHash(volume));
  }

  /**
   * The slot of a volume, created when new: one lookup per record, then `at`/`setAt`/`markSeen` by slot
   * (each further lookup by string costs a cache miss on shuffled input).
   */
  slot(volume: string): number {
    let i = this.#findLoaded(volume);
    if (i !== -1) return i;
    const hash = volumeHash(volume);
    if (this.#extra.length > 0) i = this.#findExtra(volume, hash);
    if (i === -1) {
      i = this.#rows.length;
      this.#addExtra(volume, hash, i);
      this.#rows.push(undefined);
      this.counter.volumes++;
    }
    return i;
  }

  /** The cached entry in a slot, undefined when the scope has no such volume (yet). */
  at(i: number): string | undefined {
    return this.#rows[i];
  }

  /** Set the cached entry in a slot. */
  setAt(i: number, entry: string): void {
    this.#rows[i] = entry;
  }

  /** The cached entry of a volume, undefined when the scope has no such volume. */
  get(volume: string): string | undefined {
    const i = this.#find(volume);
    return i === -1 ? undefined : this.#rows[i];
  }

  /** Set the cached entry of a volume (adding the volume when new). */
  set(volume: string, entry: string): void {
    this.#rows[this.slot(volume)] = entry;
  }

  /** Forget what is cached of a volume (after a conflict the store holds something else). */
  forget(volume: string): void {
    const i = this.#find(volume);
    if (i !== -1) this.#rows[i] = undefined;
  }

  /**
   * Mark a slot's volume as seen in this run.
   * @returns true when it had been seen before (a duplicate record)
   */
  markSeen(i: number): boolean {
    const flags = this.#flagsFor(i);
    if ((flags[i] & SEEN) !== 0) return true;
    flags[i] |= SEEN;
    return false;
  }

  /** Changes not yet sent. */
  get pendingCount(): number {
    return this.#pendingCount;
  }

  /** The cached entry of the slot's volume before the run changed it (`null`: an add), while it is pending. */
  pendingBefore(i: number): string | null | undefined {
    return this.hasPending(i) ? this.#before[i] : undefined;
  }

  /** Whether the slot's volume has a change not yet sent. */
  hasPending(i: number): boolean {
    return i < this.#flags.length && (this.#flags[i] & PENDING) !== 0;
  }

  /** Note the change of the volume in slot `i` (not pending), with its cached entry before the run changed it. */
  addPending(i: number, before: string | null): void {
    this.#before[i] = before;
    this.#flagsFor(i)[i] |= PENDING;
    this.#pendingSlots.push(i);
    this.#pendingCount++;
  }

  /** Take back the change of the volume in slot `i` (a later record restored what is stored). */
  dropPending(i: number): void {
    if (!this.hasPending(i)) return;
    this.#flags[i] &= ~PENDING;
    this.#before[i] = undefined;
    this.#pendingCount--;
  }

  /**
   * The changes not yet sent, in volume order, as volume, entry before the run changed it and entry now;
   * none are left.
   */
  takePending(): [volume: string, before: string | null, after: string][] {
    const taken: [string, string | null, string][] = [];
    const flags = this.#flags;
    for (const i of this.#pendingSlots) {
      if ((flags[i] & PENDING) === 0) continue; // dropped, or taken already (added again after a drop)
      flags[i] &= ~PENDING;
      taken.push([this.#volumeAt(i), this.#before[i]!, this.#rows[i]!]);
    }
    this.#before = [];
    this.#pendingSlots = [];
    this.#pendingCount = 0;
    return taken.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** The flags, grown to hold slot `i`. */
  #flagsFor(i: number): Uint8Array {
    if (i >= this.#flags.length) {
      const grown = new Uint8Array(Math.max(this.#flags.length * 2, i + 1));
      grown.set(this.#flags);
      this.#flags = grown;
    }
    return this.#flags;
  }

  /** Volumes known to the cache (loaded, added, or seen in the input). */
  get size(): number {
    return this.#rows.length;
  }
}

/** Called before a scope leaves the cache, so its pending changes are sent first. */
export type EvictHandler = (entry: ScopeEntry) => Promise<void>;

/** Options of a ScopeCache. */
export interface ScopeCacheOptions {
  /** Volumes the cache may hold across scopes; the scope in use is always kept. */
  budget: number;
  /** Scope loads `prefetch` may have under way at once (0: none; see `Inventory.scopeLoadsAhead`). */
  loadsAhead: number;
  /** Names of the fields cached per volume, in the order of the entry strings. */
  fields: readonly string[];
  onEvict: EvictHandler;
}

/** The LRU cache of scopes over an Inventory. */
export class ScopeCache {
  readonly #inventory: Inventory;
  readonly #options: ScopeCacheOptions;
  /** Cached scopes by customer, then media: no key string is built per record. */
  readonly #entries = new Map<string, Map<string, ScopeEntry>>();
  #tick = 0;
  /** Volumes held across the cached scopes; the entries count their own growth into it. */
  readonly #counter = { volumes: 0 };
  #last: ScopeEntry | undefined;
  /** Loads started by `prefetch` and not yet taken by `get`, by scope key. */
  readonly #loading = new Map<string, Promise<ScopeEntry>>();
  /** The most volumes a loaded scope had: what a prefetch is expected to bring into the budget. */
  #largestLoad = 0;
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
    if (last !== undefined && last.scope.media === media && last.scope.customer === customer) return last;
    const entry = this.#entries.get(customer)?.get(media);
    if (entry !== undefined) {
      entry.lastUsed = ++this.#tick;
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
    const key = scopeKey(customer, media);
    let entry: ScopeEntry;
    const loading = this.#loading.get(key);
    if (loading !== undefined) {
      try {
        entry = await loading;
      } finally {
        this.#loading.delete(key);
      }
    } else entry = await this.#load(key, customer, media);
    let byMedia = this.#entries.get(customer);
    if (byMedia === undefined) this.#entries.set(customer, byMedia = new Map());
    byMedia.set(media, entry);
    entry.lastUsed = ++this.#tick;
    this.#last = entry;
    await this.#evictOver(entry);
    return entry;
  }

  /**
   * Start loading a scope the run will want soon, so that its round trip overlaps the work on the scope in
   * use; `get` takes it over. Nothing is started when `loadsAhead` loads are already under way, when the
   * scope is cached or loading, or when the budget has no room for another scope as large as the largest
   * loaded so far. A prefetch never evicts (the scope in use stays); `get` does, as for any load. A failed
   * prefetch fails the `get` that takes it.
   */
  prefetch(customer: string, media: string): void {
    if (this.#loading.size >= this.#options.loadsAhead) return;
    if (this.#entries.get(customer)?.has(media)) return;
    const key = scopeKey(customer, media);
    if (this.#loading.has(key)) return;
    const room = this.#options.budget - this.#counter.volumes;
    if (room < (this.#loading.size + 1) * Math.max(this.#largestLoad, 1)) return;
    const loading = this.#load(key, customer, media);
    loading.catch(() => {}); // the failure is rethrown by the `get` that takes it, or dropped by `settle`
    this.#loading.set(key, loading);
  }

  /** Wait for the prefetches still under way, ignoring their failures (the run ends, or failed already). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#loading.values());
    this.#loading.clear();
  }

  /** Load every volume of a scope with one inventory call into a new entry (not yet in the cache). */
  async #load(key: string, customer: string, media: string): Promise<ScopeEntry> {
    const entry = new ScopeEntry(key, { customer, media }, this.#counter);
    const fields = this.#options.fields;
    const width = fields.length;
    const parts: string[] = new Array(width);
    for await (const rows of this.#inventory.loadScope(entry.scope)) {
      for (const row of rows) {
        const values = row.fields;
        for (let i = 0; i < width; i++) parts[i] = values[fields[i]] ?? ABSENT;
        entry.load(row.volume, parts.join(FIELD_SEPARATOR));
      }
    }
    this.loads++;
    if (entry.size > this.#largestLoad) this.#largestLoad = entry.size;
    return entry;
  }

  /**
   * Evict other scopes if the entry's growth (added volumes) took the cache over its budget, so an initial
   * load of many scopes stays within the budget too.
   */
  checkBudget(entry: ScopeEntry): Promise<void> | undefined {
    return this.#counter.volumes > this.#options.budget ? this.#evictOver(entry) : undefined;
  }

  /** Every cached scope, least recently used first. */
  entries(): ScopeEntry[] {
    const all: ScopeEntry[] = [];
    for (const byMedia of this.#entries.values()) all.push(...byMedia.values());
    return all.sort((a, b) => a.lastUsed - b.lastUsed);
  }

  async #evictOver(keep: ScopeEntry): Promise<void> {
    // Within the budget (the usual case after a load), the scopes are not even listed and sorted.
    if (this.#counter.volumes <= this.#options.budget) return;
    for (const entry of this.entries()) {
      if (this.#counter.volumes <= this.#options.budget) return;
      if (entry === keep) continue;
      await this.#options.onEvict(entry);
      this.#entries.get(entry.scope.customer)?.delete(entry.scope.media);
      if (this.#last === entry) this.#last = undefined;
      this.#counter.volumes -= entry.size;
      this.evictions++;
    }
  }
}
