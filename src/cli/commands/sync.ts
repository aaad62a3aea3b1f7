/**
 * @module
 * `tapesync sync`: synchronize an export into the inventory.
 */
import type { Command } from "../command.ts";
import { intFlag, parseFlags, setFlags } from "../parse_flags.ts";
import { runSync } from "../run_sync.ts";
import { UsageError } from "../usage_error.ts";

const HELP = `Usage: tapesync sync --definition FILE|builtin:NAME [--input FILE|-] [options]

Reads the export record by record, works out each volume and the fields the definition sets, loads each
(customer, media) scope of the inventory once, and applies only the differences in batches.

Input and definition:
  -d, --definition REF    definition file, or builtin:NAME for a ready one (tapesync definitions list)
  -i, --input FILE        the export; "-" or none reads standard input
      --set NAME=VALUE    a site parameter of the definition (repeatable)
      --site FILE         site parameters from a YAML file of name: value (--set wins)
Inventory:
      --server URL        file:PATH (embedded store) or http(s)://user@host:port (tapesync serve)
      --db PATH           embedded store file (default $TAPESYNC_DB or ./tapesync.db)
      --password-file F   password of the server account (or $TAPESYNC_PASSWORD, or a prompt)
Behaviour:
      --add-volumes       add volumes the inventory lacks, whatever the definition says
  -n, --dry-run           open the inventory read-only and print the plan (+ add, ~ update: old -> new)
      --detailed-exitcode with --dry-run: exit 4 when there are changes, 0 when none
      --max-changes N     refuse the run (exit 1, nothing written) if it would change more than N volumes
      --batch-size N      changes per batch (default: the definition's options.batchSize)
      --cache-volumes N   volumes the scope cache may hold (default: options.cacheVolumes)
      --fail-on-alert     exit 1 when a field in alert mode differs
Output:
      --stats-json FILE   write the statistics as JSON (- for stdout)
      --alerts-json FILE  write the alerts as JSON (- for stdout)
  -q, --quiet             no report on stderr
Hook runs (never two runs of one job at once, with the agent's scheduled runs too):
      --job NAME          take the job's lock in the state directory for this run
      --state-dir DIR     the agent's state directory (default $TAPESYNC_STATE_DIR)
      --wait-lock SECONDS wait up to SECONDS for the lock (default 0: skip at once with exit 75)

Exit codes: 0 ok; 1 record errors under policy stop, conflicts, interrupted, --max-changes refused,
alerts with --fail-on-alert; 2 usage or definition error (nothing read or written); 3 inventory
unreachable or logon refused; 4 changes present (--dry-run --detailed-exitcode); 75 another run of
the --job holds its lock (nothing done).
`;

const FLAGS = {
  definition: { type: "string", short: "d" },
  input: { type: "string", short: "i" },
  set: { type: "string", multiple: true },
  site: { type: "string" },
  server: { type: "string" },
  db: { type: "string" },
  "password-file": { type: "string" },
  "add-volumes": { type: "boolean" },
  "dry-run": { type: "boolean", short: "n" },
  "detailed-exitcode": { type: "boolean" },
  "max-changes": { type: "string" },
  "batch-size": { type: "string" },
  "cache-volumes": { type: "string" },
  "fail-on-alert": { type: "boolean" },
  "stats-json": { type: "string" },
  "alerts-json": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  job: { type: "string" },
  "state-dir": { type: "string" },
  "wait-lock": { type: "string" },
} as const;

export const command: Command = {
  name: "sync",
  summary: "Synchronize an export into the inventory",
  help: HELP,
  async run(args, io) {
    const { flags } = parseFlags(args, FLAGS, "sync");
    if (flags.definition === undefined) {
      throw new UsageError("--definition", "Cannot sync: --definition is required");
    }
    if (flags["detailed-exitcode"] && !flags["dry-run"]) {
      throw new UsageError("--detailed-exitcode", "Cannot use --detailed-exitcode without --dry-run");
    }
    const definition = flags.definition;
    const run = () =>
      runSync({
        definition,
        input: flags.input,
        set: setFlags(flags.set),
        siteFile: flags.site,
        server: flags.server,
        db: flags.db,
        passwordFile: flags["password-file"],
        addVolumes: flags["add-volumes"] ? true : undefined,
        dryRun: flags["dry-run"] ?? false,
        detailedExitcode: flags["detailed-exitcode"] ?? false,
        maxChanges: intFlag(flags["max-changes"], "--max-changes"),
        batchSize: intFlag(flags["batch-size"], "--batch-size", 1),
        cacheVolumes: intFlag(flags["cache-volumes"], "--cache-volumes", 1),
        failOnAlert: flags["fail-on-alert"] ?? false,
        statsJson: flags["stats-json"],
        alertsJson: flags["alerts-json"],
        report: !flags.quiet,
      }, io);
    if (flags.job === undefined) return (await run()).exitCode;
    const stateDir = flags["state-dir"] ?? io.env("TAPESYNC_STATE_DIR");
    if (stateDir === undefined) {
      throw new UsageError(
        "--state-dir",
        "Cannot take the lock of --job: give --state-dir or set TAPESYNC_STATE_DIR",
      );
    }
    const { withJobLock } = await import("../../agent/job_lock.ts");
    const waitSeconds = intFlag(flags["wait-lock"], "--wait-lock") ?? 0;
    return (await withJobLock(stateDir, flags.job, { waitSeconds, signal: io.signal }, run)).exitCode;
  },
};
