/**
 * @module
 * The unattended agent: config, croner schedules, the job run lock shared with hook runs, catch-up, the
 * state directory, and the Hono health endpoint. It never runs a sync itself: the CLI passes a
 * `JobRunner`.
 *
 * @example
 * ```ts
 * const config = parseAgentConfig(await Deno.readTextFile("agent.yaml"), "agent.yaml");
 * await runAgent({ config, runner, clock: systemClock(), log, version: "0.1.0", signal });
 * ```
 */
export { type AgentConfig, type AgentJob, type JobInput, parseAgentConfig } from "./agent_config.ts";
export { type AgentLogger, createAgentLogger, type LogFields, type LogLevel } from "./agent_logger.ts";
export {
  type AgentStatus,
  buildStatus,
  checkReadiness,
  type JobStatus,
  type Readiness,
} from "./agent_status.ts";
export { type Clock, systemClock } from "./clock.ts";
export { CronSchedule } from "./cron_schedule.ts";
export { createHealthApp, type HealthAppOptions } from "./health_app.ts";
export { newestMatch, type OpenedJobInput, openJobInput } from "./job_input.ts";
export { JobInputError } from "./job_input_error.ts";
export {
  acquireJobLock,
  type AcquireOptions,
  isHolderAlive,
  type JobLock,
  type LockHolder,
  processStartTime,
  withJobLock,
} from "./job_lock.ts";
export type { JobContext, JobOutcome, JobRunner } from "./job_runner.ts";
export { LockBusyError } from "./lock_busy_error.ts";
export { METRICS_CONTENT_TYPE, renderMetrics } from "./metrics.ts";
export { runAgent, type RunAgentOptions } from "./run_agent.ts";
export {
  MAX_SLEEP_MS,
  RUNNER_CRASH_EXIT,
  type ScheduledJob,
  Scheduler,
  type SchedulerOptions,
} from "./scheduler.ts";
export {
  type JobCounters,
  type JobState,
  type RunRecord,
  type RunResult,
  type RunTrigger,
  StateStore,
  writeAtomic,
} from "./state_store.ts";
