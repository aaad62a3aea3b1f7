/**
 * @module
 * What every route of the server needs, built once by `createApp` and passed to each route module:
 * the inventory, the account store, the clock, the logger and the limits.
 */
import type { ServedStore } from "../inventory/mod.ts";
import type { AccountStore } from "./account_store.ts";
import type { LogonThrottle } from "./logon_throttle.ts";

/** Time source; tests pass a fake one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** One handled request, as logged. Never holds headers, bodies, tokens or passwords. */
export interface RequestLogEntry {
  method: string;
  /** The URL path without its query string. */
  path: string;
  status: number;
  durationMs: number;
  /** Peer address as given by the serve command, or `unknown`. */
  address: string;
  /** The account of the session, when the request had a valid one. */
  user?: string;
}

/** Where the server writes its log; the serve command prints it, tests collect it. */
export interface ServerLogger {
  request(entry: RequestLogEntry): void;
  /** An unexpected failure: the detail stays in the server log, the client gets a generic answer. */
  error(message: string, error: unknown): void;
}

/** The shared state of one app. */
export interface ServerContext {
  /** The store; the scope route streams its stored text. */
  inventory: ServedStore;
  accounts: AccountStore;
  clock: Clock;
  logger: ServerLogger;
  throttle: LogonThrottle;
  maxBodyBytes: number;
  sessionTtlMs: number;
  /** PBKDF2 iterations of the stand-in hash checked for unknown users, so timing does not tell them apart. */
  passwordIterations: number;
}
