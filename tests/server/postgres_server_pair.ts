/**
 * @module
 * Two `tapesync serve` processes on one fresh PostgreSQL schema with a sync account "agent", a dump of
 * that schema in the format of `dumpStore` (to compare with an embedded run), and the sync arguments the
 * PostgreSQL server tests share.
 */
import { openPostgresInventory } from "../../src/inventory/postgres/mod.ts";
import { createPgSchema, PG_URL, pgUrlWithSchema } from "../inventory/postgres_fixture.ts";
import { addUser, startServer } from "./server_process.ts";
import type { ServerProcess } from "./server_process.ts";
import { dumpInventory } from "./sync_fixture.ts";
import type { StoreDump } from "./sync_fixture.ts";

/** Password of the "agent" account. */
export const PASSWORD = "Pg-Servers-Passw0rd";

/** Two servers on a fresh schema with one sync account; `close` stops them and drops the schema. */
export interface ServerPair {
  servers: ServerProcess[];
  url: string;
  schema: string;
  close(): Promise<void>;
}

/** Start two `tapesync serve --db postgres://...?search_path=SCHEMA --migrate` at once and add "agent". */
export async function startServerPair(): Promise<ServerPair> {
  const { schema, drop } = await createPgSchema();
  const url = pgUrlWithSchema(schema);
  const servers: ServerProcess[] = [];
  try {
    servers.push(...await Promise.all([0, 1].map(() => startServer(url, 0, {}, ["--migrate"]))));
    // Through the CLI, as an operator would: "tapesync users add agent --db postgres://...".
    await addUser(url, "agent", "sync", PASSWORD);
  } catch (error) {
    for (const server of servers) await server.stop();
    await drop();
    throw error;
  }
  return {
    servers,
    url,
    schema,
    close: async () => {
      for (const server of servers) await server.stop();
      await drop();
    },
  };
}

/** Every volume and audit row of the PostgreSQL schema, in the format of `dumpStore`. */
export async function dumpPostgres(schema: string): Promise<StoreDump> {
  return dumpInventory(
    await openPostgresInventory(PG_URL ?? "", { schema, readOnly: true, maxConnections: 1 }),
  );
}
