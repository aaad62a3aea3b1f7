import assert from "node:assert/strict";
import { type RunRecord, StateStore, writeAtomic } from "../../src/agent/mod.ts";
import { withTempDir } from "./_agent_fixtures.ts";

function run(n: number, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    job: "tsm",
    trigger: "schedule",
    scheduledAt: n * 1000,
    startedAt: n * 1000,
    endedAt: n * 1000 + 500,
    durationMs: 500,
    result: "success",
    exitCode: 0,
    attempts: 1,
    stats: { recordsRead: 10, volumesUpdated: 2, volumesAdded: 1 },
    ...fields,
  };
}

Deno.test("StateStore keeps a bounded history and counters that survive a reopen", async () => {
  await withTempDir(async (dir) => {
    const store = await StateStore.open(dir, ["tsm"], 3);
    for (let n = 1; n <= 5; n++) await store.record(run(n));
    await store.record(run(6, { result: "failure", exitCode: 3, error: "Cannot reach the inventory" }));
    await store.recordOverlap("tsm", 7000);
    const reopened = await StateStore.open(dir, ["tsm"], 3);
    const state = reopened.get("tsm");
    assert.deepEqual(state.runs.map((r) => r.scheduledAt), [4000, 5000, 6000]);
    assert.deepEqual(state.counters.runs, { success: 5, failure: 1, timeout: 0, skipped: 1 });
    assert.equal(state.counters.overlapsSkipped, 1);
    assert.deepEqual(
      [
        state.counters.totals.recordsRead,
        state.counters.totals.volumesUpdated,
        state.counters.totals.volumesAdded,
      ],
      [60, 12, 6],
    );
    assert.equal(state.counters.durationSeconds, 3);
    assert.deepEqual([state.lastSuccessAt, state.lastScheduledAt, state.consecutiveFailures], [
      5500,
      7000,
      1,
    ]);
  });
});

Deno.test("StateStore counts failures in a row, ignoring skipped runs, and resets on success", async () => {
  await withTempDir(async (dir) => {
    const store = await StateStore.open(dir, ["tsm"]);
    const steps: [RunRecord["result"], number][] = [["failure", 1], ["timeout", 2], ["skipped", 2], [
      "failure",
      3,
    ], [
      "success",
      0,
    ]];
    let n = 0;
    for (const [result, want] of steps) {
      await store.record(run(++n, { result, exitCode: result === "success" ? 0 : 1 }));
      assert.equal(store.get("tsm").consecutiveFailures, want, `after ${result}`);
    }
  });
});

Deno.test("StateStore writes atomically and leaves no temp files; a corrupt file is set aside", async (t) => {
  await t.step("concurrent records all land, no .tmp left", async () => {
    await withTempDir(async (dir) => {
      const store = await StateStore.open(dir, ["tsm"]);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.record(run(i + 1))));
      const names = [...Deno.readDirSync(`${dir}/jobs`)].map((e) => e.name);
      assert.deepEqual(names, ["tsm.json"]);
      const saved = JSON.parse(await Deno.readTextFile(`${dir}/jobs/tsm.json`));
      assert.equal(saved.runs.length, 20);
      assert.equal(saved.counters.runs.success, 20);
    });
  });
  await t.step("writeAtomic replaces the whole file", async () => {
    await withTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/f.json`, "x".repeat(1000));
      await writeAtomic(`${dir}/f.json`, "{}\n");
      assert.equal(await Deno.readTextFile(`${dir}/f.json`), "{}\n");
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["f.json"]);
    });
  });
  await t.step("corrupt state: moved aside, job starts empty", async () => {
    await withTempDir(async (dir) => {
      await Deno.mkdir(`${dir}/jobs`);
      await Deno.writeTextFile(`${dir}/jobs/tsm.json`, '{"runs": [');
      const store = await StateStore.open(dir, ["tsm"]);
      assert.deepEqual(store.get("tsm").runs, []);
      const names = [...Deno.readDirSync(`${dir}/jobs`)].map((e) => e.name);
      assert.equal(names.length, 1);
      assert.match(names[0], /^tsm\.json\.corrupt-\d+$/);
    });
  });
  await t.step("writable() reports a read-only directory", async () => {
    await withTempDir(async (dir) => {
      const store = await StateStore.open(dir, ["tsm"]);
      assert.equal(await store.writable(), true);
      if (Deno.uid() === 0) return; // root writes anywhere: nothing more to check
      await Deno.chmod(dir, 0o500);
      assert.equal(await store.writable(), false);
      await Deno.chmod(dir, 0o700);
    });
  });
});

Deno.test("StateStore keeps runs recorded by another process (two stores on one directory)", async () => {
  await withTempDir(async (dir) => {
    const agent = await StateStore.open(dir, ["tsm"]);
    const hook = await StateStore.open(dir, ["tsm"]);
    await agent.record(run(1));
    await hook.record(run(2, { trigger: "manual" }));
    await agent.record(run(3));
    const state = (await StateStore.open(dir, ["tsm"])).get("tsm");
    assert.deepEqual(state.runs.map((r) => [r.scheduledAt, r.trigger]), [
      [1000, "schedule"],
      [2000, "manual"],
      [
        3000,
        "schedule",
      ],
    ]);
    assert.equal(state.counters.runs.success, 3);
  });
});
