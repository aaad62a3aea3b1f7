/**
 * End-to-end: the agent as a real process, run from the bundle (dist/tapesync.js, built here into a temp
 * folder), so what the single-file build contains is what is tested.
 */
import assert from "node:assert/strict";
import type { AgentStatus } from "../../src/agent/mod.ts";
import { bundle } from "../../scripts/build.ts";

const root = new URL("../../", import.meta.url).pathname;
const buildDir = await Deno.makeTempDir({ prefix: "tapesync-bundle-" });
const BUNDLE = await bundle(`${buildDir}/tapesync.js`);
const DEFINITION = `${root}definitions/generic-csv.yaml`;
const EXPORT = `${root}tests/fixtures/agent/export.csv`;
const PROMTOOL = ["/usr/bin/promtool", "/usr/local/bin/promtool"].find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

interface AgentProcess {
  child: Deno.ChildProcess;
  url: string;
  stderr: () => string;
  /** Resolves with the exit code once the process ended and its output is read. */
  exited: Promise<number>;
}

async function startAgent(config: string): Promise<AgentProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", BUNDLE, "agent", "--config", config],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of child.stderr) text += decoder.decode(chunk, { stream: true });
  })();
  const exited = Promise.all([child.status, reading]).then(([status]) => status.code);
  for (let i = 0; i < 300; i++) {
    const url = /health endpoint listening url=(http:\/\/\S+)/.exec(text)?.[1];
    if (url) return { child, url, stderr: () => text, exited };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  await exited;
  throw new Error(`agent did not start:\n${text}`);
}

async function status(agent: AgentProcess): Promise<AgentStatus> {
  return await (await fetch(`${agent.url}status`)).json();
}

async function waitFor(
  agent: AgentProcess,
  what: string,
  test: (s: AgentStatus) => boolean,
): Promise<AgentStatus> {
  for (let i = 0; i < 200; i++) {
    const current = await status(agent);
    if (test(current)) return current;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`agent never reached: ${what}\n${agent.stderr()}`);
}

const job = (s: AgentStatus, name: string) => s.jobs.find((j) => j.name === name)!;

async function writeConfig(dir: string, jobs: string, grace = "5s"): Promise<string> {
  const path = `${dir}/agent.yaml`;
  await Deno.writeTextFile(
    path,
    `stateDir: state\nshutdownGrace: ${grace}\nhealth: { listen: "127.0.0.1:0" }\njobs:\n${jobs}`,
  );
  return path;
}

Deno.test("the bundle loads no Node built-in at its start but node:sqlite (each other one costs every command ~40 ms)", async () => {
  const imports = (await Deno.readTextFile(BUNDLE)).match(/^import .* from "node:[\w/]+";$/gm);
  assert.deepEqual(imports, ['import { DatabaseSync } from "node:sqlite";']);
});

Deno.test({
  name:
    "agent process: runs jobs every second, serves /status and /metrics, survives a failing job, stops on SIGTERM, keeps state across a restart",
  sanitizeResources: true,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tapesync-agent-" });
    try {
      const config = await writeConfig(
        dir,
        `  - name: good
    definition: ${DEFINITION}
    input: ${EXPORT}
    schedule: "* * * * * *"
    db: inventory.db
    addVolumes: true
  - name: broken
    definition: ${DEFINITION}
    input: { run: "echo 'dsmadmc: ANS1017E session rejected' >&2; exit 3", timeout: 5s }
    schedule: "* * * * * *"
    db: inventory.db
`,
      );
      const agent = await startAgent(config);
      const seen = await waitFor(
        agent,
        "two good runs and two failed ones",
        (s) => job(s, "good").counters.runs.success >= 2 && job(s, "broken").counters.runs.failure >= 2,
      );
      const good = job(seen, "good");
      assert.equal(good.lastRun?.exitCode, 0);
      assert.equal(good.lastRun?.stats?.recordsRead, 5);
      assert.equal(good.counters.totals.volumesAdded, 5, "first run added the five volumes, later runs none");
      assert.equal(good.consecutiveFailures, 0);
      const broken = job(seen, "broken");
      assert.equal(broken.lastRun?.result, "failure");
      assert.equal(
        broken.lastRun?.error,
        'Cannot read job input "echo": the command exited with code 3: dsmadmc: ANS1017E session rejected',
      );
      const metrics = await (await fetch(`${agent.url}metrics`)).text();
      assert.match(metrics, /^tapesync_job_runs_total\{job="good",result="success"\} [2-9]\d*$/m);
      assert.match(metrics, /^tapesync_job_volumes_total\{job="good",outcome="added"\} 5$/m);
      if (PROMTOOL) {
        const check = new Deno.Command(PROMTOOL, {
          args: ["check", "metrics"],
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        })
          .spawn();
        const writer = check.stdin.getWriter();
        await writer.write(new TextEncoder().encode(metrics));
        await writer.close();
        const out = await check.output();
        assert.equal(
          out.code,
          0,
          new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
        );
      }
      const stoppedAt = Date.now();
      agent.child.kill("SIGTERM");
      assert.equal(await agent.exited, 0);
      assert.ok(Date.now() - stoppedAt < 5000, "stopped within the grace period");
      assert.match(agent.stderr(), /agent stopped finishedInGrace=true/);
      await assert.rejects(Deno.stat(`${dir}/state/locks/good.lock`), Deno.errors.NotFound);

      const before = JSON.parse(await Deno.readTextFile(`${dir}/state/jobs/good.json`));
      const again = await startAgent(config);
      const restarted = job(await status(again), "good");
      assert.ok(restarted.counters.runs.success >= before.counters.runs.success, "counters kept");
      assert.ok(before.counters.runs.success >= 2);
      assert.ok((restarted.lastRun?.startedAt ?? 0) >= before.runs.at(-1).startedAt, "history kept");
      again.child.kill("SIGTERM");
      assert.equal(await again.exited, 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("agent process: a hook run while the scheduled run holds the lock is skipped with exit 75 or waits with --wait-lock; SIGTERM waits for the running job", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-agent-" });
  try {
    const config = await writeConfig(
      dir,
      `  - name: slow
    definition: ${DEFINITION}
    input: { run: "sleep 2; cat '${EXPORT}'" }
    schedule: "* * * * * *"
    db: inventory.db
    addVolumes: true
`,
      "10s",
    );
    const agent = await startAgent(config);
    await waitFor(agent, "the slow job running", (s) => job(s, "slow").running);
    const hook = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", BUNDLE, "agent", "--config", config, "--run", "slow"],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const hookErr = new TextDecoder().decode(hook.stderr);
    assert.equal(hook.code, 75, hookErr);
    assert.match(
      hookErr,
      /^Error: Cannot start job "slow": another run \(pid \d+, since \S+Z\) holds its lock; this run was skipped\n$/,
    );
    const waited = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", BUNDLE, "agent", "--config", config, "--run", "slow", "--wait-lock", "15"],
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(waited.code, 0, new TextDecoder().decode(waited.stderr));
    await waitFor(agent, "the slow job running again", (s) => job(s, "slow").running);
    const stoppedAt = Date.now();
    agent.child.kill("SIGTERM");
    assert.equal(await agent.exited, 0);
    assert.ok(Date.now() - stoppedAt < 10_000, "within the grace period");
    assert.match(agent.stderr(), /agent stopped finishedInGrace=true/);
    const saved = JSON.parse(await Deno.readTextFile(`${dir}/state/jobs/slow.json`));
    const runs: { trigger: string; result: string; exitCode: number | null }[] = saved.runs;
    assert.deepEqual(
      runs.filter((r) => r.trigger === "manual").map((r) => [r.result, r.exitCode]),
      [["success", 0]],
      "the waiting hook run ran once, after the scheduled run released the lock",
    );
    assert.deepEqual(
      [runs.at(-1)?.trigger, runs.at(-1)?.result, runs.at(-1)?.exitCode],
      ["schedule", "success", 0],
      "the run that was going when SIGTERM came finished and was recorded",
    );
    assert.ok(runs.every((r) => r.result === "success" || r.result === "skipped"), JSON.stringify(runs));
    await assert.rejects(Deno.stat(`${dir}/state/locks/slow.lock`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(buildDir, { recursive: true });
});
