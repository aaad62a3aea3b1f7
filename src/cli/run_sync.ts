/**
 * @module
 * The composition of one sync: definition -> source -> transform -> engine -> inventory, with the report,
 * the JSON outputs and the exit code. `tapesync sync` and the agent's jobs both call `runSync`, so a
 * scheduled run and a hook run behave the same.
 */
import { compileDefinition } from "../transform/mod.ts";
import { openSource } from "../source/mod.ts";
import {
  type AlertEntry,
  ChangeLimitError,
  emptyStats,
  runEngine,
  RunStoppedError,
  type SyncStats,
} from "../engine/mod.ts";
import type { Inventory } from "../inventory/mod.ts";
import type { CliIo } from "./cli_io.ts";
import { ExitCode, exitCodeFor } from "./exit_codes.ts";
import { describeError } from "./describe_error.ts";
import { openInventory } from "./open_inventory.ts";
import { readDefinition, readSiteFile } from "./read_definition.ts";
import { formatPlanEntry, formatStats } from "./stats_report.ts";
import { UsageError } from "./usage_error.ts";
import { openInput } from "./open_input.ts";

/** What one sync is asked to do. */
export interface SyncOptions {
  /** A definition file or `builtin:NAME`. */
  definition: string;
  /** Input path, "-" or absent for stdin (unless inputStream or the definition's command gives it). */
  input?: string;
  /** An input stream already open (the agent's command or glob input); `inputName` names it. */
  inputStream?: ReadableStream<Uint8Array>;
  inputName?: string;
  /** `file:PATH`, `http(s)://user@host:port`, or absent for the embedded store. */
  server?: string;
  /** Embedded store path (default TAPESYNC_DB or ./tapesync.db). */
  db?: string;
  passwordFile?: string;
  /** Site parameters; override those of `siteFile`. */
  set?: Record<string, string>;
  siteFile?: string;
  dryRun?: boolean;
  /** Turn adding on for this run whatever the definition says. */
  addVolumes?: boolean;
  detailedExitcode?: boolean;
  maxChanges?: number;
  batchSize?: number;
  cacheVolumes?: number;
  /** Write the statistics as JSON to this file, or "-" for stdout. */
  statsJson?: string;
  /** Write the alerts as JSON to this file, or "-" for stdout. */
  alertsJson?: string;
  failOnAlert?: boolean;
  /** Print the end-of-run report on stderr (default true). */
  report?: boolean;
  signal?: AbortSignal;
}

/** The result of one sync. */
export interface SyncOutcome {
  exitCode: number;
  /** Present once the run started reading input. */
  stats?: SyncStats;
  /** The one-line message of a failed run. */
  error?: string;
}

/** A run id: UTC time plus random suffix, sortable and unique enough for audit rows and batch ids. */
export function newRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Run one sync and report it. Domain errors are printed and mapped to exit codes here, so the agent can
 * record them; only programmer errors propagate.
 */
export async function runSync(options: SyncOptions, io: CliIo): Promise<SyncOutcome> {
  let inventory: Inventory | undefined;
  let stats: SyncStats | undefined;
  try {
    const site = options.siteFile ? await readSiteFile(options.siteFile) : {};
    const definition = await readDefinition(options.definition, options.set ?? {}, site);
    const input = await openInput(definition.source, options, io);
    try {
      const compiled = compileDefinition(definition, input.name);
      inventory = await openInventory(
        {
          server: options.server,
          db: options.db,
          passwordFile: options.passwordFile,
          readOnly: options.dryRun,
          missingIsEmpty: options.dryRun,
        },
        io,
      );
      await inventory.logon();
      const alerts: AlertEntry[] = [];
      const runId = newRunId(io.now());
      const progress = io.stderrIsTerminal ? progressPrinter(io) : undefined;
      const result = await runEngine(
        openSource(definition.source, input.stream, input.name),
        compiled,
        inventory,
        {
          runId,
          dryRun: options.dryRun ?? false,
          addVolumes: options.addVolumes ?? definition.options.addVolumes,
          onBadRecord: definition.options.onBadRecord,
          batchSize: options.batchSize ?? definition.options.batchSize,
          cacheVolumes: options.cacheVolumes ?? definition.options.cacheVolumes,
          maxChanges: options.maxChanges,
          now: io.now,
          onPlan: options.dryRun ? (entry) => io.out(formatPlanEntry(entry)) : undefined,
          onAlert: (alert) => alerts.push(alert),
          onProgress: progress,
          signal: options.signal ?? io.signal,
        },
      );
      await input.done();
      stats = result;
      if (progress) io.err("\r\x1b[K");
      await report(
        options,
        io,
        result,
        alerts,
        `${options.definition} <- ${input.name} -> ${inventory.location}`,
      );
      if (result.linesRead === 0 && !result.interrupted) io.err(emptyInputWarning(input.name));
      return { exitCode: exitCodeOf(options, result, alerts.length), stats: result };
    } finally {
      await input.close();
    }
  } catch (error) {
    return await failure(options, io, error, stats);
  } finally {
    await inventory?.close();
  }
}

/**
 * An input without a single line: a sync of it changes nothing, but an export that ran still writes a
 * header or a report heading, so the export most likely failed or wrote elsewhere. Said on stderr; the exit
 * code stays 0, since an export with no tapes in it is possible for a source without header or heading.
 */
export function emptyInputWarning(name: string): string {
  return `Warning: the input "${name}" is empty (not one line): nothing was compared or written. ` +
    `Check that the export ran and wrote its output where tapesync reads it.\n`;
}

function exitCodeOf(
  options: SyncOptions,
  stats: SyncStats & { interrupted: boolean },
  alerts: number,
): number {
  if (stats.interrupted || stats.conflicts > 0) return ExitCode.RecordErrors;
  if (alerts > 0 && options.failOnAlert) return ExitCode.RecordErrors;
  if (options.dryRun && options.detailedExitcode && stats.volumesAdded + stats.volumesUpdated > 0) {
    return ExitCode.ChangesPresent;
  }
  return ExitCode.Ok;
}

async function report(
  options: SyncOptions,
  io: CliIo,
  stats: SyncStats & { interrupted: boolean },
  alerts: AlertEntry[],
  title: string,
): Promise<void> {
  if (options.report !== false) {
    const heading = `${options.dryRun ? "Dry run (nothing written)" : "Sync"}: ${title}`;
    io.err(
      formatStats(stats, stats.interrupted ? `${heading}\n  interrupted: stopped reading early` : heading),
    );
    for (const alert of alerts.slice(0, 50)) {
      io.err(
        `  alert ${alert.customer}/${alert.media}/${alert.volume} ${alert.field}: inventory "${
          alert.inventoryValue ?? ""
        }", source "${alert.sourceValue ?? ""}" (line ${alert.line})\n`,
      );
    }
    if (alerts.length > 50) io.err(`  ... ${alerts.length - 50} more alerts (see --alerts-json)\n`);
  }
  await writeJson(options.statsJson, stats, io);
  await writeJson(options.alertsJson, alerts, io);
}

async function writeJson(target: string | undefined, value: unknown, io: CliIo): Promise<void> {
  if (target === undefined) return;
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (target === "-") io.out(text);
  else await Deno.writeTextFile(target, text);
}

async function failure(
  options: SyncOptions,
  io: CliIo,
  error: unknown,
  stats?: SyncStats,
): Promise<SyncOutcome> {
  if (error instanceof RunStoppedError || error instanceof ChangeLimitError) {
    const partial = error instanceof RunStoppedError ? error.stats : stats;
    io.err(`Error: ${error.message}\n`);
    if (partial && options.report !== false) io.err(formatStats(partial, "Statistics up to the stop:"));
    await writeJson(options.statsJson, partial ?? emptyStats("", options.dryRun ?? false), io);
    return { exitCode: ExitCode.RecordErrors, stats: partial, error: error.message };
  }
  const code = exitCodeFor(error);
  if (code === ExitCode.Internal) throw error;
  const message = describeError(error, false);
  io.err(`${message}\n`);
  if (error instanceof UsageError) io.err(`Run "tapesync sync --help" for the options\n`);
  return { exitCode: code, error: message.split("\n")[0].replace(/^Error: /, "") };
}

function progressPrinter(io: CliIo): (stats: SyncStats) => void {
  let last = 0;
  return (stats) => {
    const now = io.now();
    if (now - last < 1000) return;
    last = now;
    const rate = stats.durationMs > 0 ? Math.round(stats.recordsRead / (stats.durationMs / 1000)) : 0;
    io.err(`\r\x1b[K${stats.recordsRead} records, ${rate} records/s, ${stats.scopesLoaded} scopes loaded`);
  };
}
