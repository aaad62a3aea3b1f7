import assert from "node:assert/strict";
import { addUser, startServer } from "./server_process.ts";
import type { ServerProcess } from "./server_process.ts";
import { cli, comparableStats, dumpStore, syncArgs, writeExport } from "./sync_fixture.ts";

const PASSWORD = "Fault-Test-Passw0rd";
const RECORDS = 6_000;

/** Resolve once the server has answered `count` batch requests; fail after 20 s rather than hang. */
async function afterBatches(server: ServerProcess, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((server.log().match(/ PUT \/api\/v1\/batches\/\S+ 200 /g) ?? []).length < count) {
    if (Date.now() > deadline) {
      throw new Error(`the server log shows fewer than ${count} batches: ${server.log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

Deno.test("tapesync serve killed with SIGKILL mid-run and restarted: the run retries through and equals a clean run", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-fault-" });
  const db = `${dir}/server.db`;
  await addUser(db, "agent", "sync", PASSWORD);
  let server = await startServer(db);
  try {
    await writeExport(`${dir}/export.csv`, RECORDS, 12);
    const clean = await cli(syncArgs(dir, "export.csv", "stats.json", ["--db", `${dir}/clean.db`]));
    assert.equal(clean.code, 0, clean.stderr);
    const cleanStats = comparableStats(await Deno.readTextFile(`${dir}/stats.json`));
    const env = { TAPESYNC_PASSWORD: PASSWORD, TAPESYNC_RETRY_DEADLINE: "30" };
    const target = ["--server", `http://agent@127.0.0.1:${server.port}`];
    const port = server.port;
    const run = cli(syncArgs(dir, "export.csv", "stats.json", target), env);
    await afterBatches(server, 10);
    await server.kill9();
    await t.step("the server was killed in the middle of the run", () => {
      const applied = (server.log().match(/ PUT \/api\/v1\/batches\/\S+ 200 /g) ?? []).length;
      assert.ok(applied >= 10 && applied < RECORDS / 50, `${applied} batches before the kill`);
    });
    server = await startServer(db, port);
    const result = await run;
    await t.step("the run finished on the restarted server with the statistics of a clean run", async () => {
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(comparableStats(await Deno.readTextFile(`${dir}/stats.json`)), cleanStats);
    });
    await t.step("a re-run changes nothing", async () => {
      const again = await cli(syncArgs(dir, "export.csv", "stats.json", target), env);
      assert.equal(again.code, 0, again.stderr);
      const stats = comparableStats(await Deno.readTextFile(`${dir}/stats.json`));
      assert.deepEqual([stats.volumesAdded, stats.volumesUpdated, stats.volumesUnchanged], [0, 0, RECORDS]);
    });
    await server.stop();
    await t.step("volumes and audit rows equal the clean run's: no batch applied twice", async () => {
      assert.deepEqual(await dumpStore(db), await dumpStore(`${dir}/clean.db`));
    });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tapesync serve killed for good: the run exits 3 with a clear message and the next run converges", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-fault-" });
  const db = `${dir}/server.db`;
  await addUser(db, "agent", "sync", PASSWORD);
  let server = await startServer(db);
  try {
    await writeExport(`${dir}/export.csv`, RECORDS, 12);
    assert.equal((await cli(syncArgs(dir, "export.csv", "stats.json", ["--db", `${dir}/clean.db`]))).code, 0);
    const env = { TAPESYNC_PASSWORD: PASSWORD, TAPESYNC_RETRY_DEADLINE: "1" };
    const port = server.port;
    const target = ["--server", `http://agent@127.0.0.1:${port}`];
    const run = cli(syncArgs(dir, "export.csv", "stats.json", target), env);
    await afterBatches(server, 10);
    await server.kill9();
    const result = await run;
    await t.step("exit 3, the server named without userinfo, and what to do", () => {
      assert.equal(result.code, 3);
      assert.match(
        result.stderr,
        new RegExp(
          `Error: Cannot reach the inventory at "http://127\\.0\\.0\\.1:${port}" after \\d+ attempt\\(s\\): cannot `,
        ),
      );
      assert.match(result.stderr, /Check that the inventory server is running and reachable, then run again/);
      assert.equal(result.stderr.includes(PASSWORD), false);
    });
    server = await startServer(db, port);
    await t.step("the next run converges", async () => {
      const again = await cli(syncArgs(dir, "export.csv", "stats.json", target), {
        ...env,
        TAPESYNC_RETRY_DEADLINE: "30",
      });
      assert.equal(again.code, 0, again.stderr);
    });
    await server.stop();
    await t.step("volumes and audit rows equal a clean run's", async () => {
      assert.deepEqual(await dumpStore(db), await dumpStore(`${dir}/clean.db`));
    });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
