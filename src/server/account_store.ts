/**
 * @module
 * The `AccountStore` interface: accounts, logon sessions and failed-logon counters of the inventory server.
 * The SQLite implementation keeps them in the inventory's database file; a PostgreSQL one will keep them in
 * its database, so several server instances share sessions and throttling.
 */
import type { Role } from "../inventory/http/mod.ts";

/** An account as listed: never carries the password hash. */
export interface Account {
  name: string;
  role: Role;
  /** Customers the account may read or write; `null` means every customer. */
  customers: string[] | null;
  /** ISO 8601 time the account was created. */
  createdAt: string;
}

/** An account with its password hash (see `hashPassword`). */
export interface StoredAccount extends Account {
  passwordHash: string;
}

/** A logon session. Only the SHA-256 of the token is stored, so a copied database grants no session. */
export interface Session {
  tokenHash: string;
  user: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Failed logons counted under one key (`addr:<ip>` or `user:<name>`). */
export interface FailureCount {
  count: number;
  /** Milliseconds since the epoch of the last failure. */
  lastAt: number;
}

/** Where the server keeps accounts, sessions and failed-logon counters. Every method may be remote. */
export interface AccountStore {
  /** Number of accounts (a server with none refuses logons and says how to add one). */
  count(): Promise<number>;
  list(): Promise<Account[]>;
  get(name: string): Promise<StoredAccount | undefined>;
  /** @returns false when an account of that name exists already (nothing changed) */
  add(account: StoredAccount): Promise<boolean>;
  /** Replace the password hash and end the account's sessions. @returns false when there is no such account */
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  /** Remove the account and its sessions. @returns false when there is no such account */
  remove(name: string): Promise<boolean>;
  createSession(session: Session): Promise<void>;
  /**
   * The account of the session with that token hash if the session has not expired at `now`: one
   * lookup (the session joined with its account), since every request makes it.
   */
  sessionAccount(tokenHash: string, now: number): Promise<StoredAccount | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Remove sessions that expired before `now`. */
  purgeSessions(now: number): Promise<void>;
  failures(key: string): Promise<FailureCount | undefined>;
  /** Count one failure at `at`; a count older than `windowMs` starts again from one. */
  recordFailure(key: string, at: number, windowMs: number): Promise<FailureCount>;
  clearFailures(key: string): Promise<void>;
  close(): Promise<void>;
}

/** An account as both SQL stores keep it: one row of `server_accounts`, customers as JSON text. */
export interface AccountRow {
  name: string;
  role: string;
  customers: string | null;
  password_hash: string;
  created_at: string;
}

/** The stored account of a `server_accounts` row. */
export function toAccount(row: AccountRow): StoredAccount {
  return {
    name: row.name,
    role: row.role as Role,
    customers: row.customers === null ? null : JSON.parse(row.customers) as string[],
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}
