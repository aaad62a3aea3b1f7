/**
 * @module
 * The agent's scheduler: one loop per job that sleeps until croner's next slot (60 s at most at a time,
 * re-reading the wall clock so suspend, resume and clock changes neither skip nor double a run), adds
 * jitter, never starts a job twice at once, runs at most one catch-up at start, retries with backoff,
 * enforces the timeout, records every result, and stops within a grace period.
 */
import type { AgentJob } from "./agent_config.ts";
import type { AgentLogger } from "./agent_logger.ts";
import type { Clock } from "./clock.ts";
import { CronSchedule } from "./cron_schedule.ts";
import { acquireJobLock, type JobLock } from "./job_lock.ts";
import type { JobOutcome, JobRunner } from "./job_runner.ts";
import { LockBusyError } from "./lock_busy_error.ts";
import type { RunRecord, RunResult, RunTrigger, StateStore } from "./state_store.ts";

/** The longest single sleep: after it the wall clock is read again. */
export const MAX_SLEEP_MS = 60_000;

/** Exit code recorded when a runner throws instead of resolving. */
export const RUNNER_CRASH_EXIT = 70;

/** Options of `Scheduler`. */
export interface SchedulerOptions {
  jobs: readonly AgentJob[];
  runner: JobRunner;
  state: StateStore;
  clock: Clock;
  log: AgentLogger;
  /** Takes a job's run lock (default: `acquireJobLock(state.dir, job)` without waiting). */
  lock?: (job: string) => Promise<JobLock>;
  /** Random number in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
  /** How long a timed-out or cancelled runner gets to return after its signal aborts (default 10 s). */
  abortWaitMs?: number;
}

/** A job as the scheduler sees it now. */
export interface ScheduledJob {
  name: string;
  schedule: string;
  timezone?: string;
  /** When the next run is due (slot plus jitter), undefined when none. */
  nextRunAt?: number;
  running: boolean;
  runningSince?: number;
}

interface Entry {
  job: AgentJob;
  schedule: CronSchedule;
  nextRunAt?: number;
  run?: Promise<void>;
  runningSince?: number;
}

/** Runs the configured jobs on their schedules. `start()` once, `stop()` once. */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #entries: Entry[];
  readonly #stopping = new AbortController();
  readonly #cancel = new AbortController();
  #loops: Promise<void>[] = [];

  /** @param options jobs, runner, state, clock and log */
  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#entries = options.jobs.map((job) => ({
      job,
      schedule: new CronSchedule(job.schedule, job.timezone),
    }));
  }

  /** Start every job's loop (and the start-up or catch-up runs). */
  start(): void {
    this.#loops = this.#entries.map((entry) =>
      this.#loop(entry).catch((error) => {
        this.#options.log.error("job loop stopped", { job: entry.job.name, error: String(error) });
      })
    );
  }

  /** The jobs, their next run and whether they run now. */
  jobs(): ScheduledJob[] {
    return this.#entries.map((e) => ({
      name: e.job.name,
      schedule: e.job.schedule,
      timezone: e.job.timezone,
      nextRunAt: e.nextRunAt,
      running: e.run !== undefined,
      runningSince: e.runningSince,
    }));
  }

  /**
   * Stop scheduling, give running jobs `graceMs` to finish, then abort them and wait a little more.
   * @param graceMs the grace period
   * @returns whether every run ended by itself within the grace period
   */
  async stop(graceMs: number): Promise<{ finishedInGrace: boolean }> {
    this.#stopping.abort();
    await Promise.all(this.#loops);
    const running = () => Promise.all(this.#entries.map((e) => e.run));
    const done = new AbortController();
    let finished = false;
    const all = running().then(() => {
      finished = true;
      done.abort();
    });
    await Promise.race([all, this.#options.clock.sleep(graceMs, done.signal)]);
    const finishedInGrace = finished;
    if (!finishedInGrace) {
      this.#options.log.warn("grace period over: cancelling running jobs", { graceMs });
      this.#cancel.abort();
      // A runner that ignores its signal must not keep the process alive forever.
      await Promise.race([all, this.#options.clock.sleep(this.#options.abortWaitMs ?? 10_000, done.signal)]);
      if (!finished) this.#options.log.error("a job did not stop after cancelling: exiting anyway");
    }
    done.abort();
    return { finishedInGrace };
  }

  /**
   * Run a job now, outside its schedule (still under its lock; skipped if a run is going).
   * @param name the job name
   * @param trigger what asked for the run
   * @returns when the run (or its skip) is recorded
   * @throws {RangeError} no job by that name
   */
  async runNow(name: string, trigger: RunTrigger = "manual"): Promise<void> {
    const entry = this.#entries.find((e) => e.job.name === name);
    if (entry === undefined) throw new RangeError(`Cannot run job "${name}": no such job`);
    this.#fire(entry, trigger, this.#options.clock.now());
    await entry.run;
  }

  async #loop(entry: Entry): Promise<void> {
    const { clock, state } = this.#options;
    const stop = this.#stopping.signal;
    const job = entry.job;
    let lastSlot = state.get(job.name).lastScheduledAt ?? 0;
    const started = clock.now();
    if (job.runOnStart) {
      this.#fire(entry, "start", started);
    } else if (job.catchUp && lastSlot > 0) {
      const missed = entry.schedule.next(lastSlot);
      if (missed !== undefined && missed <= started) this.#fire(entry, "catch-up", missed);
    }
    lastSlot = Math.max(lastSlot, started);
    while (!stop.aborted) {
      const slot = entry.schedule.next(Math.max(clock.now(), lastSlot));
      if (slot === undefined) break;
      const due = slot + Math.floor((this.#options.random ?? Math.random)() * job.jitter);
      entry.nextRunAt = due;
      for (let left = due - clock.now(); left > 0 && !stop.aborted; left = due - clock.now()) {
        await clock.sleep(Math.min(left, MAX_SLEEP_MS), stop);
      }
      if (stop.aborted) break;
      lastSlot = slot;
      this.#fire(entry, "schedule", slot);
    }
    entry.nextRunAt = undefined;
  }

  #fire(entry: Entry, trigger: RunTrigger, slot: number): void {
    if (entry.run !== undefined) {
      this.#options.log.warn("previous run still going: slot skipped", { job: entry.job.name, trigger });
      this.#options.state.recordOverlap(entry.job.name, slot).catch((error) =>
        this.#options.log.error("cannot write state", { job: entry.job.name, error: String(error) })
      );
      return;
    }
    entry.runningSince = this.#options.clock.now();
    entry.run = this.#run(entry.job, trigger, slot)
      .catch((error) =>
        this.#options.log.error("cannot record run", { job: entry.job.name, error: String(error) })
      )
      .finally(() => {
        entry.run = undefined;
        entry.runningSince = undefined;
      });
  }

  async #run(job: AgentJob, trigger: RunTrigger, slot: number): Promise<void> {
    const { clock, log, state } = this.#options;
    const startedAt = clock.now();
    const base = { job: job.name, trigger, scheduledAt: slot, startedAt };
    let lock: JobLock;
    try {
      lock = await (this.#options.lock ?? ((name) => acquireJobLock(state.dir, name, { clock })))(job.name);
    } catch (error) {
      const busy = error instanceof LockBusyError;
      log.warn(busy ? "job skipped: lock held" : "job skipped: cannot take its lock", {
        job: job.name,
        error: (error as Error).message,
      });
      const end = clock.now();
      await state.record({
        ...base,
        endedAt: end,
        durationMs: end - startedAt,
        result: busy ? "skipped" : "failure",
        exitCode: null,
        attempts: 0,
        error: (error as Error).message,
      });
      return;
    }
    try {
      log.info("job started", { job: job.name, trigger });
      const record = await this.#attempts(job, trigger, base);
      await state.record(record);
      const level = record.result === "success" ? "info" : "warn";
      log[level]("job finished", {
        job: job.name,
        result: record.result,
        exitCode: record.exitCode,
        durationMs: record.durationMs,
        attempts: record.attempts,
        error: record.error,
      });
    } finally {
      await lock.release();
    }
  }

  async #attempts(
    job: AgentJob,
    trigger: RunTrigger,
    base: Pick<RunRecord, "job" | "trigger" | "scheduledAt" | "startedAt">,
  ): Promise<RunRecord> {
    const { clock } = this.#options;
    let attempt = 0;
    for (;;) {
      attempt++;
      const { outcome, result } = await this.#attempt(job, trigger, attempt);
      const retryable = result === "timeout" || job.retry.onExitCodes.includes(outcome.exitCode);
      if (result === "success" || attempt > job.retry.count || !retryable || this.#stopping.signal.aborted) {
        const endedAt = clock.now();
        return {
          ...base,
          endedAt,
          durationMs: endedAt - base.startedAt,
          result,
          exitCode: outcome.exitCode,
          attempts: attempt,
          stats: outcome.stats,
          error: outcome.error,
        };
      }
      const delay = job.retry.backoff * 2 ** (attempt - 1);
      this.#options.log.info("job will retry", {
        job: job.name,
        attempt,
        delayMs: delay,
        error: outcome.error,
      });
      await clock.sleep(delay, this.#stopping.signal);
    }
  }

  async #attempt(
    job: AgentJob,
    trigger: RunTrigger,
    attempt: number,
  ): Promise<{ outcome: JobOutcome; result: RunResult }> {
    const { clock, log } = this.#options;
    const controller = new AbortController();
    const onCancel = () => controller.abort();
    this.#cancel.signal.addEventListener("abort", onCancel, { once: true });
    const finished = new AbortController();
    const box: { returned?: JobOutcome } = {};
    const running = Promise.resolve()
      .then(() => this.#options.runner(job, { signal: controller.signal, log, attempt, trigger }))
      .catch((error): JobOutcome => ({
        exitCode: RUNNER_CRASH_EXIT,
        error: error instanceof Error ? error.message : String(error),
      }))
      .then((outcome) => {
        box.returned = outcome;
        finished.abort();
        return outcome;
      });
    try {
      if (job.timeout === undefined) {
        const outcome = await running;
        return { outcome, result: outcome.exitCode === 0 ? "success" : "failure" };
      }
      await clock.sleep(job.timeout, finished.signal);
      const early = box.returned;
      if (early !== undefined) {
        return { outcome: early, result: early.exitCode === 0 ? "success" : "failure" };
      }
      controller.abort();
      await clock.sleep(this.#options.abortWaitMs ?? 10_000, finished.signal);
      const error = `Cannot finish job "${job.name}": it ran longer than its timeout of ${
        job.timeout / 1000
      } s`;
      if (box.returned === undefined) {
        log.error("job did not stop after its timeout: its lock is released", { job: job.name });
      }
      return {
        outcome: { stats: box.returned?.stats, exitCode: RUNNER_CRASH_EXIT, error },
        result: "timeout",
      };
    } finally {
      this.#cancel.signal.removeEventListener("abort", onCancel);
    }
  }
}
