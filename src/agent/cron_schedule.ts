/**
 * @module
 * A job's schedule: croner's next-run calculation for a cron pattern (5 fields, or 6 with seconds) in a
 * named time zone, across daylight-saving changes.
 */
import { Cron } from "../deps/croner.ts";

/** A cron pattern in a time zone; answers "when is the next run after this instant". */
export class CronSchedule {
  readonly #cron: Cron;

  /**
   * @param pattern a cron pattern, seconds optional (`"0 *\/15 * * * *"` or `"*\/15 * * * *"`)
   * @param timezone an IANA zone such as `Europe/Berlin`; the process's zone when absent
   * @throws {TypeError} the pattern or zone is invalid (the config schema checks both first)
   */
  constructor(readonly pattern: string, readonly timezone?: string) {
    this.#cron = new Cron(pattern, { paused: true, timezone });
  }

  /**
   * The first run strictly after `after`.
   * @param after milliseconds since the epoch
   * @returns milliseconds since the epoch, or undefined when the pattern never fires again
   */
  next(after: number): number | undefined {
    return this.#cron.nextRun(new Date(after))?.getTime();
  }

  /**
   * The next `count` runs after `after`, for status pages and tests.
   * @param count how many runs
   * @param after milliseconds since the epoch
   */
  nextRuns(count: number, after: number): number[] {
    const runs: number[] = [];
    let at = after;
    while (runs.length < count) {
      const next = this.next(at);
      if (next === undefined) break;
      runs.push(next);
      at = next;
    }
    return runs;
  }
}
