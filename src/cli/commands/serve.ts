/**
 * @module
 * `tapesync serve`: the inventory server. Opens the SQLite (or, with `--db postgres://...`, the
 * PostgreSQL) inventory and its account tables, serves the
 * HTTP API with `Deno.serve` (TLS with --tls-cert/--tls-key), logs one line per request on stderr, and
 * stops cleanly on SIGINT/SIGTERM.
 */
import { openSqliteInventory } from "../../inventory/sqlite/mod.ts";
import { connectPostgres, describePostgresError } from "../../inventory/postgres/mod.ts";
import { InventoryUnavailableError } from "../../inventory/mod.ts";
import type { ServedStore } from "../../inventory/mod.ts";
import {
  createApp,
  NO_ACCOUNTS_MESSAGE,
  PostgresAccountStore,
  SqliteAccountStore,
} from "../../server/mod.ts";
import type { AccountStore, RequestLogEntry, ServerApp, ServerLogger } from "../../server/mod.ts";
import type { CliIo } from "../cli_io.ts";
import type { Command } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { embeddedPath, isPostgresUrl, openPostgresTarget, postgresPassword } from "../open_inventory.ts";
import { intFlag, parseFlags } from "../parse_flags.ts";
import { readFlagFile } from "../read_flag_file.ts";
import { UsageError } from "../usage_error.ts";

const HELP = `Usage: tapesync serve [--db PATH|postgres://USER@HOST:PORT/DB [--migrate]] [--listen HOST:PORT]
                      [--tls-cert FILE --tls-key FILE]

Serves the inventory over HTTP (API version 1, see docs/api.md) for agents syncing with
--server https://user@host:port. Accounts are managed with "tapesync users".

      --db PATH             the SQLite inventory (default TAPESYNC_DB or ./tapesync.db)
      --db postgres://USER@HOST:PORT/DB
                            a PostgreSQL inventory that several serve instances share
                            (password from --db-password-file, PGPASSWORD or the URL; docs/scaling.md)
      --db-password-file FILE  first line is the PostgreSQL password
      --migrate             create or upgrade the PostgreSQL schema before serving
      --listen HOST:PORT    address to listen on (default 127.0.0.1:8700; port 0 picks a free one)
      --tls-cert FILE       PEM certificate chain: serve https (needs --tls-key)
      --tls-key FILE        PEM private key of the certificate
      --session-ttl SECS    lifetime of a logon session (default 3600)
      --max-body BYTES      largest request body accepted (default 33554432)

Prints "Listening on URL" on stdout once ready, one line per request on stderr
(time, address, user, method, path, status, duration; TAPESYNC_LOG=quiet turns them off).
`;

const FLAGS = {
  db: { type: "string" },
  listen: { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "session-ttl": { type: "string" },
  "max-body": { type: "string" },
  "db-password-file": { type: "string" },
  migrate: { type: "boolean" },
} as const;

/** The inventory and account store of `--db`: one SQLite file, or one PostgreSQL database. */
async function openStores(
  db: string | undefined,
  flags: { "db-password-file"?: string; migrate?: boolean },
  io: CliIo,
): Promise<{ inventory: ServedStore; accounts: AccountStore; location: string }> {
  if (!isPostgresUrl(db ?? io.env("TAPESYNC_DB"))) {
    if (flags.migrate === true || flags["db-password-file"] !== undefined) {
      const flag = flags.migrate === true ? "--migrate" : "--db-password-file";
      throw new UsageError(
        flag,
        `Cannot use ${flag} with an SQLite inventory: it applies to --db postgres://...`,
      );
    }
    const path = embeddedPath(db, io);
    return { inventory: openSqliteInventory(path), accounts: new SqliteAccountStore(path), location: path };
  }
  const url = db ?? io.env("TAPESYNC_DB") ?? "";
  const inventory = await openPostgresTarget(url, io, {
    passwordFile: flags["db-password-file"],
    migrate: flags.migrate ?? false,
  });
  const password = await postgresPassword(url, io, flags["db-password-file"]);
  const { sql } = connectPostgres(url, { password, maxConnections: 4 });
  try {
    return { inventory, accounts: await PostgresAccountStore.open(sql), location: inventory.location };
  } catch (error) {
    await sql.end({ timeout: 1 });
    await inventory.close();
    throw new InventoryUnavailableError(
      inventory.location,
      1,
      `cannot open the account tables: ${describePostgresError(error)}`,
      { cause: error },
    );
  }
}

/** Split `HOST:PORT` (`[::1]:8700` for IPv6). @throws {UsageError} */
export function parseListen(value: string): { hostname: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = match === null ? NaN : Number(match[3]);
  if (match === null || port > 65535) {
    throw new UsageError(
      "--listen",
      `Cannot use --listen "${value}": expected HOST:PORT, e.g. 127.0.0.1:8700`,
    );
  }
  return { hostname: match[1] ?? match[2], port };
}

function serverLogger(io: CliIo): ServerLogger {
  const quiet = io.env("TAPESYNC_LOG") === "quiet";
  return {
    request(entry: RequestLogEntry) {
      if (quiet) return;
      const time = new Date(io.now()).toISOString();
      io.err(
        `${time} ${entry.address} ${
          entry.user ?? "-"
        } ${entry.method} ${entry.path} ${entry.status} ${entry.durationMs}ms\n`,
      );
    },
    error(message: string, error: unknown) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      io.err(`${new Date(io.now()).toISOString()} error ${message}: ${detail}\n`);
    },
  };
}

interface ListenOptions {
  hostname: string;
  port: number;
  tls: { cert: string; key: string } | undefined;
  io: CliIo;
  /** The inventory file, named in the "Listening on" line. */
  path: string;
  listenFlag: string;
}

/**
 * Serve the app until `io.signal` aborts; prints "Listening on URL" once the socket is bound.
 * @throws {UsageError} the address is in use or not on this machine
 */
function listen(app: ServerApp, options: ListenOptions): Deno.HttpServer {
  const { hostname, port, tls, io, path } = options;
  const scheme = tls === undefined ? "http" : "https";
  try {
    return Deno.serve({
      hostname,
      port,
      signal: io.signal,
      ...tls,
      onListen: (address) => {
        const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
        io.out(`Listening on ${scheme}://${host}:${address.port} (inventory ${path})\n`);
      },
    }, (request, info) => app.fetch(request, { remoteAddress: info.remoteAddr.hostname }));
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse || error instanceof Deno.errors.AddrNotAvailable)) {
      throw error;
    }
    throw new UsageError("--listen", `Cannot listen on "${options.listenFlag}": ${error.message}`);
  }
}

export const command: Command = {
  name: "serve",
  summary: "Serve the inventory over HTTP for remote agents",
  help: HELP,
  async run(args, io) {
    const { flags } = parseFlags(args, FLAGS, "serve");
    const { hostname, port } = parseListen(flags.listen ?? "127.0.0.1:8700");
    const ttl = intFlag(flags["session-ttl"], "--session-ttl", 60);
    const maxBody = intFlag(flags["max-body"], "--max-body", 1024);
    const certFile = flags["tls-cert"];
    const keyFile = flags["tls-key"];
    if ((certFile === undefined) !== (keyFile === undefined)) {
      throw new UsageError(
        certFile === undefined ? "--tls-cert" : "--tls-key",
        "Cannot serve TLS: give both --tls-cert and --tls-key",
      );
    }
    const tls = certFile !== undefined && keyFile !== undefined
      ? {
        cert: await readFlagFile(certFile, "--tls-cert", "--tls-cert"),
        key: await readFlagFile(keyFile, "--tls-key", "--tls-key"),
      }
      : undefined;
    const { inventory, accounts, location: path } = await openStores(flags.db, flags, io);
    try {
      const app = createApp(inventory, accounts, {
        logger: serverLogger(io),
        sessionTtlMs: ttl === undefined ? undefined : ttl * 1000,
        maxBodyBytes: maxBody,
      });
      const server = listen(app, {
        hostname,
        port,
        tls,
        io,
        path,
        listenFlag: flags.listen ?? "127.0.0.1:8700",
      });
      if (await accounts.count() === 0) io.err(`Warning: ${NO_ACCOUNTS_MESSAGE}\n`);
      const loopback = hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.");
      if (tls === undefined && !loopback) {
        io.err(
          "Warning: serving plain http on a non-loopback address; passwords and tokens cross the network in clear\n",
        );
      }
      await server.finished;
      return ExitCode.Ok;
    } finally {
      await accounts.close();
      await inventory.close();
    }
  },
};
