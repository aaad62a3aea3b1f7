/**
 * @module
 * Slows down password guessing: failed logons are counted per client address and per account name, and
 * after a few free attempts each further attempt must wait twice as long as the one before (up to a cap).
 * Attempts that come too early are refused without checking the password.
 */
import type { AccountStore } from "./account_store.ts";

/** Tuning of the throttle; every field has a default. */
export interface LogonThrottleOptions {
  /** Failures allowed without delay. Default 3. */
  freeAttempts?: number;
  /** Delay after the first failure beyond the free ones. Default 1,000 ms. */
  baseDelayMs?: number;
  /** Longest delay. Default 60,000 ms. */
  maxDelayMs?: number;
  /** Failures older than this are forgotten. Default 15 minutes. */
  windowMs?: number;
}

/** Counts failed logons in an AccountStore and says how long a key must wait. */
export class LogonThrottle {
  readonly #store: AccountStore;
  readonly #free: number;
  readonly #base: number;
  readonly #max: number;
  readonly #window: number;

  constructor(store: AccountStore, options: LogonThrottleOptions = {}) {
    this.#store = store;
    this.#free = options.freeAttempts ?? 3;
    this.#base = options.baseDelayMs ?? 1_000;
    this.#max = options.maxDelayMs ?? 60_000;
    this.#window = options.windowMs ?? 15 * 60_000;
  }

  /** The delay owed after `failures` failures. */
  delayFor(failures: number): number {
    if (failures <= this.#free) return 0;
    return Math.min(this.#max, this.#base * 2 ** (failures - this.#free - 1));
  }

  /**
   * How long the caller must still wait before trying again.
   * @param keys e.g. `["addr:10.0.0.7", "user:alice"]`
   * @param now milliseconds since the epoch
   * @returns 0 when an attempt is allowed now, else the milliseconds left for the slowest key
   */
  async waitMs(keys: readonly string[], now: number): Promise<number> {
    let wait = 0;
    for (const key of keys) {
      const failure = await this.#store.failures(key);
      if (failure === undefined || now - failure.lastAt > this.#window) continue;
      wait = Math.max(wait, failure.lastAt + this.delayFor(failure.count) - now);
    }
    return wait;
  }

  /** Count a failed attempt under every key. */
  async fail(keys: readonly string[], now: number): Promise<void> {
    for (const key of keys) await this.#store.recordFailure(key, now, this.#window);
  }

  /** Forget the failures of every key after a successful logon. */
  async succeed(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.#store.clearFailures(key);
  }
}
