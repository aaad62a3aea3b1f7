/**
 * @module
 * Renders the agent status in the Prometheus text exposition format (version 0.0.4) for GET /metrics.
 */
import type { AgentStatus } from "./agent_status.ts";

/** The content type of the Prometheus text format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function seconds(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso) / 1000;
}

type Sample = [labels: Record<string, string>, value: number | undefined];

function family(
  name: string,
  type: "counter" | "gauge" | "summary",
  help: string,
  samples: Sample[],
): string[] {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) {
    if (value === undefined) continue;
    const text = Object.entries(labels).map(([key, v]) => `${key}="${label(v)}"`).join(",");
    lines.push(`${name}${text ? `{${text}}` : ""} ${Number.isInteger(value) ? value : value.toFixed(3)}`);
  }
  return lines;
}

const VOLUME_OUTCOMES = [
  ["updated", "volumesUpdated"],
  ["added", "volumesAdded"],
  ["unchanged", "volumesUnchanged"],
  ["not_found", "volumesNotFound"],
] as const;

/**
 * Render the metrics.
 * @param status the agent status
 * @returns the exposition text, ending with a newline
 */
export function renderMetrics(status: AgentStatus): string {
  const jobs = status.jobs;
  const per = (value: (job: AgentStatus["jobs"][number]) => number | undefined): Sample[] =>
    jobs.map((job) => [{ job: job.name }, value(job)]);
  const lines = [
    ...family("tapesync_agent_info", "gauge", "Agent version (always 1).", [[
      { version: status.version },
      1,
    ]]),
    ...family("tapesync_agent_uptime_seconds", "gauge", "Seconds since the agent started.", [[
      {},
      status.uptimeSeconds,
    ]]),
    ...family(
      "tapesync_job_runs_total",
      "counter",
      "Runs by job and result (skipped: the job's lock or previous run was busy).",
      jobs.flatMap((job) =>
        Object.entries(job.counters.runs).map(([result, count]): Sample => [{ job: job.name, result }, count])
      ),
    ),
    ...family(
      "tapesync_job_overlaps_skipped_total",
      "counter",
      "Schedule slots skipped because the previous run was still going.",
      per((job) => job.counters.overlapsSkipped),
    ),
    ...family(
      "tapesync_job_last_success_timestamp_seconds",
      "gauge",
      "End of the last successful run (Unix time).",
      per((job) => seconds(job.lastSuccessAt)),
    ),
    ...family(
      "tapesync_job_last_run_timestamp_seconds",
      "gauge",
      "End of the last run (Unix time).",
      per((job) => (job.lastRun ? job.lastRun.endedAt / 1000 : undefined)),
    ),
    ...family(
      "tapesync_job_last_exit_code",
      "gauge",
      "Exit code of the last run that started.",
      per((job) => job.lastRun?.exitCode ?? undefined),
    ),
    ...family(
      "tapesync_job_next_run_timestamp_seconds",
      "gauge",
      "When the next run is due (Unix time).",
      per((job) => seconds(job.nextRunAt)),
    ),
    ...family(
      "tapesync_job_running",
      "gauge",
      "1 while a run of the job is going.",
      per((job) => (job.running ? 1 : 0)),
    ),
    ...family(
      "tapesync_job_consecutive_failures",
      "gauge",
      "Failed runs in a row.",
      per((job) => job.consecutiveFailures),
    ),
    ...family(
      "tapesync_job_run_duration_seconds",
      "summary",
      "Duration of the runs that started.",
      [],
    ),
    ...jobs.flatMap((job) => [
      `tapesync_job_run_duration_seconds_sum{job="${label(job.name)}"} ${
        job.counters.durationSeconds.toFixed(3)
      }`,
      `tapesync_job_run_duration_seconds_count{job="${label(job.name)}"} ${
        job.counters.runs.success + job.counters.runs.failure + job.counters.runs.timeout
      }`,
    ]),
    ...family(
      "tapesync_job_records_read_total",
      "counter",
      "Export records read by the job's runs.",
      per((job) => job.counters.totals.recordsRead ?? 0),
    ),
    ...family(
      "tapesync_job_volumes_total",
      "counter",
      "Volumes seen by the job's runs, by outcome.",
      jobs.flatMap((job) =>
        VOLUME_OUTCOMES.map((
          [outcome, key],
        ): Sample => [{ job: job.name, outcome }, job.counters.totals[key] ?? 0])
      ),
    ),
    ...family(
      "tapesync_job_record_errors_total",
      "counter",
      "Records that failed in the job's runs.",
      per((job) => job.counters.totals.errors ?? 0),
    ),
    ...family(
      "tapesync_job_conflicts_total",
      "counter",
      "Volumes that changed underneath the job's runs.",
      per((job) => job.counters.totals.conflicts ?? 0),
    ),
  ];
  return `${lines.join("\n")}\n`;
}
