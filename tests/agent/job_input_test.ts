import assert from "node:assert/strict";
import { JobInputError, newestMatch, openJobInput } from "../../src/agent/mod.ts";
import { withTempDir } from "./_agent_fixtures.ts";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}

Deno.test("newestMatch() picks the newest file matching the glob's file name", async (t) => {
  await withTempDir(async (dir) => {
    const files = [["drmedia-1.csv", 1000], ["drmedia-3.csv", 3000], ["drmedia-2.csv", 2000], [
      "other-9.csv",
      9000,
    ]];
    for (const [name, seconds] of files) {
      await Deno.writeTextFile(`${dir}/${name}`, "x");
      await Deno.utime(`${dir}/${name}`, Number(seconds), Number(seconds));
    }
    await Deno.mkdir(`${dir}/drmedia-9.csv.d`);
    const cases = [
      { name: "star", pattern: `${dir}/drmedia-*.csv`, want: `${dir}/drmedia-3.csv` },
      { name: "question mark", pattern: `${dir}/drmedia-?.csv`, want: `${dir}/drmedia-3.csv` },
      { name: "character class", pattern: `${dir}/drmedia-[12].csv`, want: `${dir}/drmedia-2.csv` },
      { name: "negated class", pattern: `${dir}/drmedia-[!3].csv`, want: `${dir}/drmedia-2.csv` },
      { name: "dot is literal", pattern: `${dir}/*-9.csv`, want: `${dir}/other-9.csv` },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => assert.equal(await newestMatch(c.pattern), c.want));
    }
    await t.step("no match: JobInputError", async () => {
      const error = await newestMatch(`${dir}/nbu-*.csv`).catch((e) => e);
      assert.ok(error instanceof JobInputError);
      assert.equal(error.message, `Cannot read job input "${dir}/nbu-*.csv": no file matches`);
    });
    await t.step("wildcard in a folder: JobInputError", async () => {
      const error = await newestMatch(`${dir}/*/x.csv`).catch((e) => e);
      assert.ok(error instanceof JobInputError);
      assert.equal(error.problem, "wildcards are allowed in the file name only");
    });
  });
});

Deno.test("openJobInput() streams a command's output and checks its exit code", async (t) => {
  const never = new AbortController().signal;
  await t.step("exit 0: the whole output, finished resolves", async () => {
    const input = await openJobInput({ kind: "command", run: "printf 'a,b\\n1,2\\n'" }, never);
    assert.equal(input.kind, "stream");
    if (input.kind !== "stream") return;
    assert.equal(await readAll(input.stream), "a,b\n1,2\n");
    await input.finished;
    await input.close();
  });
  await t.step("argument list runs without a shell", async () => {
    const input = await openJobInput({ kind: "command", run: ["echo", "$HOME"] }, never);
    if (input.kind !== "stream") throw new Error("expected a stream");
    assert.equal(await readAll(input.stream), "$HOME\n");
    await input.close();
  });
  await t.step("non-zero exit: the stream errors at its end with the stderr tail", async () => {
    const input = await openJobInput({
      kind: "command",
      run: "echo partial; echo 'ANS8001E no such table' >&2; exit 3",
    }, never);
    if (input.kind !== "stream") throw new Error("expected a stream");
    const error = await readAll(input.stream).catch((e) => e);
    assert.ok(error instanceof JobInputError);
    assert.equal(error.exitCode, 3);
    assert.equal(
      error.message,
      'Cannot read job input "echo": the command exited with code 3: ANS8001E no such table',
    );
    await assert.rejects(input.finished, JobInputError);
    await input.close();
  });
  await t.step("timeout: the command is stopped and the run fails", async () => {
    const input = await openJobInput({ kind: "command", run: ["sleep", "5"], timeoutMs: 200 }, never);
    if (input.kind !== "stream") throw new Error("expected a stream");
    const started = Date.now();
    const error = await readAll(input.stream).catch((e) => e);
    assert.ok(Date.now() - started < 3000);
    assert.ok(error instanceof JobInputError);
    assert.equal(error.problem, "the command ran longer than its timeout of 0.2 s");
    await input.close();
  });
  await t.step("program missing: JobInputError at open", async () => {
    const error = await openJobInput({ kind: "command", run: ["/nonexistent/exporter"] }, never).catch((e) =>
      e
    );
    assert.ok(error instanceof JobInputError);
    assert.match(
      error.message,
      /^Cannot read job input "\/nonexistent\/exporter": cannot start the command: /,
    );
  });
  await t.step("cancelled run: the command is killed", async () => {
    const controller = new AbortController();
    const input = await openJobInput({ kind: "command", run: ["sleep", "5"] }, controller.signal);
    if (input.kind !== "stream") throw new Error("expected a stream");
    controller.abort();
    const error = await readAll(input.stream).catch((e) => e);
    assert.ok(error instanceof JobInputError);
    assert.equal(error.problem, "the command was stopped because the run was cancelled");
    await input.close();
  });
});

Deno.test("openJobInput() passes files and resolved globs as paths", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/e1.csv`, "x");
    const never = new AbortController().signal;
    assert.deepEqual(await openJobInput({ kind: "file", path: "/x/y.csv" }, never), {
      kind: "path",
      path: "/x/y.csv",
    });
    assert.deepEqual(await openJobInput({ kind: "glob", pattern: `${dir}/e*.csv` }, never), {
      kind: "path",
      path: `${dir}/e1.csv`,
    });
  });
});
