import assert from "node:assert/strict";
import {
  acquireJobLock,
  isHolderAlive,
  LockBusyError,
  processStartTime,
  withJobLock,
} from "../../src/agent/mod.ts";
import { withTempDir } from "./_agent_fixtures.ts";

async function exitedPid(): Promise<number> {
  const child = new Deno.Command("true", { stdout: "null", stderr: "null" }).spawn();
  await child.status;
  return child.pid;
}

Deno.test("acquireJobLock() refuses a second run while the first holds the lock, and frees it on release", async () => {
  await withTempDir(async (dir) => {
    const first = await acquireJobLock(dir, "tsm");
    const error = await acquireJobLock(dir, "tsm").catch((e) => e);
    assert.ok(error instanceof LockBusyError);
    assert.deepEqual([error.job, error.holderPid, error.waitedSeconds], ["tsm", Deno.pid, 0]);
    assert.match(
      error.message,
      /^Cannot start job "tsm": another run \(pid \d+, since .+Z\) holds its lock; this run was skipped$/,
    );
    const other = await acquireJobLock(dir, "other");
    await first.release();
    await first.release();
    const again = await acquireJobLock(dir, "tsm");
    assert.equal(again.holder.pid, Deno.pid);
    await again.release();
    await other.release();
    assert.deepEqual([...Deno.readDirSync(`${dir}/locks`)].map((e) => e.name), []);
  });
});

Deno.test("acquireJobLock() recovers the lock of a dead holder", async (t) => {
  const cases = [
    {
      name: "holder process has exited",
      holder: async () => ({ pid: await exitedPid(), processStart: "123" }),
    },
    {
      name: "pid reused by another process (start time differs)",
      holder: () => Promise.resolve({ pid: Deno.pid, processStart: "1" }),
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTempDir(async (dir) => {
        const stale = { ...(await c.holder()), hostname: Deno.hostname(), acquiredAt: 1 };
        await Deno.mkdir(`${dir}/locks`);
        await Deno.writeTextFile(`${dir}/locks/tsm.lock`, JSON.stringify(stale));
        assert.equal(await isHolderAlive(stale), false);
        const lock = await acquireJobLock(dir, "tsm");
        const saved = JSON.parse(await Deno.readTextFile(`${dir}/locks/tsm.lock`));
        assert.deepEqual([saved.pid, saved.processStart], [Deno.pid, processStartTime(Deno.pid)]);
        await lock.release();
        assert.deepEqual([...Deno.readDirSync(`${dir}/locks`)].map((e) => e.name), []);
      });
    });
  }
});

Deno.test("acquireJobLock() treats a live holder on this host as alive, and one on another host too", async () => {
  const live = {
    pid: Deno.pid,
    processStart: processStartTime(Deno.pid) ?? "",
    hostname: Deno.hostname(),
    acquiredAt: 1,
  };
  assert.equal(await isHolderAlive(live), true);
  assert.equal(await isHolderAlive({ ...live, pid: await exitedPid(), hostname: "elsewhere.example" }), true);
});

Deno.test("acquireJobLock() with waitSeconds waits for the holder to finish", async (t) => {
  await t.step("holder releases during the wait: acquired", async () => {
    await withTempDir(async (dir) => {
      const first = await acquireJobLock(dir, "tsm");
      const waiting = acquireJobLock(dir, "tsm", { waitSeconds: 5 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.release();
      const second = await waiting;
      assert.equal(second.holder.pid, Deno.pid);
      await second.release();
    });
  });
  await t.step("holder keeps it: LockBusyError after the wait", async () => {
    await withTempDir(async (dir) => {
      const first = await acquireJobLock(dir, "tsm");
      const started = Date.now();
      const error = await acquireJobLock(dir, "tsm", { waitSeconds: 1 }).catch((e) => e);
      assert.ok(error instanceof LockBusyError);
      assert.equal(error.waitedSeconds, 1);
      assert.ok(Date.now() - started >= 1000);
      assert.match(error.message, /after waiting 1 s/);
      await first.release();
    });
  });
});

Deno.test("acquireJobLock() lets exactly one of many concurrent contenders in", async () => {
  await withTempDir(async (dir) => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acquireJobLock(dir, "race")));
    const won = results.filter((r) => r.status === "fulfilled");
    assert.equal(won.length, 1);
    assert.ok(results.every((r) => r.status === "fulfilled" || r.reason instanceof LockBusyError));
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });
});

Deno.test("withJobLock() runs the body under the lock, releases it after a throw, and skips the body when busy", async (t) => {
  await withTempDir(async (dir) => {
    await t.step("body runs holding the lock; released after", async () => {
      const held = await withJobLock(dir, "tsm", {}, async () => {
        const info = await Deno.stat(`${dir}/locks/tsm.lock`);
        return info.isFile;
      });
      assert.equal(held, true);
      await assert.rejects(Deno.stat(`${dir}/locks/tsm.lock`), Deno.errors.NotFound);
    });
    await t.step("body throws: the error passes through and the lock is released", async () => {
      await assert.rejects(
        withJobLock(dir, "tsm", {}, () => Promise.reject(new RangeError("boom"))),
        RangeError,
      );
      await assert.rejects(Deno.stat(`${dir}/locks/tsm.lock`), Deno.errors.NotFound);
    });
    await t.step("lock busy: LockBusyError and the body never runs", async () => {
      const holder = await acquireJobLock(dir, "tsm");
      let ran = false;
      const error = await withJobLock(dir, "tsm", {}, () => {
        ran = true;
        return Promise.resolve();
      }).catch((e) => e);
      assert.ok(error instanceof LockBusyError);
      assert.equal(ran, false);
      await holder.release();
    });
  });
});
