/**
 * @module
 * The small human page at `/` of the health endpoint: the same facts as /status, as an HTML table.
 */
import type { AgentStatus } from "./agent_status.ts";

function escape(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Render the status page. */
export function renderStatusPage(status: AgentStatus): string {
  const rows = status.jobs.map((job) => {
    const last = job.lastRun;
    const lastText = last
      ? `${last.result} (exit ${last.exitCode ?? "-"}) at ${new Date(last.endedAt).toISOString()}, ${
        (last.durationMs / 1000).toFixed(1)
      } s`
      : "never";
    const stats = last?.stats
      ? ["recordsRead", "volumesUpdated", "volumesAdded", "volumesUnchanged", "errors"]
        .map((key) => `${key} ${escape(last.stats?.[key] ?? 0)}`).join(", ")
      : "";
    return `<tr><td>${escape(job.name)}</td><td><code>${escape(job.schedule)}</code> ${
      escape(job.timezone ?? "")
    }</td>` +
      `<td>${escape(job.running ? "running" : job.nextRunAt ?? "-")}</td><td>${escape(lastText)}` +
      `${last?.error ? `<br><small>${escape(last.error)}</small>` : ""}</td><td>${stats}</td>` +
      `<td>${escape(job.consecutiveFailures)}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tapesync agent</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>
</head><body>
<h1>tapesync agent ${escape(status.version)}</h1>
<p>Up since ${escape(status.startedAt)} (${
    escape(status.uptimeSeconds)
  } s). JSON: <a href="status">/status</a>, metrics: <a href="metrics">/metrics</a></p>
<table><tr><th>job</th><th>schedule</th><th>next run</th><th>last run</th><th>last statistics</th><th>failures in a row</th></tr>
${rows.join("\n")}
</table></body></html>
`;
}
