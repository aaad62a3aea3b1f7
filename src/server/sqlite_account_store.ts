/**
 * @module
 * The SQLite `AccountStore`: three `server_*` tables in the inventory's database file, next to (and
 * independent of) the inventory store's own tables, reached through a second connection.
 */
import { DatabaseSync } from "../deps/sqlite.ts";
import type { StatementSync } from "../deps/sqlite.ts";
import type {
  Account,
  AccountRow,
  AccountStore,
  FailureCount,
  Session,
  StoredAccount,
} from "./account_store.ts";
import { toAccount } from "./account_store.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS server_accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  customers TEXT,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_sessions (
  token_hash TEXT PRIMARY KEY,
  user TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS server_sessions_user ON server_sessions (user);
CREATE TABLE IF NOT EXISTS server_logon_failures (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  last_at INTEGER NOT NULL
);
`;

/** Accounts, sessions and failure counters in a SQLite file. */
export class SqliteAccountStore implements AccountStore {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  /**
   * Open (and create when missing) the account tables of a database file.
   * @param path the SQLite file, usually the inventory's own
   */
  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA busy_timeout = 5000");
    this.#db.exec(SCHEMA);
  }

  #sql(text: string): StatementSync {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  count(): Promise<number> {
    const row = this.#sql("SELECT count(*) AS n FROM server_accounts").get() as { n: number };
    return Promise.resolve(Number(row.n));
  }

  list(): Promise<Account[]> {
    const rows = this.#sql("SELECT * FROM server_accounts ORDER BY name").all() as unknown as AccountRow[];
    return Promise.resolve(rows.map((row) => {
      const { passwordHash: _hash, ...account } = toAccount(row);
      return account;
    }));
  }

  get(name: string): Promise<StoredAccount | undefined> {
    const row = this.#sql("SELECT * FROM server_accounts WHERE name = ?").get(name) as AccountRow | undefined;
    return Promise.resolve(row === undefined ? undefined : toAccount(row));
  }

  add(account: StoredAccount): Promise<boolean> {
    const result = this.#sql(
      `INSERT INTO server_accounts (name, role, customers, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO NOTHING`,
    ).run(
      account.name,
      account.role,
      account.customers === null ? null : JSON.stringify(account.customers),
      account.passwordHash,
      account.createdAt,
    );
    return Promise.resolve(Number(result.changes) === 1);
  }

  setPassword(name: string, passwordHash: string): Promise<boolean> {
    return Promise.resolve(this.#transaction(() => {
      const result = this.#sql("UPDATE server_accounts SET password_hash = ? WHERE name = ?").run(
        passwordHash,
        name,
      );
      this.#sql("DELETE FROM server_sessions WHERE user = ?").run(name);
      return Number(result.changes) === 1;
    }));
  }

  remove(name: string): Promise<boolean> {
    return Promise.resolve(this.#transaction(() => {
      const result = this.#sql("DELETE FROM server_accounts WHERE name = ?").run(name);
      this.#sql("DELETE FROM server_sessions WHERE user = ?").run(name);
      return Number(result.changes) === 1;
    }));
  }

  createSession(session: Session): Promise<void> {
    this.#sql("INSERT INTO server_sessions (token_hash, user, expires_at) VALUES (?, ?, ?)")
      .run(session.tokenHash, session.user, session.expiresAt);
    return Promise.resolve();
  }

  sessionAccount(tokenHash: string, now: number): Promise<StoredAccount | undefined> {
    const row = this.#sql(
      `SELECT a.* FROM server_sessions s JOIN server_accounts a ON a.name = s.user
        WHERE s.token_hash = ? AND s.expires_at > ?`,
    ).get(tokenHash, now) as AccountRow | undefined;
    return Promise.resolve(row === undefined ? undefined : toAccount(row));
  }

  deleteSession(tokenHash: string): Promise<void> {
    this.#sql("DELETE FROM server_sessions WHERE token_hash = ?").run(tokenHash);
    return Promise.resolve();
  }

  purgeSessions(now: number): Promise<void> {
    this.#sql("DELETE FROM server_sessions WHERE expires_at <= ?").run(now);
    return Promise.resolve();
  }

  failures(key: string): Promise<FailureCount | undefined> {
    const row = this.#sql("SELECT count, last_at FROM server_logon_failures WHERE key = ?").get(key) as
      | { count: number; last_at: number }
      | undefined;
    return Promise.resolve(
      row === undefined ? undefined : { count: Number(row.count), lastAt: Number(row.last_at) },
    );
  }

  recordFailure(key: string, at: number, windowMs: number): Promise<FailureCount> {
    const row = this.#sql(
      `INSERT INTO server_logon_failures (key, count, last_at) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN excluded.last_at - last_at > ? THEN 1 ELSE count + 1 END,
         last_at = excluded.last_at
       RETURNING count, last_at`,
    ).get(key, at, windowMs) as { count: number; last_at: number };
    return Promise.resolve({ count: Number(row.count), lastAt: Number(row.last_at) });
  }

  clearFailures(key: string): Promise<void> {
    this.#sql("DELETE FROM server_logon_failures WHERE key = ?").run(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}
