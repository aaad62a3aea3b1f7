/**
 * @module
 * The agent itself: opens the state directory, starts the scheduler and the health endpoint, and on the
 * stop signal stops scheduling, lets running jobs finish within the grace period and closes everything.
 */
import type { AgentConfig } from "./agent_config.ts";
import type { AgentLogger } from "./agent_logger.ts";
import { buildStatus, checkReadiness } from "./agent_status.ts";
import type { Clock } from "./clock.ts";
import { createHealthApp } from "./health_app.ts";
import type { JobRunner } from "./job_runner.ts";
import { Scheduler } from "./scheduler.ts";
import { StateStore } from "./state_store.ts";

/** Options of `runAgent`. */
export interface RunAgentOptions {
  config: AgentConfig;
  runner: JobRunner;
  clock: Clock;
  log: AgentLogger;
  /** Shown by /status and /metrics. */
  version: string;
  /** The bearer token for the health endpoint (already read from `tokenFile` by the caller). */
  token?: string;
  /** Aborted on SIGINT/SIGTERM: the agent stops. */
  signal: AbortSignal;
  /** Called with the health endpoint's address once it listens (port 0 picks a free one). */
  onListening?: (address: { hostname: string; port: number }) => void;
}

/**
 * Run the agent until `signal` aborts.
 * @param options config, runner, clock, log and stop signal
 * @returns whether running jobs finished within the grace period
 * @throws I/O errors when the state directory cannot be created or the address cannot be bound
 */
export async function runAgent(options: RunAgentOptions): Promise<{ finishedInGrace: boolean }> {
  const { config, clock, log } = options;
  const names = config.jobs.map((job) => job.name);
  const state = await StateStore.open(config.stateDir, names, config.history);
  const scheduler = new Scheduler({ jobs: config.jobs, runner: options.runner, state, clock, log });
  const startedAt = clock.now();
  const status = () =>
    buildStatus(scheduler.jobs(), state, { version: options.version, startedAt }, clock.now());
  const app = createHealthApp({
    status,
    ready: () => checkReadiness(names, state, config.health.failureThreshold),
    token: options.token,
  });
  const server = Deno.serve({
    hostname: config.health.listen.hostname,
    port: config.health.listen.port,
    onListen: (address) => {
      const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
      log.info("health endpoint listening", { url: `http://${host}:${address.port}/` });
      options.onListening?.({ hostname: address.hostname, port: address.port });
    },
  }, app.fetch);
  log.info("agent started", { version: options.version, jobs: names.join(","), stateDir: config.stateDir });
  scheduler.start();
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  log.info("stopping: no new runs; waiting for running jobs", { graceMs: config.shutdownGrace });
  const result = await scheduler.stop(config.shutdownGrace);
  await server.shutdown();
  log.info("agent stopped", { finishedInGrace: result.finishedInGrace });
  return result;
}
