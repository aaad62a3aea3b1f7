/**
 * @module
 * The contract between the agent and whoever runs a sync. The agent never runs a sync itself: the CLI
 * supplies a `JobRunner` built on the same `runSync` that `tapesync sync` uses.
 */
import type { AgentJob } from "./agent_config.ts";
import type { AgentLogger } from "./agent_logger.ts";
import type { RunTrigger } from "./state_store.ts";

/** How one attempt of a job ended. */
export interface JobOutcome {
  /** The exit code `tapesync sync` would have for the same run (0 ok, see docs/agent.md). */
  exitCode: number;
  /** The run's statistics (`--stats-json` shape) when it got that far. */
  stats?: Record<string, unknown>;
  /** One line saying what went wrong, without secrets. */
  error?: string;
}

/** What a runner gets besides the job. */
export interface JobContext {
  /** Aborted on timeout or when the agent's shutdown grace period ends: stop soon, leave data consistent. */
  signal: AbortSignal;
  log: AgentLogger;
  /** 1 for the first attempt, 2 for the first retry ... */
  attempt: number;
  trigger: RunTrigger;
}

/** Runs one attempt of a job. Resolves with an outcome; a rejection is recorded as a failure (exit 70). */
export type JobRunner = (job: AgentJob, context: JobContext) => Promise<JobOutcome>;
