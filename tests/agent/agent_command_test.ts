import assert from "node:assert/strict";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { runCli } from "../../src/cli/main.ts";
import { withTempDir } from "./_agent_fixtures.ts";

const DEFINITION = new URL("../../definitions/generic-csv.yaml", import.meta.url).pathname;

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    stdin: new ReadableStream(),
    stdinIsTerminal: false,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    stderrIsTerminal: false,
    env: () => undefined,
    now: () => Date.parse("2026-01-01T00:00:00Z"),
    cwd: "/",
    signal: new AbortController().signal,
  };
}

const job = (definition: string, extra = "") =>
  `jobs:\n  - name: tsm\n    definition: ${definition}\n    input: /exports/x.csv\n    schedule: "0 3 * * *"\n${extra}`;

Deno.test("tapesync agent --check validates the config and every definition it names", async (t) => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/bad-def.yaml`,
      "version: 1\nsource: { format: csv }\nfields:\n  volume: 12\n",
    );
    const cases = [
      {
        name: "valid config and definition: exit 0",
        config: job(DEFINITION),
        code: 0,
        stdout: `${dir}/agent.yaml: ok (1 job, definitions valid)\n`,
        stderr: undefined,
      },
      {
        name: "a definition that is invalid: exit 2, the job and the definition's position",
        config: job(`${dir}/bad-def.yaml`),
        code: 2,
        stdout: "",
        stderr: new RegExp(`^Error: job "tsm": ${dir}/bad-def\\.yaml:4:\\d+ fields\\.volume`),
      },
      {
        name: "a definition file that does not exist: exit 2",
        config: job(`${dir}/missing.yaml`),
        code: 2,
        stdout: "",
        stderr: new RegExp(
          `^Error: job "tsm": Cannot read definition "${dir}/missing\\.yaml": no such file\n$`,
        ),
      },
      {
        name: "a bad config: exit 2 with line, column and path",
        config: job(DEFINITION, "    retry: { count: -1 }\n"),
        code: 2,
        stdout: "",
        stderr: new RegExp(
          `^Error: ${dir}/agent\\.yaml:6:21 jobs\\.0\\.retry\\.count: must be at least 0\\n` +
            "Fix the agent config and run again; nothing was read or written\\n$",
        ),
      },
      {
        name: "a config that is not YAML: exit 2 with line and column, and the advice names the config",
        config: "jobs: [\n",
        code: 2,
        stdout: "",
        stderr: new RegExp(
          `^Error: ${dir}/agent\\.yaml:2:1: invalid YAML: .*\\nFix the agent config and run again`,
        ),
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        await Deno.writeTextFile(`${dir}/agent.yaml`, c.config);
        const io = captureIo();
        const code = await runCli(["agent", "--config", `${dir}/agent.yaml`, "--check"], io);
        assert.equal(code, c.code, io.stderr.join(""));
        assert.equal(io.stdout.join(""), c.stdout);
        if (c.stderr) assert.match(io.stderr.join(""), c.stderr);
      });
    }
  });
});

Deno.test("tapesync agent refuses a wrong command line with exit 2", async (t) => {
  const cases = [
    {
      name: "no --config",
      args: ["agent"],
      message: "Error: Cannot start the agent: --config is required\n",
    },
    {
      name: "--wait-lock without --run",
      args: ["agent", "--config", "x.yaml", "--wait-lock", "5"],
      message: "Error: Cannot use --wait-lock without --run\n",
    },
    {
      name: "config file missing",
      args: ["agent", "--config", "/nonexistent/agent.yaml"],
      message: 'Error: Cannot read agent config "/nonexistent/agent.yaml": no such file\n',
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const io = captureIo();
      assert.equal(await runCli(c.args, io), 2);
      assert.equal(io.stderr[0], c.message);
    });
  }
});
