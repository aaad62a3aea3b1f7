/**
 * @module
 * `tapesync volumes`: list volumes of the inventory with filters, as a table, CSV or JSON.
 */
import { collectListing } from "../collect_pages.ts";
import type { Command } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { intFlag, parseFlags } from "../parse_flags.ts";
import { noRowsNote, renderRows, rowFormat } from "../render_rows.ts";

const HELP =
  `Usage: tapesync volumes [--customer ID] [--media ID] [--volume ID|PREFIX*] [--format table|csv|json]

Lists volumes of the inventory (read-only), ordered by customer, media and volume.

      --customer ID      only this customer
      --media ID         only this media
      --volume V         this volume, or volumes starting with V when it ends in *
      --limit N          at most N volumes (default: all)
      --format F         table (default), csv or json
      --server URL       file:PATH or http(s)://user@host:port; --db PATH, --password-file F as for sync
`;

const FLAGS = {
  customer: { type: "string" },
  media: { type: "string" },
  volume: { type: "string" },
  limit: { type: "string" },
  format: { type: "string" },
  server: { type: "string" },
  db: { type: "string" },
  "password-file": { type: "string" },
} as const;

const BASE_COLUMNS = ["customer", "media", "volume"];

export const command: Command = {
  name: "volumes",
  summary: "List volumes of the inventory",
  help: HELP,
  async run(args, io) {
    const { flags } = parseFlags(args, FLAGS, "volumes");
    const format = rowFormat(flags.format);
    const limit = intFlag(flags.limit, "--limit", 1);
    const volumes = await collectListing(
      { server: flags.server, db: flags.db, passwordFile: flags["password-file"] },
      io,
      limit,
      async (inventory, want, after) => {
        const page = await inventory.listVolumes({
          customer: flags.customer,
          media: flags.media,
          volume: flags.volume,
          limit: want,
          after,
        });
        return { items: page.volumes, next: page.next };
      },
    );
    const fieldNames = [...new Set(volumes.flatMap((volume) => Object.keys(volume.fields)))].sort();
    const rows = volumes.map((volume) => ({
      customer: volume.customer,
      media: volume.media,
      volume: volume.volume,
      ...volume.fields,
      updatedAt: volume.updatedAt,
    }));
    io.out(renderRows(rows, [...BASE_COLUMNS, ...fieldNames, "updatedAt"], format, volumes));
    if (format === "table" && rows.length === 0) {
      io.err(noRowsNote("volumes", {
        "--customer": flags.customer,
        "--media": flags.media,
        "--volume": flags.volume,
      }));
    }
    return ExitCode.Ok;
  },
};
