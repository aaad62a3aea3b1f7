/**
 * @module
 * Builds an inventory server app for route tests: an account store in a temporary SQLite file, accounts
 * hashed with few iterations (fast tests), a fake clock and a logger that keeps every entry.
 */
import { createApp, hashPassword, SqliteAccountStore } from "../../src/server/mod.ts";
import type { AppOptions, RequestLogEntry, ServerApp } from "../../src/server/mod.ts";
import type { ServedStore } from "../../src/inventory/mod.ts";
import { openSqliteInventory, type SqliteInventory } from "../../src/inventory/sqlite/mod.ts";
import type { Role } from "../../src/inventory/http/mod.ts";

/** The real embedded store in the fixture's directory, on the fixture's clock. */
export function sqliteStore(dir: string, clock: { now(): number }): SqliteInventory {
  return openSqliteInventory(`${dir}/inventory.db`, { clock });
}

/** PBKDF2 iterations for test accounts. */
export const TEST_ITERATIONS = 1_000;

export interface TestAccount {
  name: string;
  role: Role;
  password: string;
  customers?: string[];
}

export interface ServerFixture {
  app: ServerApp;
  inventory: ServedStore;
  accounts: SqliteAccountStore;
  dir: string;
  clock: { now(): number; advance(ms: number): void };
  logs: RequestLogEntry[];
  errors: string[];
  /** `app.request` from a given peer address. */
  request(path: string, init?: RequestInit, address?: string): Promise<Response>;
  /** Log on and return the token. */
  logon(user: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** Create the fixture; call `close()` in `finally`. */
export async function serverFixture(
  openStore: (dir: string, clock: { now(): number }) => ServedStore = sqliteStore,
  accounts: TestAccount[],
  options: Partial<AppOptions> = {},
): Promise<ServerFixture> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-server-" });
  let now = Date.parse("2026-11-25T07:00:00.000Z");
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const inventory = openStore(dir, clock);
  const store = new SqliteAccountStore(`${dir}/inventory.db`);
  for (const account of accounts) {
    await store.add({
      name: account.name,
      role: account.role,
      customers: account.customers ?? null,
      passwordHash: await hashPassword(account.password, TEST_ITERATIONS),
      createdAt: "2026-11-25T06:00:00.000Z",
    });
  }
  const logs: RequestLogEntry[] = [];
  const errors: string[] = [];
  const app = createApp(inventory, store, {
    logger: {
      request: (entry) => logs.push(entry),
      error: (message, error) =>
        errors.push(`${message}: ${error instanceof Error ? error.message : String(error)}`),
    },
    clock,
    passwordIterations: TEST_ITERATIONS,
    ...options,
  });
  const request = (path: string, init?: RequestInit, address = "10.0.0.1") =>
    Promise.resolve(app.request(path, init, { remoteAddress: address }));
  return {
    app,
    inventory,
    accounts: store,
    dir,
    clock,
    logs,
    errors,
    request,
    async logon(user, password) {
      const res = await request("/api/v1/logon", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user, password }),
      });
      const body = await res.json();
      if (res.status !== 200) {
        throw new Error(`logon of ${user} failed: ${res.status} ${JSON.stringify(body)}`);
      }
      return body.token;
    },
    async close() {
      await store.close();
      await inventory.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Request init for a JSON body with a bearer token. */
export function jsonInit(method: string, token: string | undefined, body: unknown): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return { method, headers, body: typeof body === "string" ? body : JSON.stringify(body) };
}

/** Request init with only a bearer token. */
export function authInit(token: string, method = "GET"): RequestInit {
  return { method, headers: { authorization: `Bearer ${token}` } };
}
