import assert from "node:assert/strict";
import { parseAgentConfig } from "../../src/agent/mod.ts";
import { DefinitionError } from "../../src/definition/mod.ts";

const SMALLEST = `jobs:
  - name: tsm
    definition: defs/tsm.yaml
    input: /exports/drmedia.csv
    schedule: "*/15 * * * *"
`;

Deno.test("parseAgentConfig() fills defaults for the smallest config and resolves paths beside the file", () => {
  const config = parseAgentConfig(SMALLEST, "/etc/tapesync/agent.yaml");
  assert.deepEqual(config, {
    file: "/etc/tapesync/agent.yaml",
    server: undefined,
    db: undefined,
    passwordFile: undefined,
    stateDir: "/etc/tapesync/tapesync-state",
    history: 50,
    shutdownGrace: 30_000,
    health: { listen: { hostname: "127.0.0.1", port: 0 }, failureThreshold: 3, tokenFile: undefined },
    log: { format: "text", level: "info", file: undefined },
    jobs: [{
      name: "tsm",
      definition: "/etc/tapesync/defs/tsm.yaml",
      input: { kind: "file", path: "/exports/drmedia.csv" },
      schedule: "*/15 * * * *",
      jitter: 0,
      retry: { count: 0, backoff: 30_000, onExitCodes: [3, 70] },
      runOnStart: false,
      catchUp: false,
      set: {},
      server: undefined,
      db: undefined,
      passwordFile: undefined,
    }],
  });
});

Deno.test("parseAgentConfig() reads every option: inputs, durations, retry, health, log", () => {
  const text = `server: file:inventory.db
stateDir: /var/lib/tapesync
history: 10
shutdownGrace: 1m30s
health:
  listen: "[::1]:9464"
  token: abcdefghijklmnopqrstuvwxyz
  failureThreshold: 5
log: { format: json, file: agent.log, level: debug }
jobs:
  - name: newest
    definition: builtin:generic-csv
    input: exports/drmedia-*.csv
    schedule: "0 */5 * * * *"
    timezone: Europe/Berlin
    jitter: 30s
    timeout: 10m
    retry: { count: 2, backoff: 500ms }
    runOnStart: true
    catchUp: true
    set: { site: MAIN, retention: 30 }
  - name: cmd
    definition: builtin:generic-csv
    input: { run: ["dsmadmc", "-dataonly=yes", "select * from drmedia"], timeout: 120 }
    schedule: "0 2 * * *"
    server: http://sync@inventory:8080
  - name: glob2
    definition: d.yaml
    input: { glob: /x/*.csv }
    schedule: "@hourly"
`;
  const config = parseAgentConfig(text, "conf/agent.yaml");
  assert.equal(config.server, "file:conf/inventory.db");
  assert.deepEqual([config.stateDir, config.history, config.shutdownGrace], [
    "/var/lib/tapesync",
    10,
    90_000,
  ]);
  assert.deepEqual(config.health.listen, { hostname: "::1", port: 9464 });
  assert.deepEqual([config.health.failureThreshold, config.log], [5, {
    format: "json",
    file: "conf/agent.log",
    level: "debug",
  }]);
  const [newest, cmd, glob2] = config.jobs;
  assert.deepEqual(newest.input, { kind: "glob", pattern: "conf/exports/drmedia-*.csv" });
  assert.deepEqual([newest.jitter, newest.timeout, newest.retry], [30_000, 600_000, {
    count: 2,
    backoff: 500,
    onExitCodes: [3, 70],
  }]);
  assert.deepEqual([newest.runOnStart, newest.catchUp, newest.set, newest.server], [true, true, {
    site: "MAIN",
    retention: "30",
  }, "file:conf/inventory.db"]);
  assert.deepEqual(cmd.input, {
    kind: "command",
    run: ["dsmadmc", "-dataonly=yes", "select * from drmedia"],
    timeoutMs: 120_000,
  });
  assert.equal(cmd.server, "http://sync@inventory:8080");
  assert.deepEqual([glob2.input, glob2.definition], [{ kind: "glob", pattern: "/x/*.csv" }, "conf/d.yaml"]);
});

Deno.test("parseAgentConfig() reports file:line:col and YAML path for each problem", async (t) => {
  const cases = [
    {
      name: "unknown key in a job",
      text: SMALLEST + "    shedule: daily\n",
      want: ["agent.yaml", 6, 5, "jobs.0.shedule", 'unknown key "shedule"'],
    },
    {
      name: "invalid cron pattern",
      text: SMALLEST.replace('"*/15 * * * *"', '"61 * * * *"'),
      want: [
        "agent.yaml",
        5,
        15,
        "jobs.0.schedule",
        'cannot use schedule "61 * * * *": Invalid value for minute: 61',
      ],
    },
    {
      name: "unknown time zone",
      text: SMALLEST + "    timezone: Mars/Olympus\n",
      want: [
        "agent.yaml",
        6,
        15,
        "jobs.0.timezone",
        'unknown time zone "Mars/Olympus": use an IANA name such as Europe/Berlin or UTC',
      ],
    },
    {
      name: "bad duration",
      text: SMALLEST + "    jitter: soon\n",
      want: [
        "agent.yaml",
        6,
        13,
        "jobs.0.jitter",
        'a duration must be seconds or a value such as "30s", "5m", "1h": current value is "soon"',
      ],
    },
    {
      name: "bad listen address",
      text: SMALLEST + "health:\n  listen: localhost\n",
      want: [
        "agent.yaml",
        7,
        11,
        "health.listen",
        '"listen" must be HOST:PORT such as "127.0.0.1:9464" (port 0 picks a free one): current value is "localhost"',
      ],
    },
    {
      name: "job name used twice",
      text: SMALLEST + SMALLEST.replace("jobs:\n", ""),
      want: ["agent.yaml", 6, 11, "jobs.1.name", 'job name "tsm" is used twice'],
    },
    {
      name: "job name unfit for a file name",
      text: SMALLEST.replace("name: tsm", "name: ../etc"),
      want: [
        "agent.yaml",
        2,
        11,
        "jobs.0.name",
        "a job name must be letters, digits, '.', '_' or '-' (at most 64, used as a file name)",
      ],
    },
    {
      name: "missing required key",
      text: SMALLEST.replace('    schedule: "*/15 * * * *"\n', ""),
      want: ["agent.yaml", 2, 5, "jobs.0.schedule", "is required"],
    },
    {
      name: "key without a value",
      text: SMALLEST.replace('schedule: "*/15 * * * *"', "schedule:"),
      want: ["agent.yaml", 5, 5, "jobs.0.schedule", "must be a string: current value is empty"],
    },
    {
      name: "value not in the list",
      text: SMALLEST + "log: { format: xml }\n",
      want: ["agent.yaml", 6, 16, "log.format", 'must be one of "text", "json"'],
    },
    {
      name: "number below its minimum",
      text: SMALLEST + "    retry: { count: -1 }\n",
      want: ["agent.yaml", 6, 21, "jobs.0.retry.count", "must be at least 0"],
    },
    {
      name: "empty string",
      text: SMALLEST.replace("definition: defs/tsm.yaml", 'definition: ""'),
      want: ["agent.yaml", 3, 17, "jobs.0.definition", "must not be empty"],
    },
    {
      name: "wrong type",
      text: SMALLEST + "    runOnStart: sometimes\n",
      want: ["agent.yaml", 6, 17, "jobs.0.runOnStart", "must be a boolean"],
    },
    {
      name: "no jobs",
      text: "jobs: []\n",
      want: ["agent.yaml", 1, 7, "jobs", "the agent needs at least one job"],
    },
    {
      name: "broken YAML",
      text: "jobs:\n  - name: [\n",
      want: ["agent.yaml", 3, 1, "", undefined],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      let error: unknown;
      try {
        parseAgentConfig(c.text, "agent.yaml");
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof DefinitionError, String(error));
      const [file, line, column, path, problem] = c.want;
      assert.deepEqual([error.file, error.line, error.column, error.path], [file, line, column, path]);
      if (problem !== undefined) assert.equal(error.problem, problem);
      assert.equal(error.message.startsWith(`agent.yaml:${line}:${column}`), true, error.message);
    });
  }
});

Deno.test("parseAgentConfig() accepts the configs shown in docs/agent.md and the fixture", async () => {
  const docs = await Deno.readTextFile(new URL("../../docs/agent.md", import.meta.url));
  const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 2);
  const jobs = blocks.map((text) =>
    parseAgentConfig(text, "/etc/tapesync/agent.yaml").jobs.map((j) => j.name)
  );
  assert.deepEqual(jobs, [["drmedia"], ["drmedia"]]);
  const fixture = new URL("../fixtures/agent/agent.yaml", import.meta.url).pathname;
  const config = parseAgentConfig(await Deno.readTextFile(fixture), fixture);
  assert.deepEqual(config.jobs.map((j) => [j.name, j.timezone, j.jitter]), [[
    "acme-csv",
    "Europe/Berlin",
    20_000,
  ]]);
});

Deno.test("agent config: time zones by canonical name, alias or UTC spelling are accepted", () => {
  const base = `jobs:\n  - name: a\n    definition: d.yaml\n    input: x.csv\n    schedule: "0 2 * * *"\n`;
  for (
    const zone of ["Europe/Berlin", "America/Argentina/Buenos_Aires", "US/Eastern", "Etc/GMT+5", "UTC", "GMT"]
  ) {
    const config = parseAgentConfig(`${base}    timezone: ${zone}\n`, "agent.yaml");
    assert.equal(config.jobs[0].timezone, zone);
  }
});
