/**
 * @module
 * `tapesync history`: the audit rows of volumes (when, run, field, old -> new).
 */
import { collectListing } from "../collect_pages.ts";
import type { Command } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { intFlag, parseFlags } from "../parse_flags.ts";
import { noRowsNote, renderRows, rowFormat } from "../render_rows.ts";

const HELP =
  `Usage: tapesync history [--volume ID] [--customer ID] [--media ID] [--run RUN_ID] [--format table|csv|json]

Prints the audit rows of the inventory: one row per changed field, oldest first.

      --volume ID        only this volume
      --customer ID      only this customer
      --media ID         only this media
      --run RUN_ID       only the changes of one run (the run id is in --stats-json)
      --limit N          at most N rows (default: all)
      --format F         table (default), csv or json
      --server URL       file:PATH or http(s)://user@host:port; --db PATH, --password-file F as for sync
`;

const FLAGS = {
  volume: { type: "string" },
  customer: { type: "string" },
  media: { type: "string" },
  run: { type: "string" },
  limit: { type: "string" },
  format: { type: "string" },
  server: { type: "string" },
  db: { type: "string" },
  "password-file": { type: "string" },
} as const;

const COLUMNS = ["at", "runId", "customer", "media", "volume", "field", "old", "new"];

export const command: Command = {
  name: "history",
  summary: "Show the audit history of volumes",
  help: HELP,
  async run(args, io) {
    const { flags } = parseFlags(args, FLAGS, "history");
    const format = rowFormat(flags.format);
    const limit = intFlag(flags.limit, "--limit", 1);
    const entries = await collectListing(
      { server: flags.server, db: flags.db, passwordFile: flags["password-file"] },
      io,
      limit,
      async (inventory, want, after) => {
        const page = await inventory.history({
          volume: flags.volume,
          customer: flags.customer,
          media: flags.media,
          runId: flags.run,
          limit: want,
          after,
        });
        return { items: page.entries, next: page.next };
      },
    );
    const rows = entries.map((entry) => ({
      at: entry.at,
      runId: entry.runId,
      customer: entry.customer,
      media: entry.media,
      volume: entry.volume,
      field: entry.field,
      old: entry.old ?? "",
      new: entry.new ?? "",
    }));
    io.out(renderRows(rows, COLUMNS, format, entries));
    if (format === "table" && rows.length === 0) {
      io.err(noRowsNote("audit rows", {
        "--volume": flags.volume,
        "--customer": flags.customer,
        "--media": flags.media,
        "--run": flags.run,
      }));
    }
    return ExitCode.Ok;
  },
};
