/**
 * @module
 * The PostgreSQL account store passes the session steps the SQLite one does, in a schema of its own.
 * Skipped with the reason when no PostgreSQL is reachable (see ../inventory/postgres_fixture.ts).
 */
import { postgres } from "../../src/deps/postgres.ts";
import { PostgresAccountStore } from "../../src/server/mod.ts";
import { createPgSchema, PG_URL, pgSkipReason, skipPgGroup } from "../inventory/postgres_fixture.ts";
import { sessionSteps } from "./account_store_sessions.ts";

if (pgSkipReason !== undefined || PG_URL === undefined) {
  skipPgGroup("PostgresAccountStore");
} else {
  const url = PG_URL;
  Deno.test("PostgresAccountStore ends sessions when the password changes or the account goes", async (t) => {
    const { schema, drop } = await createPgSchema();
    const sql = postgres(url, { max: 2, onnotice: () => {}, connection: { search_path: schema } });
    const store = await PostgresAccountStore.open(sql);
    try {
      await sessionSteps(store, t);
    } finally {
      await store.close();
      await drop();
    }
  });
}
