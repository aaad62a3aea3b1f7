/**
 * @module
 * Two real `tapesync serve` processes on one PostgreSQL database: a token from one works on the other,
 * agents syncing different customers at once through different instances end with the inventory of
 * the sequential embedded runs, two agents syncing the same scope at once lose nothing and write no
 * duplicate audit row, and interleaved writes of one scope through the two instances report conflicts.
 * Skipped with the reason when no PostgreSQL is reachable.
 */
import assert from "node:assert/strict";
import { HttpInventory } from "../../src/inventory/http/mod.ts";
import { openSqliteInventory } from "../../src/inventory/sqlite/mod.ts";
import { pgSkipReason, skipPgGroup } from "../inventory/postgres_fixture.ts";
import { GatedInventory } from "./counting_inventory.ts";
import type { ServerProcess } from "./server_process.ts";
import { cli, comparableStats, dumpStore, syncArgs, syncInProcess, writeExport } from "./sync_fixture.ts";
import { dumpPostgres, PASSWORD, startServerPair } from "./postgres_server_pair.ts";

if (pgSkipReason !== undefined) {
  skipPgGroup("tapesync serve, two instances on one PostgreSQL database");
} else {
  Deno.test("tapesync serve on PostgreSQL, two instances: sessions are shared and concurrent syncs equal sequential runs", async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "tapesync-pg-servers-" });
    const pair = await startServerPair();
    const [one, two] = pair.servers;
    const env = { TAPESYNC_PASSWORD: PASSWORD, TAPESYNC_RETRY_DEADLINE: "30" };
    try {
      await t.step("a token issued by one instance is accepted by the other", async () => {
        const logon = await fetch(`${one.url}/api/v1/logon`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ user: "agent", password: PASSWORD }),
        });
        assert.equal(logon.status, 200);
        const { token } = await logon.json() as { token: string };
        const listing = await fetch(`${two.url}/api/v1/volumes`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.deepEqual([listing.status, await listing.json()], [200, { volumes: [] }]);
      });

      // Customers C000 (scopes 0-9) and C001 (10-11) in one export, C002.. in another: no scope shared.
      await writeExport(`${dir}/a.csv`, 2_400, 12);
      const b = (await Deno.readTextFile(`${dir}/a.csv`)).replace(/,C00([01]),/g, (_, d) => `,C10${d},`)
        .replace(/\nV/g, "\nW");
      await Deno.writeTextFile(`${dir}/b.csv`, b);
      await t.step("agents syncing different customers at once through different instances", async () => {
        const [ra, rb] = await Promise.all([
          cli(syncArgs(dir, "a.csv", "a.json", ["--server", `http://agent@127.0.0.1:${one.port}`]), env),
          cli(syncArgs(dir, "b.csv", "b.json", ["--server", `http://agent@127.0.0.1:${two.port}`]), env),
        ]);
        assert.equal(ra.code, 0, ra.stderr);
        assert.equal(rb.code, 0, rb.stderr);
        assert.equal(comparableStats(await Deno.readTextFile(`${dir}/a.json`)).volumesAdded, 2_400);
        assert.equal(comparableStats(await Deno.readTextFile(`${dir}/b.json`)).volumesAdded, 2_400);
      });
      await t.step("the same export synced by two agents at once, one per instance", async () => {
        await writeExport(`${dir}/c.csv`, 2_400, 12, 1, 3);
        const [rc, rd] = await Promise.all([
          cli(syncArgs(dir, "c.csv", "c.json", ["--server", `http://agent@127.0.0.1:${one.port}`]), env),
          cli(syncArgs(dir, "c.csv", "d.json", ["--server", `http://agent@127.0.0.1:${two.port}`]), env),
        ]);
        const c = comparableStats(await Deno.readTextFile(`${dir}/c.json`));
        const d = comparableStats(await Deno.readTextFile(`${dir}/d.json`));
        // A run that met conflicts (the other agent got there first) reports them and exits 1.
        assert.equal(rc.code, Number(c.conflicts) > 0 ? 1 : 0, rc.stderr);
        assert.equal(rd.code, Number(d.conflicts) > 0 ? 1 : 0, rd.stderr);
        assert.equal(Number(c.volumesAdded) + Number(d.volumesAdded), 0);
        assert.equal(Number(c.volumesUpdated) + Number(d.volumesUpdated), 800, JSON.stringify([c, d]));
      });
      await t.step("the inventory equals the sequential embedded runs, audit rows included", async () => {
        for (const input of ["a.csv", "b.csv", "c.csv"]) {
          const run = await cli(syncArgs(dir, input, "seq.json", ["--db", `${dir}/sequential.db`]));
          assert.equal(run.code, 0, run.stderr);
        }
        assert.deepEqual(await dumpPostgres(pair.schema), await dumpStore(`${dir}/sequential.db`));
      });
    } finally {
      await pair.close();
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test("tapesync serve on PostgreSQL: interleaved syncs of one scope through two instances report conflicts and converge", async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "tapesync-pg-conflict-" });
    const pair = await startServerPair();
    const [one, two] = pair.servers;
    const client = (server: ServerProcess) =>
      new HttpInventory({
        url: server.url,
        user: "agent",
        password: PASSWORD,
        retry: { deadlineMs: 10_000 },
      });
    try {
      await writeExport(`${dir}/base.csv`, 200, 1);
      await writeExport(`${dir}/a.csv`, 200, 1, 1, 2);
      await writeExport(`${dir}/b.csv`, 200, 1, 2, 2);
      await syncInProcess(`${dir}/base.csv`, client(one));
      let openA!: () => void;
      let openB!: () => void;
      const a = new GatedInventory(client(one), new Promise((resolve) => openA = resolve));
      const bGate = new Promise<void>((resolve) => openB = resolve);
      const b = new GatedInventory(client(two), bGate);
      const runA = syncInProcess(`${dir}/a.csv`, a);
      const runB = syncInProcess(`${dir}/b.csv`, b);
      await Promise.all([a.loaded, b.loaded]);
      openA();
      const statsA = await runA;
      openB();
      const statsB = await runB;
      await t.step("the first writer updates, the second gets every volume back as a conflict", () => {
        assert.deepEqual([statsA.volumesUpdated, statsA.conflicts], [100, 0]);
        assert.equal(statsB.volumesUpdated, 0);
        assert.equal(statsB.conflicts, 100);
      });
      await t.step("a re-run of the second converges, then finds nothing to do", async () => {
        const again = await syncInProcess(`${dir}/b.csv`, client(one));
        assert.deepEqual([again.volumesUpdated, again.conflicts], [100, 0]);
        const last = await syncInProcess(`${dir}/b.csv`, client(two));
        assert.deepEqual([last.volumesUpdated, last.conflicts], [0, 0]);
      });
      await t.step("the audit holds each applied change once", async () => {
        for (const input of ["base.csv", "a.csv", "b.csv"]) {
          await syncInProcess(`${dir}/${input}`, openSqliteInventory(`${dir}/sequential.db`));
        }
        assert.deepEqual(await dumpPostgres(pair.schema), await dumpStore(`${dir}/sequential.db`));
      });
    } finally {
      await pair.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
