import assert from "node:assert/strict";
import { CronSchedule } from "../../src/agent/mod.ts";

const cases = [
  {
    name: "five fields: every 15 minutes",
    pattern: "*/15 * * * *",
    from: "2026-01-01T00:07:00Z",
    want: ["2026-01-01T00:15:00.000Z", "2026-01-01T00:30:00.000Z", "2026-01-01T00:45:00.000Z"],
  },
  {
    name: "six fields: seconds, across a minute boundary",
    pattern: "*/20 * * * * *",
    from: "2026-01-01T00:00:59Z",
    want: ["2026-01-01T00:01:00.000Z", "2026-01-01T00:01:20.000Z", "2026-01-01T00:01:40.000Z"],
  },
  {
    name: "Europe/Berlin spring forward: 02:30 does not exist on 2026-03-29 and runs at 03:00 CEST once",
    pattern: "30 2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-03-28T12:00:00Z",
    want: ["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"],
  },
  {
    name: "Europe/Berlin fall back: 02:30 happens twice on 2026-10-25 and runs once",
    pattern: "30 2 * * *",
    timezone: "Europe/Berlin",
    from: "2026-10-24T12:00:00Z",
    want: ["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z", "2026-10-27T01:30:00.000Z"],
  },
  {
    name: "Europe/Berlin hourly across the fall-back hour: one run per real hour",
    pattern: "0 * * * *",
    timezone: "Europe/Berlin",
    from: "2026-10-24T23:30:00Z",
    want: [
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T02:00:00.000Z",
      "2026-10-25T03:00:00.000Z",
    ],
  },
  {
    name: "America/New_York weekdays at 09:00 across the end of DST (2026-11-01)",
    pattern: "0 9 * * 1-5",
    timezone: "America/New_York",
    from: "2026-10-30T12:00:00Z",
    want: ["2026-10-30T13:00:00.000Z", "2026-11-02T14:00:00.000Z", "2026-11-03T14:00:00.000Z"],
  },
  {
    name: "first of the month at local midnight, winter and summer offsets",
    pattern: "0 0 1 * *",
    timezone: "Europe/Berlin",
    from: "2026-02-15T00:00:00Z",
    want: ["2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"],
  },
];

Deno.test("CronSchedule.nextRuns() follows croner across DST changes in named time zones", async (t) => {
  for (const c of cases) {
    await t.step(c.name, () => {
      const schedule = new CronSchedule(c.pattern, c.timezone);
      const got = schedule.nextRuns(c.want.length, Date.parse(c.from)).map((ms) =>
        new Date(ms).toISOString()
      );
      assert.deepEqual(got, c.want);
    });
  }
});

Deno.test("CronSchedule.next() is strictly after the given instant", () => {
  const schedule = new CronSchedule("*/20 * * * * *");
  assert.equal(schedule.next(Date.parse("2026-01-01T00:00:20.000Z")), Date.parse("2026-01-01T00:00:40.000Z"));
  assert.equal(schedule.next(Date.parse("2026-01-01T00:00:19.999Z")), Date.parse("2026-01-01T00:00:20.000Z"));
});
