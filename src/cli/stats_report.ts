/**
 * @module
 * The human-readable end-of-run report printed on stderr, and the dry-run plan lines printed on stdout.
 */
import type { PlanEntry, SyncStats } from "../engine/mod.ts";

function breakdown(map: Record<string, number>): string {
  const parts = Object.entries(map).sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} ${count}`);
  return parts.length > 0 ? `  (${parts.join(", ")})` : "";
}

/**
 * Format the statistics of a run for people.
 * @param stats the run's statistics
 * @param title first line (definition, input and inventory)
 */
export function formatStats(stats: SyncStats, title: string): string {
  const seconds = stats.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(stats.recordsRead / seconds) : stats.recordsRead;
  const row = (label: string, value: number | string, extra = "") =>
    `  ${label.padEnd(18)} ${String(value).padStart(9)}${extra}`;
  const lines = [
    title,
    row("lines read", stats.linesRead),
    row("records read", stats.recordsRead),
    row("records skipped", stats.recordsSkipped.total, breakdown(stats.recordsSkipped.byReason)),
    row("volumes unchanged", stats.volumesUnchanged),
    row(stats.dryRun ? "volumes to update" : "volumes updated", stats.volumesUpdated),
    row(stats.dryRun ? "volumes to add" : "volumes added", stats.volumesAdded),
    row(
      stats.dryRun ? "fields to write" : "fields written",
      sum(stats.fieldsUpdated),
      breakdown(stats.fieldsUpdated),
    ),
    row(
      "volumes not found",
      stats.volumesNotFound,
      stats.volumesNotFound > 0 ? "  (adding is off: --add-volumes)" : "",
    ),
    row("duplicates", stats.duplicates, stats.duplicates > 0 ? "  (last record wins)" : ""),
    row(
      "scopes loaded",
      stats.scopesLoaded,
      stats.scopeEvictions > 0 ? `  (${stats.scopeEvictions} evicted)` : "",
    ),
    row("batches applied", stats.batchesApplied),
    row("conflicts", stats.conflicts),
    row("alerts", stats.alerts),
    row("record errors", stats.errors),
  ];
  for (const error of stats.errorSamples.slice(0, 20)) lines.push(`    ${error.message}`);
  if (stats.errors > 20) lines.push(`    ... ${stats.errors - 20} more (see --stats-json)`);
  for (const conflict of stats.conflictSamples.slice(0, 20)) {
    const field = conflict.field ? ` ${conflict.field}` : "";
    lines.push(
      `    conflict ${conflict.customer}/${conflict.media}/${conflict.volume}${field}: ${conflict.reason} (expected ${
        show(conflict.expected)
      }, found ${show(conflict.actual)})`,
    );
  }
  for (const volume of stats.notFoundSamples.slice(0, 10)) lines.push(`    not found ${volume}`);
  for (const duplicate of stats.duplicateSamples.slice(0, 10)) lines.push(`    duplicate ${duplicate}`);
  lines.push(row("time", `${seconds.toFixed(2)} s`, `  (${rate} records/s)`));
  return `${lines.join("\n")}\n`;
}

function sum(map: Record<string, number>): number {
  return Object.values(map).reduce((total, count) => total + count, 0);
}

function show(value: string | null): string {
  return value === null ? "(none)" : `"${value}"`;
}

/** One line of a dry run's plan: `+` adds, `~` updates, with each field's old and new value. */
export function formatPlanEntry(entry: PlanEntry): string {
  const fields = Object.entries(entry.changes).map(([field, change]) =>
    entry.op === "add"
      ? `${field}=${show(change.new)}`
      : `${field}: ${show(change.old)} -> ${show(change.new)}`
  );
  const mark = entry.op === "add" ? "+" : "~";
  return `${mark} ${entry.customer}/${entry.media}/${entry.volume} (line ${entry.line}) ${
    fields.join(", ")
  }\n`;
}
