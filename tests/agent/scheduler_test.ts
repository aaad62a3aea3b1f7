import assert from "node:assert/strict";
import {
  type AgentJob,
  type JobContext,
  type JobOutcome,
  LockBusyError,
  Scheduler,
  StateStore,
} from "../../src/agent/mod.ts";
import { FakeClock, until } from "./_fake_clock.ts";
import { makeJob, memoryLogger, withTempDir } from "./_agent_fixtures.ts";

const T0 = Date.parse("2026-01-01T00:00:05Z");
const iso = (ms: number) => new Date(ms).toISOString();

interface Harness {
  clock: FakeClock;
  state: StateStore;
  scheduler: Scheduler;
  calls: { job: string; at: number; context: JobContext }[];
  log: ReturnType<typeof memoryLogger>;
}

type Runner = (job: AgentJob, context: JobContext, clock: FakeClock) => Promise<JobOutcome>;

async function harness(
  dir: string,
  jobs: AgentJob[],
  runner: Runner = () => Promise.resolve({ exitCode: 0, stats: { recordsRead: 1 } }),
  options: { start?: number; random?: () => number; prepare?: (state: StateStore) => Promise<void> } = {},
): Promise<Harness> {
  const clock = new FakeClock(options.start ?? T0);
  const state = await StateStore.open(dir, jobs.map((j) => j.name), 100);
  await options.prepare?.(state);
  const calls: Harness["calls"] = [];
  const log = memoryLogger();
  let inRunner = 0;
  const scheduler = new Scheduler({
    jobs,
    state,
    clock,
    log,
    random: options.random ?? (() => 0),
    runner: (job, context) => {
      calls.push({ job: job.name, at: clock.now(), context });
      inRunner++;
      return runner(job, context, clock).finally(() => inRunner--);
    },
  });
  // Runs doing real I/O (lock, state file) must finish before fake time moves on; runs inside the test's
  // runner wait on the test itself.
  clock.busy = () => {
    const jobs = scheduler.jobs();
    const outside = jobs.filter((j) => j.running).length - inRunner;
    const loops = jobs.filter((j) => j.nextRunAt !== undefined).length;
    return outside > 0 && clock.sleeping < loops + outside; // a run outside the runner and not in a backoff sleep
  };
  return { clock, state, scheduler, calls, log };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

Deno.test("Scheduler runs each slot of a seconds schedule once, at its time", async () => {
  await withTempDir(async (dir) => {
    const h = await harness(dir, [makeJob({ name: "every10", schedule: "*/10 * * * * *" })]);
    h.scheduler.start();
    await h.clock.advance(60_000);
    await until(() => h.state.get("every10").runs.length === 6, "six runs recorded");
    assert.deepEqual(h.calls.map((c) => iso(c.at)), [
      "2026-01-01T00:00:10.000Z",
      "2026-01-01T00:00:20.000Z",
      "2026-01-01T00:00:30.000Z",
      "2026-01-01T00:00:40.000Z",
      "2026-01-01T00:00:50.000Z",
      "2026-01-01T00:01:00.000Z",
    ]);
    const state = h.state.get("every10");
    assert.deepEqual(
      state.runs.map((r) => [r.trigger, r.result, r.exitCode]),
      Array(6).fill(["schedule", "success", 0]),
    );
    assert.equal(state.counters.totals.recordsRead, 6);
    assert.equal(state.lastScheduledAt, Date.parse("2026-01-01T00:01:00Z"));
    await h.scheduler.stop(1000);
  });
});

Deno.test("Scheduler never sleeps longer than 60 s at a time", async () => {
  await withTempDir(async (dir) => {
    const h = await harness(dir, [makeJob({ name: "daily", schedule: "0 3 * * *" })]);
    const asked: number[] = [];
    const sleep = h.clock.sleep.bind(h.clock);
    h.clock.sleep = (ms, signal) => {
      asked.push(ms);
      return sleep(ms, signal);
    };
    h.scheduler.start();
    await h.clock.advance(10 * 60_000);
    assert.equal(asked.length, 11);
    assert.ok(asked.every((ms) => ms <= 60_000), `sleeps: ${asked.join(",")}`);
    assert.equal(h.scheduler.jobs()[0].nextRunAt, Date.parse("2026-01-01T03:00:00Z"));
    await h.scheduler.stop(1000);
  });
});

Deno.test("Scheduler skips and counts slots while the previous run is still going", async () => {
  await withTempDir(async (dir) => {
    const gate = deferred<JobOutcome>();
    let first = true;
    const h = await harness(dir, [makeJob({ name: "slow", schedule: "*/10 * * * * *" })], () => {
      if (!first) return Promise.resolve({ exitCode: 0 });
      first = false;
      return gate.promise;
    });
    h.scheduler.start();
    await h.clock.advance(30_000); // to :35: slot :10 starts and hangs; :20 and :30 come due during it
    assert.equal(h.calls.length, 1);
    assert.equal(h.scheduler.jobs()[0].running, true);
    await until(() => h.state.get("slow").counters.overlapsSkipped === 2, "two overlaps counted");
    gate.resolve({ exitCode: 0 });
    await until(() => h.state.get("slow").runs.length === 1, "first run recorded");
    await h.clock.advance(10_000); // to :45: slot :40 runs normally
    await until(() => h.state.get("slow").runs.length === 2, "second run recorded");
    assert.deepEqual(h.calls.map((c) => iso(c.at)), ["2026-01-01T00:00:10.000Z", "2026-01-01T00:00:40.000Z"]);
    assert.deepEqual(h.state.get("slow").counters.runs, { success: 2, failure: 0, timeout: 0, skipped: 2 });
    await h.scheduler.stop(1000);
  });
});

Deno.test("Scheduler runs at most one catch-up run at start, only when catchUp is set", async (t) => {
  const cases = [
    {
      name: "catchUp after a day down: one run for the first missed slot",
      catchUp: true,
      last: "2025-12-31T00:00:00Z",
      want: ["catch-up@2025-12-31T01:00:00.000Z"],
    },
    { name: "catchUp off: nothing at start", catchUp: false, last: "2025-12-31T00:00:00Z", want: [] },
    {
      name: "catchUp with nothing missed: nothing at start",
      catchUp: true,
      last: "2026-01-01T00:00:00Z",
      want: [],
    },
    {
      name: "catchUp on a first start (no history): nothing at start",
      catchUp: true,
      last: undefined,
      want: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTempDir(async (dir) => {
        const job = makeJob({ name: "hourly", schedule: "0 * * * *", catchUp: c.catchUp });
        const h = await harness(dir, [job], undefined, {
          prepare: async (state) => {
            if (c.last === undefined) return;
            const at = Date.parse(c.last);
            await state.record({
              job: "hourly",
              trigger: "schedule",
              scheduledAt: at,
              startedAt: at,
              endedAt: at,
              durationMs: 0,
              result: "success",
              exitCode: 0,
              attempts: 1,
            });
          },
        });
        h.scheduler.start();
        await h.clock.advance(10 * 60_000); // up to 00:10:05, before the next hourly slot
        const runs = h.state.get("hourly").runs.filter((r) => r.trigger !== "schedule" || r.startedAt >= T0);
        assert.deepEqual(
          runs.filter((r) => r.startedAt >= T0).map((r) => `${r.trigger}@${iso(r.scheduledAt)}`),
          c.want,
        );
        assert.equal(h.calls.length, c.want.length);
        await h.scheduler.stop(1000);
      });
    });
  }
});

Deno.test("Scheduler delays each run by a jitter within [0, jitter)", async (t) => {
  const cases = [
    { name: "random 0: at the slot", random: 0, wantAt: "2026-01-01T00:01:00.000Z" },
    { name: "random 0.5: half the jitter later", random: 0.5, wantAt: "2026-01-01T00:01:15.000Z" },
    {
      name: "random just below 1: still inside the bound",
      random: 0.99999,
      wantAt: "2026-01-01T00:01:29.999Z",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTempDir(async (dir) => {
        const job = makeJob({ name: "j", schedule: "* * * * *", jitter: 30_000 });
        const h = await harness(dir, [job], undefined, { random: () => c.random });
        h.scheduler.start();
        await h.clock.advance(Date.parse(c.wantAt) - T0 - 1);
        assert.equal(h.calls.length, 0, "not before slot + jitter");
        await h.clock.advance(1);
        assert.deepEqual(h.calls.map((call) => iso(call.at)), [c.wantAt]);
        await until(() => h.state.get("j").runs.length === 1, "run recorded");
        assert.equal(h.state.get("j").runs[0].scheduledAt, Date.parse("2026-01-01T00:01:00Z"));
        await h.scheduler.stop(1000);
      });
    });
  }
});

Deno.test("Scheduler neither skips nor doubles a run when the wall clock jumps", async (t) => {
  await t.step(
    "forward 3 hours (resume after suspend): one run at once, then the regular slots",
    async () => {
      await withTempDir(async (dir) => {
        const h = await harness(dir, [makeJob({ name: "m", schedule: "0 * * * * *" })]);
        h.scheduler.start();
        await h.clock.advance(1000); // 00:00:06, waiting for 00:01:00
        h.clock.jumpWallClock(3 * 3_600_000); // now 03:00:06; the pending sleep ends at most 60 s later
        await h.clock.advance(54_000); // 03:01:00: wakes, sees the 00:01:00 slot passed, runs it once
        await h.clock.advance(60_000); // 03:02:00: the regular slot, no burst of the 180 missed ones
        await until(() => h.state.get("m").runs.length === 2, "two runs recorded");
        assert.deepEqual(h.calls.map((c) => iso(c.at)), [
          "2026-01-01T03:01:00.000Z",
          "2026-01-01T03:02:00.000Z",
        ]);
        assert.deepEqual(h.state.get("m").runs.map((r) => iso(r.scheduledAt)), [
          "2026-01-01T00:01:00.000Z",
          "2026-01-01T03:02:00.000Z",
        ]);
        await h.scheduler.stop(1000);
      });
    },
  );
  await t.step("backward 1 hour after a run: the slot that ran is not run again", async () => {
    await withTempDir(async (dir) => {
      const h = await harness(dir, [makeJob({ name: "m", schedule: "0 * * * * *" })]);
      h.scheduler.start();
      await h.clock.advance(60_000); // 00:01:05, ran 00:01:00
      h.clock.jumpWallClock(-3_600_000); // now 23:01:05 the day before
      await h.clock.advance(3_600_000); // back to 00:01:05 wall time
      await until(() => h.state.get("m").runs.length === 1, "one run recorded");
      assert.deepEqual(h.calls.map((c) => iso(c.at)), ["2026-01-01T00:01:00.000Z"]);
      assert.equal(h.scheduler.jobs()[0].nextRunAt, Date.parse("2026-01-01T00:02:00Z"));
      await h.scheduler.stop(1000);
    });
  });
});

Deno.test("Scheduler keeps scheduling after a job fails or its runner throws", async () => {
  await withTempDir(async (dir) => {
    let n = 0;
    const h = await harness(dir, [makeJob({ name: "f", schedule: "*/10 * * * * *" })], () => {
      n++;
      if (n === 1) return Promise.reject(new Error("disk on fire"));
      if (n === 2) return Promise.resolve({ exitCode: 3, error: "Cannot reach the inventory" });
      return Promise.resolve({ exitCode: 0 });
    });
    h.scheduler.start();
    await h.clock.advance(30_000);
    await until(() => h.state.get("f").runs.length === 3, "three runs");
    const state = h.state.get("f");
    assert.deepEqual(state.runs.map((r) => [r.result, r.exitCode, r.error]), [
      ["failure", 70, "disk on fire"],
      ["failure", 3, "Cannot reach the inventory"],
      ["success", 0, undefined],
    ]);
    assert.equal(state.consecutiveFailures, 0);
    await h.scheduler.stop(1000);
  });
});

Deno.test("Scheduler retries retryable exit codes with exponential backoff", async (t) => {
  const cases = [
    {
      name: "exit 3 twice then ok: three attempts, success",
      codes: [3, 3, 0],
      count: 2,
      want: { result: "success", attempts: 3, at: [10, 20, 40] },
    },
    {
      name: "retries used up: failure after count + 1 attempts",
      codes: [3, 3, 3, 3],
      count: 1,
      want: { result: "failure", attempts: 2, at: [10, 20] },
    },
    {
      name: "exit 2 is not retried",
      codes: [2, 0],
      count: 3,
      want: { result: "failure", attempts: 1, at: [10] },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTempDir(async (dir) => {
        let n = 0;
        const job = makeJob({
          name: "r",
          schedule: "10 0 * * * *",
          retry: { count: c.count, backoff: 10_000, onExitCodes: [3] },
        });
        const h = await harness(dir, [job], () => Promise.resolve({ exitCode: c.codes[n++] }));
        h.scheduler.start();
        await h.clock.advance(60_000);
        await until(() => h.state.get("r").runs.length === 1, "run recorded");
        const run = h.state.get("r").runs[0];
        assert.deepEqual({
          result: run.result,
          attempts: run.attempts,
          at: h.calls.map((x) => (x.at - T0 + 5000) / 1000),
        }, c.want);
        assert.deepEqual(h.calls.map((x) => x.context.attempt), c.want.at.map((_, i) => i + 1));
        await h.scheduler.stop(1000);
      });
    });
  }
});

Deno.test("Scheduler aborts a run at its timeout and records it as timeout", async () => {
  await withTempDir(async (dir) => {
    const job = makeJob({ name: "t", schedule: "10 0 * * * *", timeout: 5_000 });
    const h = await harness(
      dir,
      [job],
      (_job, context) =>
        new Promise((resolve) =>
          context.signal.addEventListener("abort", () => resolve({ exitCode: 1, error: "stopped" }), {
            once: true,
          })
        ),
    );
    h.scheduler.start();
    await h.clock.advance(20_000);
    await until(() => h.state.get("t").runs.length === 1, "run recorded");
    const run = h.state.get("t").runs[0];
    assert.deepEqual([run.result, run.exitCode, run.durationMs], ["timeout", 70, 5_000]);
    assert.equal(run.error, 'Cannot finish job "t": it ran longer than its timeout of 5 s');
    assert.equal(h.calls[0].context.signal.aborted, true);
    await h.scheduler.stop(1000);
  });
});

Deno.test("Scheduler.stop() lets a running job finish within the grace period, else cancels it", async (t) => {
  const cases = [
    {
      name: "job ends within the grace period",
      endsAfter: 2_000,
      want: { finishedInGrace: true, aborted: false, exitCode: 0 },
    },
    {
      name: "job outlives the grace period: its signal aborts",
      endsAfter: undefined,
      want: { finishedInGrace: false, aborted: true, exitCode: 1 },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTempDir(async (dir) => {
        const h = await harness(
          dir,
          [makeJob({ name: "g", schedule: "10 0 * * * *" })],
          async (_job, context, clock) => {
            if (c.endsAfter !== undefined) {
              await clock.sleep(c.endsAfter);
              return { exitCode: 0 };
            }
            await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
            return { exitCode: 1, error: "interrupted" };
          },
        );
        h.scheduler.start();
        await h.clock.advance(5_000);
        assert.equal(h.calls.length, 1);
        const stopping = h.scheduler.stop(5_000);
        await h.clock.advance(6_000);
        assert.deepEqual(await stopping, { finishedInGrace: c.want.finishedInGrace });
        const run = h.state.get("g").runs[0];
        assert.deepEqual([h.calls[0].context.signal.aborted, run.exitCode], [
          c.want.aborted,
          c.want.exitCode,
        ]);
        await h.clock.advance(120_000);
        assert.equal(h.calls.length, 1, "no run after stop");
        await assert.rejects(Deno.stat(`${dir}/locks/g.lock`), Deno.errors.NotFound);
      });
    });
  }
});

Deno.test("Scheduler records a skipped run when a hook run holds the job's lock", async () => {
  await withTempDir(async (dir) => {
    const clock = new FakeClock(T0);
    const state = await StateStore.open(dir, ["h"]);
    const calls: number[] = [];
    const scheduler = new Scheduler({
      jobs: [makeJob({ name: "h", schedule: "10 0 * * * *" })],
      state,
      clock,
      log: memoryLogger(),
      runner: () => {
        calls.push(clock.now());
        return Promise.resolve({ exitCode: 0 });
      },
      lock: (job) => Promise.reject(new LockBusyError(job, 4242, Date.parse("2026-01-01T00:00:00Z"))),
    });
    scheduler.start();
    await clock.advance(10_000);
    await until(() => state.get("h").runs.length === 1, "skip recorded");
    const run = state.get("h").runs[0];
    assert.deepEqual([run.result, run.exitCode, run.attempts, calls.length], ["skipped", null, 0, 0]);
    assert.equal(
      run.error,
      'Cannot start job "h": another run (pid 4242, since 2026-01-01T00:00:00.000Z) holds its lock; this run was skipped',
    );
    await scheduler.stop(1000);
  });
});

Deno.test("Scheduler.stop() returns even when a runner ignores its cancel signal", async () => {
  await withTempDir(async (dir) => {
    const never = deferred<JobOutcome>();
    const h = await harness(dir, [makeJob({ name: "stuck", schedule: "10 0 * * * *" })], () => never.promise);
    h.scheduler.start();
    await h.clock.advance(5_000);
    assert.equal(h.calls.length, 1);
    const stopping = h.scheduler.stop(1_000);
    await h.clock.advance(1_000); // grace over: cancel
    await h.clock.advance(10_000); // abortWaitMs over: give up
    assert.deepEqual(await stopping, { finishedInGrace: false });
    assert.equal(h.calls[0].context.signal.aborted, true);
    assert.ok(h.log.lines.some((line) => line.includes("a job did not stop after cancelling")));
    never.resolve({ exitCode: 1 });
    await until(() => h.state.get("stuck").runs.length === 1, "late run recorded");
  });
});
