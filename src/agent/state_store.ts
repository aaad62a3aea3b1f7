/**
 * @module
 * The agent's state directory: per job, the last runs (bounded history) and counters that survive
 * restarts. Each job's file is replaced atomically (temp file, fsync, rename), so a crash leaves the old
 * or the new state, never half of one.
 */

/** How a run ended. `skipped`: it did not start (the previous run or a hook held the job's lock). */
export type RunResult = "success" | "failure" | "timeout" | "skipped";

/** What started a run. */
export type RunTrigger = "schedule" | "start" | "catch-up" | "manual";

/** One run as kept in the history. */
export interface RunRecord {
  job: string;
  trigger: RunTrigger;
  /** The schedule slot this run belongs to (ms since the epoch). */
  scheduledAt: number;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  result: RunResult;
  /** The exit code the same run would have as `tapesync sync`; null when skipped before starting. */
  exitCode: number | null;
  attempts: number;
  stats?: Record<string, unknown>;
  error?: string;
}

/** Counters of a job since its state was created. */
export interface JobCounters {
  runs: Record<RunResult, number>;
  /** Schedule slots skipped because the previous run was still going. */
  overlapsSkipped: number;
  /** Sums over successful and failed runs of the numeric statistics (recordsRead, volumesUpdated ...). */
  totals: Record<string, number>;
  /** Sum of run durations in seconds (for the duration summary of /metrics). */
  durationSeconds: number;
}

/** Everything kept for one job. */
export interface JobState {
  job: string;
  /** Newest last, at most the history limit. */
  runs: RunRecord[];
  counters: JobCounters;
  lastSuccessAt?: number;
  /** The last schedule slot that ran or was skipped (catch-up starts after it). */
  lastScheduledAt?: number;
  /** Failed or timed-out runs in a row, skipped runs not counted. */
  consecutiveFailures: number;
}

/** Statistics summed into `JobCounters.totals`. */
export const TOTAL_STATS = [
  "recordsRead",
  "volumesUnchanged",
  "volumesUpdated",
  "volumesAdded",
  "volumesNotFound",
  "errors",
  "conflicts",
] as const;

function emptyState(job: string): JobState {
  return {
    job,
    runs: [],
    counters: {
      runs: { success: 0, failure: 0, timeout: 0, skipped: 0 },
      overlapsSkipped: 0,
      totals: Object.fromEntries(TOTAL_STATS.map((name) => [name, 0])),
      durationSeconds: 0,
    },
    consecutiveFailures: 0,
  };
}

function numberOf(stats: Record<string, unknown> | undefined, name: string): number {
  const value = stats?.[name];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Per-job run history in a directory. Open with `StateStore.open`. */
export class StateStore {
  readonly #states = new Map<string, JobState>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(readonly dir: string, readonly historyLimit: number) {}

  /**
   * Open (and create) a state directory and load the state of the given jobs.
   * @param dir the state directory
   * @param jobs job names to load; unknown jobs start empty
   * @param historyLimit runs kept per job
   * @throws {Deno.errors.PermissionDenied} and other I/O errors when the directory cannot be created
   */
  static async open(dir: string, jobs: readonly string[], historyLimit = 50): Promise<StateStore> {
    const store = new StateStore(dir, historyLimit);
    await Deno.mkdir(`${dir}/jobs`, { recursive: true });
    for (const job of jobs) store.#states.set(job, await store.#load(job));
    return store;
  }

  async #load(job: string): Promise<JobState> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.#file(job));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return emptyState(job);
      throw error;
    }
    const base = emptyState(job);
    try {
      const saved = JSON.parse(text) as Partial<JobState>;
      return {
        ...base,
        ...saved,
        job,
        runs: Array.isArray(saved.runs) ? saved.runs.slice(-this.historyLimit) : [],
        counters: { ...base.counters, ...saved.counters },
      };
    } catch {
      // Unreadable state is not worth stopping the agent for: keep it aside and start again.
      await Deno.rename(this.#file(job), `${this.#file(job)}.corrupt-${Date.now()}`).catch(() => {});
      return base;
    }
  }

  #file(job: string): string {
    return `${this.dir}/jobs/${job}.json`;
  }

  /** The state of a job (a copy-free view: do not change it). */
  get(job: string): JobState {
    let state = this.#states.get(job);
    if (state === undefined) {
      state = emptyState(job);
      this.#states.set(job, state);
    }
    return state;
  }

  /**
   * Add a finished (or skipped) run, trim the history and write the job's file atomically.
   * @param run the run to keep
   */
  record(run: RunRecord): Promise<void> {
    return this.#update(run.job, (state) => {
      state.runs.push(run);
      if (state.runs.length > this.historyLimit) state.runs.splice(0, state.runs.length - this.historyLimit);
      state.counters.runs[run.result]++;
      if (run.scheduledAt > (state.lastScheduledAt ?? 0)) state.lastScheduledAt = run.scheduledAt;
      if (run.result !== "skipped") {
        for (const name of TOTAL_STATS) state.counters.totals[name] += numberOf(run.stats, name);
        state.counters.durationSeconds += run.durationMs / 1000;
        state.consecutiveFailures = run.result === "success" ? 0 : state.consecutiveFailures + 1;
        if (run.result === "success") state.lastSuccessAt = run.endedAt;
      }
    });
  }

  /**
   * Count a schedule slot skipped because the job's previous run was still going (not kept as a run).
   * @param job the job name
   * @param scheduledAt the slot skipped
   */
  recordOverlap(job: string, scheduledAt: number): Promise<void> {
    return this.#update(job, (state) => {
      state.counters.runs.skipped++;
      state.counters.overlapsSkipped++;
      if (scheduledAt > (state.lastScheduledAt ?? 0)) state.lastScheduledAt = scheduledAt;
    });
  }

  /**
   * Read the job's file again, apply `change`, write it back. Re-reading keeps the runs another process
   * recorded meanwhile (a hook run of `tapesync agent --run` holds the job lock while it records); updates
   * within this process are serialized so none is lost.
   */
  #update(job: string, change: (state: JobState) => void): Promise<void> {
    const step = async () => {
      const state = await this.#load(job);
      change(state);
      this.#states.set(job, state);
      await writeAtomic(this.#file(job), `${JSON.stringify(state, null, 2)}\n`);
    };
    this.#writes = this.#writes.catch(() => {}).then(step);
    return this.#writes;
  }

  /**
   * Whether the directory accepts a new file now (for /readyz).
   * @returns true when a probe file could be written and removed
   */
  async writable(): Promise<boolean> {
    const probe = `${this.dir}/.probe-${Deno.pid}`;
    try {
      await Deno.writeTextFile(probe, "");
      await Deno.remove(probe);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Replace a file atomically: write a temp file beside it, flush it to disk, rename it over the target.
 * @param path the file to replace
 * @param text its new content
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o640 });
    try {
      const bytes = new TextEncoder().encode(text);
      let offset = 0;
      while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
