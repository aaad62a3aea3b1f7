/**
 * @module
 * Fault test of two `tapesync serve` instances on one PostgreSQL database: the agent is given both
 * (`--server URL1,URL2`), the instance it uses is killed with SIGKILL in the middle of the run, and the
 * run goes on through the other to the result of a clean run, with no batch applied twice. Skipped with
 * the reason when no PostgreSQL is reachable.
 */
import assert from "node:assert/strict";
import { pgSkipReason, skipPgGroup } from "../inventory/postgres_fixture.ts";
import { dumpPostgres, PASSWORD, startServerPair } from "./postgres_server_pair.ts";
import type { ServerProcess } from "./server_process.ts";
import { cli, comparableStats, dumpStore, syncArgs, writeExport } from "./sync_fixture.ts";

const RECORDS = 6_000;
const BATCH_LINE = / PUT \/api\/v1\/batches\/\S+ 200 /g;

/** Resolve once the server has answered `count` batch requests; fail after 20 s rather than hang. */
async function afterBatches(server: ServerProcess, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((server.log().match(BATCH_LINE) ?? []).length < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} batches: ${server.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

if (pgSkipReason !== undefined) {
  skipPgGroup("tapesync serve failover between two instances on one PostgreSQL database");
} else {
  Deno.test("tapesync sync --server URL1,URL2: one PostgreSQL instance killed with SIGKILL mid-run, the run finishes on the other as a clean run", async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "tapesync-pg-failover-" });
    const pair = await startServerPair();
    const [one, two] = pair.servers;
    try {
      await writeExport(`${dir}/export.csv`, RECORDS, 12);
      const clean = await cli(syncArgs(dir, "export.csv", "clean.json", ["--db", `${dir}/clean.db`]));
      assert.equal(clean.code, 0, clean.stderr);
      const cleanStats = comparableStats(await Deno.readTextFile(`${dir}/clean.json`));
      const env = { TAPESYNC_PASSWORD: PASSWORD, TAPESYNC_RETRY_DEADLINE: "30" };
      const servers = `http://agent@127.0.0.1:${one.port},http://127.0.0.1:${two.port}`;
      const run = cli(syncArgs(dir, "export.csv", "stats.json", ["--server", servers]), env);
      await afterBatches(one, 10);
      await one.kill9();
      const result = await run;
      await t.step("the first instance was killed in the middle of the run", () => {
        const applied = (one.log().match(BATCH_LINE) ?? []).length;
        assert.ok(applied >= 10 && applied < RECORDS / 50, `${applied} batches before the kill`);
      });
      await t.step("the run went on through the second instance and ended as a clean run", async () => {
        assert.equal(result.code, 0, result.stderr);
        assert.ok((two.log().match(BATCH_LINE) ?? []).length > 0, two.log());
        assert.deepEqual(comparableStats(await Deno.readTextFile(`${dir}/stats.json`)), cleanStats);
      });
      await t.step("volumes and audit rows equal the clean run's: no batch applied twice", async () => {
        assert.deepEqual(await dumpPostgres(pair.schema), await dumpStore(`${dir}/clean.db`));
      });
      await t.step("a re-run with the dead instance first changes nothing", async () => {
        const again = await cli(syncArgs(dir, "export.csv", "again.json", ["--server", servers]), env);
        assert.equal(again.code, 0, again.stderr);
        const stats = comparableStats(await Deno.readTextFile(`${dir}/again.json`));
        assert.deepEqual([stats.volumesAdded, stats.volumesUpdated, stats.volumesUnchanged], [0, 0, RECORDS]);
      });
    } finally {
      await pair.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
