import assert from "node:assert/strict";
import {
  type AgentStatus,
  createHealthApp,
  METRICS_CONTENT_TYPE,
  type Readiness,
  renderMetrics,
} from "../../src/agent/mod.ts";

const TOKEN = "s3cret-token-0123456789";

const status: AgentStatus = {
  version: "0.1.0",
  startedAt: "2026-01-01T00:00:00.000Z",
  uptimeSeconds: 90,
  jobs: [{
    name: "tsm",
    schedule: "*/15 * * * *",
    timezone: "Europe/Berlin",
    nextRunAt: "2026-01-01T00:15:00.000Z",
    running: false,
    lastRun: {
      job: "tsm",
      trigger: "schedule",
      scheduledAt: Date.parse("2026-01-01T00:00:00Z"),
      startedAt: Date.parse("2026-01-01T00:00:00Z"),
      endedAt: Date.parse("2026-01-01T00:00:02Z"),
      durationMs: 2000,
      result: "success",
      exitCode: 0,
      attempts: 1,
      stats: { recordsRead: 120, volumesUpdated: 3 },
    },
    lastSuccessAt: "2026-01-01T00:00:02.000Z",
    consecutiveFailures: 0,
    counters: {
      runs: { success: 4, failure: 1, timeout: 0, skipped: 2 },
      overlapsSkipped: 2,
      totals: {
        recordsRead: 480,
        volumesUpdated: 7,
        volumesAdded: 1,
        volumesUnchanged: 470,
        volumesNotFound: 2,
        errors: 1,
        conflicts: 0,
      },
      durationSeconds: 9.5,
    },
  }, {
    name: 'nbu<"x">',
    schedule: "0 3 * * *",
    running: true,
    runningSince: "2026-01-01T00:01:00.000Z",
    consecutiveFailures: 3,
    counters: {
      runs: { success: 0, failure: 3, timeout: 0, skipped: 0 },
      overlapsSkipped: 0,
      totals: {},
      durationSeconds: 0,
    },
  }],
};

function app(options: { token?: string; ready?: Readiness } = {}) {
  const ready = options.ready ?? { ready: true, configLoaded: true, stateWritable: true, failingJobs: [] };
  return createHealthApp({ status: () => status, ready: () => Promise.resolve(ready), token: options.token });
}

Deno.test("createHealthApp() serves health, readiness, status, metrics and the page without a token", async (t) => {
  const cases = [
    { path: "/healthz", status: 200, type: "application/json", has: '"status":"ok"' },
    { path: "/readyz", status: 200, type: "application/json", has: '"ready":true' },
    { path: "/status", status: 200, type: "application/json", has: '"nextRunAt":"2026-01-01T00:15:00.000Z"' },
    {
      path: "/metrics",
      status: 200,
      type: METRICS_CONTENT_TYPE,
      has: 'tapesync_job_runs_total{job="tsm",result="success"} 4',
    },
    { path: "/", status: 200, type: "text/html; charset=UTF-8", has: "<td>nbu&#60;&#34;x&#34;&#62;</td>" },
    { path: "/nothing", status: 404, type: "application/json", has: "Cannot find" },
  ];
  for (const c of cases) {
    await t.step(`GET ${c.path}`, async () => {
      const res = await app().request(c.path);
      const body = await res.text();
      assert.equal(res.status, c.status);
      assert.equal(res.headers.get("content-type"), c.type);
      assert.ok(body.includes(c.has), body);
    });
  }
  await t.step("GET /status returns the status as given", async () => {
    assert.deepEqual(await (await app().request("/status")).json(), JSON.parse(JSON.stringify(status)));
  });
});

Deno.test("createHealthApp() answers 503 on /readyz when not ready", async () => {
  const ready = { ready: false, configLoaded: true, stateWritable: true, failingJobs: ["nbu"] };
  const res = await app({ ready }).request("/readyz");
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), ready);
});

Deno.test("createHealthApp() with a token protects everything but /healthz", async (t) => {
  const cases = [
    { name: "/healthz needs no token", path: "/healthz", auth: undefined, status: 200 },
    { name: "/status without token", path: "/status", auth: undefined, status: 401 },
    { name: "/metrics with a wrong token", path: "/metrics", auth: "Bearer wrong", status: 401 },
    {
      name: "/ with a token one character short",
      path: "/",
      auth: `Bearer ${TOKEN.slice(0, -1)}`,
      status: 401,
    },
    { name: "/readyz with Basic instead of Bearer", path: "/readyz", auth: `Basic ${TOKEN}`, status: 401 },
    { name: "/status with the token", path: "/status", auth: `Bearer ${TOKEN}`, status: 200 },
    { name: "/metrics with the token", path: "/metrics", auth: `bearer ${TOKEN}`, status: 200 },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const res = await app({ token: TOKEN }).request(c.path, {
        headers: c.auth ? { authorization: c.auth } : {},
      });
      const body = await res.text();
      assert.equal(res.status, c.status);
      assert.ok(!body.includes(TOKEN), "the token never appears in a body");
      if (c.status === 401) {
        assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="tapesync-agent"');
      }
    });
  }
});

Deno.test("renderMetrics() writes exact samples for runs, timestamps, counters and the duration summary", () => {
  const text = renderMetrics(status);
  const samples = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
  const want = [
    'tapesync_agent_info{version="0.1.0"} 1',
    "tapesync_agent_uptime_seconds 90",
    'tapesync_job_runs_total{job="tsm",result="skipped"} 2',
    'tapesync_job_runs_total{job="nbu<\\"x\\">",result="failure"} 3',
    'tapesync_job_overlaps_skipped_total{job="tsm"} 2',
    'tapesync_job_last_success_timestamp_seconds{job="tsm"} 1767225602',
    'tapesync_job_last_exit_code{job="tsm"} 0',
    'tapesync_job_next_run_timestamp_seconds{job="tsm"} 1767226500',
    'tapesync_job_running{job="nbu<\\"x\\">"} 1',
    'tapesync_job_consecutive_failures{job="nbu<\\"x\\">"} 3',
    'tapesync_job_run_duration_seconds_sum{job="tsm"} 9.500',
    'tapesync_job_run_duration_seconds_count{job="tsm"} 5',
    'tapesync_job_records_read_total{job="tsm"} 480',
    'tapesync_job_volumes_total{job="tsm",outcome="unchanged"} 470',
    'tapesync_job_volumes_total{job="nbu<\\"x\\">",outcome="added"} 0',
    'tapesync_job_record_errors_total{job="tsm"} 1',
  ];
  for (const line of want) assert.ok(samples.includes(line), `missing: ${line}`);
  assert.ok(!samples.some((line) => line.startsWith('tapesync_job_last_success_timestamp_seconds{job="nbu')));
  assert.ok(text.endsWith("\n"));
});

/** The path of promtool, or undefined when it is not installed. */
function promtool(): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/promtool`).isFile) return `${dir}/promtool`;
    } catch {
      // not here
    }
  }
  return undefined;
}

const PROMTOOL = promtool();

Deno.test({
  name: "renderMetrics() output is accepted by promtool check metrics",
  ignore: PROMTOOL === undefined,
  async fn() {
    const text = await (await app().request("/metrics")).text();
    const child = new Deno.Command(PROMTOOL!, {
      args: ["check", "metrics"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const out = await child.output();
    const report = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, report);
    assert.equal(report.trim(), "");
  },
});

if (PROMTOOL === undefined) {
  console.warn("skipped promtool check: promtool is not installed (run scripts/ci_services.sh)");
}
