/**
 * @module
 * The agent's view of time: the wall clock and an abortable sleep. The scheduler takes a `Clock` so tests
 * drive it with a fake one and never wait for a real timer.
 */
import { abortableSleep } from "../inventory/mod.ts";

/** Wall-clock time and sleeping, passed in to everything in the agent that waits. */
export interface Clock {
  /** Milliseconds since the epoch (wall clock: may jump on suspend, resume or a clock change). */
  now(): number;
  /**
   * Wait `ms` milliseconds, or less when `signal` aborts (then it resolves, it never rejects).
   * @param ms time to wait; 0 or less resolves at once
   * @param signal stops the wait early
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and `setTimeout`.
 * @returns a `Clock` whose sleeps clear their timer when aborted, so no timer outlives its caller
 */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: abortableSleep,
  };
}
