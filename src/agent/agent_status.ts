/**
 * @module
 * What the health endpoint shows: the agent's status (jobs, schedules, next and last runs, counters) and
 * its readiness, built from the scheduler and the state store at request time.
 */
import type { ScheduledJob } from "./scheduler.ts";
import type { JobCounters, RunRecord, StateStore } from "./state_store.ts";

/** One job in /status. Times are ISO strings (UTC). */
export interface JobStatus {
  name: string;
  schedule: string;
  timezone?: string;
  nextRunAt?: string;
  running: boolean;
  runningSince?: string;
  lastRun?: RunRecord;
  lastSuccessAt?: string;
  consecutiveFailures: number;
  counters: JobCounters;
}

/** The body of GET /status. */
export interface AgentStatus {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  jobs: JobStatus[];
}

/** The body of GET /readyz. */
export interface Readiness {
  ready: boolean;
  configLoaded: boolean;
  stateWritable: boolean;
  /** Jobs that failed `failureThreshold` times in a row or more. */
  failingJobs: string[];
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * Build the status.
 * @param jobs the scheduler's view of the jobs
 * @param state the run history
 * @param meta version and start time
 * @param now current time (ms)
 */
export function buildStatus(
  jobs: readonly ScheduledJob[],
  state: StateStore,
  meta: { version: string; startedAt: number },
  now: number,
): AgentStatus {
  return {
    version: meta.version,
    startedAt: new Date(meta.startedAt).toISOString(),
    uptimeSeconds: Math.max(0, Math.round((now - meta.startedAt) / 1000)),
    jobs: jobs.map((job) => {
      const saved = state.get(job.name);
      return {
        name: job.name,
        schedule: job.schedule,
        timezone: job.timezone,
        nextRunAt: iso(job.nextRunAt),
        running: job.running,
        runningSince: iso(job.runningSince),
        lastRun: saved.runs.at(-1),
        lastSuccessAt: iso(saved.lastSuccessAt),
        consecutiveFailures: saved.consecutiveFailures,
        counters: saved.counters,
      };
    }),
  };
}

/**
 * Work out readiness: config loaded, state directory writable, no job failing too often in a row.
 * @param jobs job names
 * @param state the run history
 * @param failureThreshold failures in a row that make the agent not ready
 */
export async function checkReadiness(
  jobs: readonly string[],
  state: StateStore,
  failureThreshold: number,
): Promise<Readiness> {
  const stateWritable = await state.writable();
  const failingJobs = jobs.filter((job) => state.get(job).consecutiveFailures >= failureThreshold);
  return { ready: stateWritable && failingJobs.length === 0, configLoaded: true, stateWritable, failingJobs };
}
