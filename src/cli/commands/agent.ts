/**
 * @module
 * `tapesync agent`: runs the jobs of an agent config on their schedules with a health endpoint, validates
 * the config with `--check`, or runs one job now under its lock with `--run` (for backup-job hooks). Each
 * run is the same `runSync` that `tapesync sync` performs.
 */
// The agent's parts one by one, not through agent/mod.ts: --check and --run must not load the health
// endpoint (Hono) and the scheduler, which only the unattended agent uses (imported when it starts).
import { type AgentConfig, type AgentJob, parseAgentConfig } from "../../agent/agent_config.ts";
import { type AgentLogger, createAgentLogger } from "../../agent/agent_logger.ts";
import { systemClock } from "../../agent/clock.ts";
import { openJobInput } from "../../agent/job_input.ts";
import { JobInputError } from "../../agent/job_input_error.ts";
import { acquireJobLock } from "../../agent/job_lock.ts";
import type { JobOutcome, JobRunner } from "../../agent/job_runner.ts";
import { LockBusyError } from "../../agent/lock_busy_error.ts";
import { StateStore } from "../../agent/state_store.ts";
import { DefinitionError } from "../../definition/mod.ts";
import type { CliIo } from "../cli_io.ts";
import type { Command } from "../command.ts";
import { ExitCode, exitCodeFor } from "../exit_codes.ts";
import { intFlag, parseFlags } from "../parse_flags.ts";
import { readDefinition } from "../read_definition.ts";
import { UsageError } from "../usage_error.ts";
import { VERSION } from "./version.ts";

/** Exit code of a hook run (`--run`) skipped because another run of the job holds its lock. */
export const LOCK_BUSY_EXIT = ExitCode.Busy;

const HELP = `Usage: tapesync agent --config FILE [--check | --run JOB [--wait-lock SECONDS]]

Runs the jobs of an agent config (YAML) on their cron schedules, each as "tapesync sync" would, never two
runs of a job at once, and serves /healthz, /readyz, /status, /metrics and a status page (docs/agent.md).
SIGINT or SIGTERM stops scheduling, lets a running job finish within shutdownGrace, and exits 0.

  -c, --config FILE        the agent config
      --check              validate the config and every definition it names, then exit (0 ok, 2 invalid)
      --run JOB            run one job now under its lock (for a backup job's hook), record it, and exit
                           with its sync exit code
      --wait-lock SECONDS  with --run: wait this long for a running scheduled run to finish (default 0)

Exit codes: 0 ok (the agent stopped cleanly); 2 the config or a definition is invalid; with --run, the
sync's codes (0, 1, 2, 3) and ${LOCK_BUSY_EXIT} when another run of the job holds its lock.
`;

const FLAGS = {
  config: { type: "string", short: "c" },
  check: { type: "boolean" },
  run: { type: "string" },
  "wait-lock": { type: "string" },
} as const;

async function readConfig(path: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new UsageError("--config", `Cannot read agent config "${path}": ${reason}`);
  }
  return parseAgentConfig(text, path);
}

async function checkDefinitions(config: AgentConfig, io: CliIo): Promise<number> {
  let failed = 0;
  for (const job of config.jobs) {
    try {
      await readDefinition(job.definition, job.set);
    } catch (error) {
      if (!(error instanceof DefinitionError || error instanceof UsageError)) throw error;
      failed++;
      io.err(`Error: job "${job.name}": ${error.message}\n`);
    }
  }
  if (failed > 0) return ExitCode.Usage;
  io.out(
    `${config.file}: ok (${config.jobs.length} job${
      config.jobs.length === 1 ? "" : "s"
    }, definitions valid)\n`,
  );
  return ExitCode.Ok;
}

/** The sync of one job: its input opened (file, newest glob match, or a command's output), then runSync. */
export function syncJobRunner(io: CliIo): JobRunner {
  return async (job, context): Promise<JobOutcome> => {
    const lines: string[] = [];
    const jobIo: CliIo = {
      ...io,
      out: (text) => lines.push(text),
      err: (text) => lines.push(text),
      stderrIsTerminal: false,
      signal: context.signal,
    };
    let input;
    try {
      input = await openJobInput(job.input, context.signal);
    } catch (error) {
      if (error instanceof JobInputError) return { exitCode: ExitCode.RecordErrors, error: error.message };
      throw error;
    }
    try {
      // Loaded here, not at the top, so `agent --check` does not pay for the engine and the stores.
      const { runSync } = await import("../run_sync.ts");
      const outcome = await runSync({
        definition: job.definition,
        input: input.kind === "path" ? input.path : undefined,
        inputStream: input.kind === "stream" ? input.stream : undefined,
        inputName: input.kind === "stream" ? input.name : undefined,
        server: job.server,
        db: job.db,
        passwordFile: job.passwordFile,
        set: job.set,
        addVolumes: job.addVolumes,
        maxChanges: job.maxChanges,
        report: false,
        signal: context.signal,
      }, jobIo);
      if (input.kind === "stream") await input.finished;
      const stats = outcome.stats as unknown as Record<string, unknown> | undefined;
      return { exitCode: outcome.exitCode, stats, error: outcome.error };
    } catch (error) {
      if (error instanceof JobInputError) return { exitCode: ExitCode.RecordErrors, error: error.message };
      const code = exitCodeFor(error);
      if (code === ExitCode.Internal) throw error;
      return { exitCode: code, error: (error as Error).message };
    } finally {
      if (input.kind === "stream") await input.close();
      for (const line of lines.join("").split("\n").filter((l) => l.trim() !== "")) {
        context.log.debug(line, { job: job.name });
      }
    }
  };
}

function openLog(config: AgentConfig, io: CliIo): { log: AgentLogger; close(): void } {
  const encoder = new TextEncoder();
  let file: Deno.FsFile | undefined;
  if (config.log.file !== undefined) {
    try {
      file = Deno.openSync(config.log.file, { append: true, create: true });
    } catch (error) {
      throw new UsageError(
        "log.file",
        `Cannot open log file "${config.log.file}": ${(error as Error).message}`,
      );
    }
  }
  const write = file
    ? (line: string) => file.writeSync(encoder.encode(line))
    : (line: string) => io.err(line);
  const log = createAgentLogger({ format: config.log.format, level: config.log.level, write, now: io.now });
  return { log, close: () => file?.close() };
}

async function readToken(config: AgentConfig, io: CliIo): Promise<string | undefined> {
  if (config.health.token !== undefined) return config.health.token;
  const path = config.health.tokenFile;
  if (path === undefined) return io.env("TAPESYNC_AGENT_TOKEN") || undefined;
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (error) {
    throw new UsageError("health.tokenFile", `Cannot read token file "${path}": ${(error as Error).message}`);
  }
}

async function runOnce(config: AgentConfig, job: AgentJob, waitSeconds: number, io: CliIo, log: AgentLogger) {
  const clock = systemClock();
  let lock;
  try {
    lock = await acquireJobLock(config.stateDir, job.name, { waitSeconds, signal: io.signal });
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    io.err(`Error: ${error.message}\n`);
    return LOCK_BUSY_EXIT;
  }
  try {
    const state = await StateStore.open(config.stateDir, [job.name], config.history);
    const startedAt = clock.now();
    const outcome = await syncJobRunner(io)(job, { signal: io.signal, log, attempt: 1, trigger: "manual" })
      .catch((error): JobOutcome => ({ exitCode: ExitCode.Internal, error: (error as Error).message }));
    const endedAt = clock.now();
    await state.record({
      job: job.name,
      trigger: "manual",
      scheduledAt: startedAt,
      startedAt,
      endedAt,
      durationMs: endedAt - startedAt,
      result: outcome.exitCode === 0 ? "success" : "failure",
      exitCode: outcome.exitCode,
      attempts: 1,
      stats: outcome.stats,
      error: outcome.error,
    });
    if (outcome.error) io.err(`Error: ${outcome.error}\n`);
    return outcome.exitCode;
  } finally {
    await lock.release();
  }
}

export const command: Command = {
  name: "agent",
  summary: "Run scheduled syncs unattended, with a health endpoint (--check validates the config)",
  help: HELP,
  async run(args, io) {
    const { flags } = parseFlags(args, FLAGS, "agent");
    if (flags.config === undefined) {
      throw new UsageError("--config", "Cannot start the agent: --config is required");
    }
    if (flags["wait-lock"] !== undefined && flags.run === undefined) {
      throw new UsageError("--wait-lock", "Cannot use --wait-lock without --run");
    }
    const config = await readConfig(flags.config);
    if (flags.check) return await checkDefinitions(config, io);
    const { log, close } = openLog(config, io);
    try {
      if (flags.run !== undefined) {
        const job = config.jobs.find((j) => j.name === flags.run);
        if (job === undefined) {
          throw new UsageError("--run", `Cannot run job "${flags.run}": the config has no job by that name`);
        }
        return await runOnce(config, job, intFlag(flags["wait-lock"], "--wait-lock") ?? 0, io, log);
      }
      const token = await readToken(config, io);
      const { runAgent } = await import("../../agent/run_agent.ts");
      await runAgent({
        config,
        runner: syncJobRunner(io),
        clock: systemClock(),
        log,
        version: VERSION,
        token,
        signal: io.signal,
      });
      return ExitCode.Ok;
    } finally {
      close();
    }
  },
};
