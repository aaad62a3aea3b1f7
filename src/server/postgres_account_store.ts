/**
 * @module
 * The PostgreSQL `AccountStore`: accounts, sessions and failed-logon counters in `server_*` tables of the
 * inventory's database, so every `tapesync serve` instance on that database accepts a token issued by
 * any other and counts failed logons together.
 */
import type { Sql } from "../deps/postgres.ts";
import type {
  Account,
  AccountRow,
  AccountStore,
  FailureCount,
  Session,
  StoredAccount,
} from "./account_store.ts";
import { toAccount } from "./account_store.ts";

/** Advisory lock key held while the tables are created ("TAPS" + 1; the inventory uses "TAPS"). */
const ACCOUNT_SCHEMA_LOCK = 0x54415054;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS server_accounts (
  name text COLLATE "C" PRIMARY KEY,
  role text NOT NULL,
  customers text,
  password_hash text NOT NULL,
  created_at text NOT NULL
);
CREATE TABLE IF NOT EXISTS server_sessions (
  token_hash text PRIMARY KEY,
  "user" text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS server_sessions_user ON server_sessions ("user");
CREATE TABLE IF NOT EXISTS server_logon_failures (
  key text PRIMARY KEY,
  count integer NOT NULL,
  last_at bigint NOT NULL
);
`;

/** Accounts, sessions and failure counters in PostgreSQL. Create it with `PostgresAccountStore.open()`. */
export class PostgresAccountStore implements AccountStore {
  readonly #sql: Sql;

  private constructor(sql: Sql) {
    this.#sql = sql;
  }

  /**
   * Use the account tables of a database, creating them (once, under an advisory lock) when missing.
   * @param sql a pool on the inventory's database; the store closes it in `close()`
   * @returns the store
   * @example
   * ```ts
   * const { sql } = connectPostgres("postgres://tapesync@db/tapesync", { maxConnections: 4 });
   * const accounts = await PostgresAccountStore.open(sql);
   * ```
   */
  static async open(sql: Sql): Promise<PostgresAccountStore> {
    const [present] = await sql`SELECT to_regclass('server_logon_failures') IS NOT NULL AS present`;
    if (present.present !== true) {
      await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${ACCOUNT_SCHEMA_LOCK})`;
        await tx.unsafe(SCHEMA);
      });
    }
    return new PostgresAccountStore(sql);
  }

  async count(): Promise<number> {
    const [row] = await this.#sql`SELECT count(*)::int AS n FROM server_accounts`;
    return Number(row.n);
  }

  async list(): Promise<Account[]> {
    const rows = await this.#sql<AccountRow[]>`SELECT * FROM server_accounts ORDER BY name`;
    return rows.map((row) => {
      const { passwordHash: _hash, ...account } = toAccount(row);
      return account;
    });
  }

  async get(name: string): Promise<StoredAccount | undefined> {
    const rows = await this.#sql<AccountRow[]>`SELECT * FROM server_accounts WHERE name = ${name}`;
    return rows.length === 0 ? undefined : toAccount(rows[0]);
  }

  async add(account: StoredAccount): Promise<boolean> {
    const customers = account.customers === null ? null : JSON.stringify(account.customers);
    const result = await this.#sql`
      INSERT INTO server_accounts (name, role, customers, password_hash, created_at)
      VALUES (${account.name}, ${account.role}, ${customers}, ${account.passwordHash}, ${account.createdAt})
      ON CONFLICT (name) DO NOTHING`;
    return result.count === 1;
  }

  async setPassword(name: string, passwordHash: string): Promise<boolean> {
    return await this.#sql.begin(async (tx) => {
      const result =
        await tx`UPDATE server_accounts SET password_hash = ${passwordHash} WHERE name = ${name}`;
      await tx`DELETE FROM server_sessions WHERE "user" = ${name}`;
      return result.count === 1;
    });
  }

  async remove(name: string): Promise<boolean> {
    return await this.#sql.begin(async (tx) => {
      const result = await tx`DELETE FROM server_accounts WHERE name = ${name}`;
      await tx`DELETE FROM server_sessions WHERE "user" = ${name}`;
      return result.count === 1;
    });
  }

  async createSession(session: Session): Promise<void> {
    await this.#sql`INSERT INTO server_sessions (token_hash, "user", expires_at)
      VALUES (${session.tokenHash}, ${session.user}, ${session.expiresAt})`;
  }

  async sessionAccount(tokenHash: string, now: number): Promise<StoredAccount | undefined> {
    const rows = await this.#sql<AccountRow[]>`SELECT a.* FROM server_sessions s
      JOIN server_accounts a ON a.name = s."user"
      WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now}`;
    return rows.length === 0 ? undefined : toAccount(rows[0]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#sql`DELETE FROM server_sessions WHERE token_hash = ${tokenHash}`;
  }

  async purgeSessions(now: number): Promise<void> {
    await this.#sql`DELETE FROM server_sessions WHERE expires_at <= ${now}`;
  }

  async failures(key: string): Promise<FailureCount | undefined> {
    const rows = await this.#sql`SELECT count, last_at FROM server_logon_failures WHERE key = ${key}`;
    return rows.length === 0 ? undefined : { count: Number(rows[0].count), lastAt: Number(rows[0].last_at) };
  }

  /** One upsert, so failures counted by several instances at once add up. */
  async recordFailure(key: string, at: number, windowMs: number): Promise<FailureCount> {
    const [row] = await this.#sql`
      INSERT INTO server_logon_failures AS f (key, count, last_at) VALUES (${key}, 1, ${at})
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN excluded.last_at - f.last_at > ${windowMs} THEN 1 ELSE f.count + 1 END,
        last_at = excluded.last_at
      RETURNING count, last_at`;
    return { count: Number(row.count), lastAt: Number(row.last_at) };
  }

  async clearFailures(key: string): Promise<void> {
    await this.#sql`DELETE FROM server_logon_failures WHERE key = ${key}`;
  }

  /** Close the pool. */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
