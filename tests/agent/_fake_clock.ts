/**
 * @module
 * A fake `Clock` for scheduler tests: time moves only when the test says so. Sleeps use a monotonic
 * deadline like real timers, and `jumpWallClock` moves the wall clock alone (suspend/resume, clock set).
 */
import type { Clock } from "../../src/agent/mod.ts";

interface Sleeper {
  at: number;
  resolve: () => void;
}

/** A clock the test advances by hand. */
export class FakeClock implements Clock {
  #mono = 0;
  #offset: number;
  #sleepers = new Set<Sleeper>();
  /** True while the code under test does real I/O that must end before time moves on. */
  busy: () => boolean = () => false;

  /** @param start the wall-clock time to start at (ms since the epoch) */
  constructor(start: number) {
    this.#offset = start;
  }

  now(): number {
    return this.#mono + this.#offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        at: this.#mono + ms,
        resolve: () => {
          this.#sleepers.delete(sleeper);
          signal?.removeEventListener("abort", sleeper.resolve);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener("abort", sleeper.resolve, { once: true });
    });
  }

  /** Sleeps not yet over. */
  get sleeping(): number {
    return this.#sleepers.size;
  }

  /** Let the code under test run until it waits on this clock again (or is idle). */
  async settle(): Promise<void> {
    let stable = 0;
    let last = -1;
    for (let turn = 0; turn < 5000 && (stable < 8 || this.busy()); turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      stable = this.#sleepers.size === last ? stable + 1 : 0;
      last = this.#sleepers.size;
    }
  }

  /** Move both clocks forward by `ms`, waking each sleeper at its deadline in order. */
  async advance(ms: number): Promise<void> {
    const target = this.#mono + ms;
    for (;;) {
      await this.settle();
      let next: Sleeper | undefined;
      for (const sleeper of this.#sleepers) if (next === undefined || sleeper.at < next.at) next = sleeper;
      if (next === undefined || next.at > target) break;
      this.#mono = Math.max(this.#mono, next.at);
      for (const sleeper of [...this.#sleepers]) if (sleeper.at <= this.#mono) sleeper.resolve();
    }
    this.#mono = target;
    await this.settle();
  }

  /** Move the wall clock alone (a suspend/resume or a clock change); timers are not woken by it. */
  jumpWallClock(ms: number): void {
    this.#offset += ms;
  }
}

/** Poll a condition between event-loop turns (not a timer of the code under test); fails after `turns`. */
export async function until(condition: () => boolean, what: string, turns = 3000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`Condition not met: ${what}`);
}
