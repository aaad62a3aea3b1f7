/**
 * @module
 * Chooses and opens the inventory a command works on: the embedded SQLite store (no `--server`, or
 * `file:PATH`) or a remote `tapesync serve` (`https://user@host:port`, or `http://` on loopback). The
 * password of a remote comes from `TAPESYNC_PASSWORD`, `--password-file` or a prompt, never from a log.
 */
import { HttpInventory } from "../inventory/http/mod.ts";
import type { Inventory } from "../inventory/mod.ts";
import { openSqliteInventory } from "../inventory/sqlite/mod.ts";
import { openPostgresInventory, postgresLocation } from "../inventory/postgres/mod.ts";
import type { PostgresInventory } from "../inventory/postgres/mod.ts";
import { connectPostgres, describePostgresError } from "../inventory/postgres/mod.ts";
import { InventoryUnavailableError } from "../inventory/mod.ts";
import { PostgresAccountStore } from "../server/mod.ts";
import type { CliIo } from "./cli_io.ts";
import { readFlagFile } from "./read_flag_file.ts";
import { UsageError } from "./usage_error.ts";

/** Where the inventory is, as given on the command line. */
export interface InventoryTarget {
  /** `file:PATH`, `http(s)://user@host:port`, or absent for the embedded store. */
  server?: string;
  /** Embedded store path; default `TAPESYNC_DB`, else `./tapesync.db`. */
  db?: string;
  /** File whose first line is the password of a remote server. */
  passwordFile?: string;
  /** Open for reading only (dry runs, listings). */
  readOnly?: boolean;
  /**
   * A read-only embedded store whose file does not exist yet is an empty inventory (a dry run before the
   * first sync) instead of an error. The file is not created.
   */
  missingIsEmpty?: boolean;
}

/** The embedded store at `path`; under `missingIsEmpty`, an empty one in memory when the file is missing. */
function openEmbedded(path: string, target: InventoryTarget, io: CliIo): Inventory {
  const readOnly = target.readOnly ?? false;
  if (readOnly && target.missingIsEmpty) {
    try {
      Deno.statSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      io.err(`Note: "${path}" does not exist yet: comparing with an empty inventory (nothing is created)\n`);
      return openSqliteInventory(":memory:");
    }
  }
  return openSqliteInventory(path, { readOnly });
}

/** The embedded store's path: `--db`, else `TAPESYNC_DB`, else `tapesync.db` in the working directory. */
export function embeddedPath(db: string | undefined, io: CliIo): string {
  return resolvePath(db ?? io.env("TAPESYNC_DB") ?? "tapesync.db", io.cwd);
}

function resolvePath(path: string, cwd: string): string {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)
    ? path
    : `${cwd.replace(/[\\/]+$/, "")}/${path}`;
}

/**
 * A further server of `--server URL1,URL2` (an instance on the same database): http(s) only, plain
 * http on loopback only; its userinfo is ignored (the account is the first URL's).
 * @throws {UsageError} a malformed URL
 */
function fallbackLocation(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(
      "--server",
      "Cannot use --server: each of URL1,URL2 must be https://host:port (or http:// on loopback)",
    );
  }
  url.username = "";
  url.password = "";
  const location = url.toString().replace(/\/+$/, "");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw new UsageError(
      "--server",
      `Cannot use --server "${location}": each further server must be https:// (or http:// on loopback)`,
    );
  }
  return location;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Open the inventory named by the command line. The caller logs on and closes it.
 * @param target `--server`, `--db`, `--password-file` and whether to open read-only
 * @param io environment, terminal and stderr (for the prompt and warnings)
 * @returns an Inventory, not yet logged on
 * @throws {UsageError} a malformed `--server`, a missing password or an unreadable password file
 */
export async function openInventory(target: InventoryTarget, io: CliIo): Promise<Inventory> {
  const server = target.server;
  if ((server === undefined || server === "") && isPostgresUrl(target.db ?? io.env("TAPESYNC_DB"))) {
    const url = target.db ?? io.env("TAPESYNC_DB") ?? "";
    return await openPostgresTarget(url, io, { readOnly: target.readOnly ?? false });
  }
  if (server === undefined || server === "") {
    return openEmbedded(embeddedPath(target.db, io), target, io);
  }
  if (server.startsWith("file:")) {
    const path = server.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "") {
      throw new UsageError(
        "--server",
        'Cannot use --server "file:": name the database file, e.g. "file:./inventory.db"',
      );
    }
    return openEmbedded(resolvePath(path, io.cwd), target, io);
  }
  const [first, ...others] = server.split(",").map((part) => part.trim());
  const fallbackUrls = others.map((other) => fallbackLocation(other));
  let url: URL;
  try {
    url = new URL(first);
  } catch {
    throw new UsageError("--server", "Cannot use --server: expected file:PATH or https://user@host:port");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      "--server",
      `Cannot use --server with "${url.protocol}": expected file:PATH or https://user@host:port`,
    );
  }
  const inline = decodeURIComponent(url.password);
  const user = decodeURIComponent(url.username);
  url.username = "";
  url.password = "";
  const location = url.toString().replace(/\/+$/, "");
  if (user === "") {
    throw new UsageError(
      "--server",
      `Cannot use --server "${location}": name the account, e.g. "https://agent@host:8700"`,
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new UsageError(
      "--server",
      `Cannot use --server "${location}": plain http is allowed on loopback only; use https://`,
    );
  }
  const password = await serverPassword(target, io, location, user, inline);
  const deadline = io.env("TAPESYNC_RETRY_DEADLINE");
  const deadlineMs = deadline === undefined || !/^\d+(\.\d+)?$/.test(deadline)
    ? undefined
    : Number(deadline) * 1000;
  return new HttpInventory({
    url: location,
    fallbackUrls,
    user,
    password,
    readOnly: target.readOnly ?? false,
    retry: { deadlineMs },
    signal: io.signal,
  });
}

async function serverPassword(
  target: InventoryTarget,
  io: CliIo,
  location: string,
  user: string,
  inline: string,
): Promise<string> {
  if (inline !== "") {
    io.err(
      "Warning: the password in --server is visible to other users of this machine in the process list; " +
        "use TAPESYNC_PASSWORD, --password-file or the prompt instead\n",
    );
    // The original's inline form marks a literal password with a leading dash ("user:-secret@host").
    return inline.startsWith("-") && inline.length > 1 ? inline.slice(1) : inline;
  }
  const fromEnv = io.env("TAPESYNC_PASSWORD");
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (target.passwordFile !== undefined) {
    return await readPasswordFile(resolvePath(target.passwordFile, io.cwd));
  }
  if (io.stdinIsTerminal) return await promptPassword(io, `Password for "${user}" at ${location}: `);
  throw new UsageError(
    "--password-file",
    `Cannot log on to "${location}" as "${user}": no password given; set TAPESYNC_PASSWORD, use --password-file or run in a terminal`,
  );
}

/**
 * The first line of a password file.
 * @throws {UsageError} the file cannot be read or its first line is empty
 */
export async function readPasswordFile(path: string): Promise<string> {
  const text = await readFlagFile(path, "--password-file", "the password file");
  const password = text.split(/\r?\n/, 1)[0];
  if (password === "") {
    throw new UsageError(
      "--password-file",
      `Cannot use the password file "${path}": its first line is empty`,
    );
  }
  return password;
}

/**
 * Read a password: from the terminal without echo when stdin is one, else the first line of stdin.
 * @param io where to read and where to print the prompt
 * @param prompt printed on stderr before reading from a terminal
 * @throws {UsageError} input ended before a password, or Ctrl-C at the prompt
 */
export async function promptPassword(io: CliIo, prompt: string): Promise<string> {
  const reader = io.stdin.getReader();
  const decoder = new TextDecoder();
  const terminal = io.stdinIsTerminal;
  if (terminal) {
    // Echo goes off before the prompt shows, so nothing typed after the prompt can be echoed.
    Deno.stdin.setRaw(true);
    io.err(prompt);
  }
  let text = "";
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (terminal && text.includes("\x03")) {
        throw new UsageError("password", "Cannot read the password: interrupted");
      }
      if (terminal) text = applyBackspaces(text);
      if (/[\r\n]/.test(text)) break;
    }
  } finally {
    if (terminal) {
      Deno.stdin.setRaw(false);
      io.err("\n");
    }
    reader.releaseLock();
  }
  const password = text.split(/\r?\n|\r/, 1)[0];
  if (password === "") throw new UsageError("password", "Cannot read the password: none was given");
  return password;
}

function applyBackspaces(text: string): string {
  let out = "";
  for (const char of text) out = char === "\x7f" || char === "\b" ? out.slice(0, -1) : out + char;
  return out;
}

/** True when a `--db` value names a PostgreSQL database (`postgres://` or `postgresql://`), not a file. */
export function isPostgresUrl(db: string | undefined): boolean {
  return db !== undefined && /^postgres(ql)?:\/\//i.test(db);
}

/** How `openPostgresTarget` opens the database. */
export interface PostgresTargetOptions {
  /** File whose first line is the database password (`--db-password-file`). */
  passwordFile?: string;
  /** Apply missing migrations first (`tapesync serve --migrate`). */
  migrate?: boolean;
  readOnly?: boolean;
  /** Pool size. Default 10. */
  maxConnections?: number;
}

/**
 * The password of a PostgreSQL URL: `--db-password-file`, else `PGPASSWORD`, else the URL's own (with a
 * warning, as the process list shows it), else none (trust, peer or `~/.pgpass`).
 * @throws {UsageError} the password file cannot be read
 */
export async function postgresPassword(
  url: string,
  io: CliIo,
  passwordFile: string | undefined,
): Promise<string | undefined> {
  if (passwordFile !== undefined) {
    try {
      return await readPasswordFile(resolvePath(passwordFile, io.cwd));
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError("--db-password-file", error.message);
      throw error;
    }
  }
  const fromEnv = io.env("PGPASSWORD");
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  let inline = "";
  try {
    inline = decodeURIComponent(new URL(url).password);
  } catch {
    inline = "";
  }
  if (inline === "") return undefined;
  io.err(
    "Warning: the password in --db is visible to other users of this machine in the process list; " +
      "use PGPASSWORD or --db-password-file instead\n",
  );
  return inline;
}

/**
 * Open the PostgreSQL inventory named by `--db`.
 * @param url `postgres://user@host:port/database`
 * @param io environment (PGPASSWORD) and stderr for warnings
 * @param options password file, migrate, read-only, pool size
 * @throws {UsageError} a malformed URL or an unreadable password file
 * @throws {InventoryUnavailableError} the database cannot be reached or its schema does not fit
 */
export async function openPostgresTarget(
  url: string,
  io: CliIo,
  options: PostgresTargetOptions = {},
): Promise<PostgresInventory> {
  try {
    postgresLocation(url);
  } catch (error) {
    throw new UsageError("--db", error instanceof Error ? error.message : String(error));
  }
  const password = await postgresPassword(url, io, options.passwordFile);
  return await openPostgresInventory(url, {
    password,
    migrate: options.migrate ?? false,
    readOnly: options.readOnly ?? false,
    maxConnections: options.maxConnections,
  });
}

/**
 * The server's account store in a PostgreSQL inventory database (`tapesync serve` and `tapesync users`
 * with `--db postgres://...`). The inventory schema is checked (or, with `migrate`, created) first, so
 * account tables never land in a database that is not a tapesync inventory.
 * @param url `postgres://user@host:port/database`
 * @param io environment (PGPASSWORD) and stderr for warnings
 * @param options password file and whether to migrate
 * @throws {UsageError} a malformed URL or an unreadable password file
 * @throws {InventoryUnavailableError} the database cannot be reached or its schema does not fit
 */
export async function openPostgresAccounts(
  url: string,
  io: CliIo,
  options: { passwordFile?: string; migrate?: boolean } = {},
): Promise<PostgresAccountStore> {
  const inventory = await openPostgresTarget(url, io, { ...options, maxConnections: 1 });
  await inventory.close();
  const password = await postgresPassword(url, io, options.passwordFile);
  const { sql, location } = connectPostgres(url, { password, maxConnections: 4 });
  try {
    return await PostgresAccountStore.open(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new InventoryUnavailableError(
      location,
      1,
      `cannot open the account tables: ${describePostgresError(error)}`,
      { cause: error },
    );
  }
}
