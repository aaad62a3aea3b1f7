/**
 * @module
 * Tests of `commandStream` with real processes: output streamed into `openSource`, non-zero exit with
 * stderr, a command that hangs past its timeout, a missing program, and no arguments in messages.
 */
import assert from "node:assert/strict";
import { sourceSchema } from "../../src/definition/source_schema.ts";
import { commandStream, InputRecordError, openSource, SourceCommandError } from "../../src/source/mod.ts";
import type { SourceEvent } from "../../src/source/mod.ts";
import { show } from "./_events.ts";

const CSV = sourceSchema.parse({ format: "csv" });

async function readAll(run: string[], timeout = 10): Promise<{ events: SourceEvent[]; error: unknown }> {
  const command = commandStream({ run, timeout });
  const events: SourceEvent[] = [];
  let error: unknown;
  try {
    for await (const batch of openSource(CSV, command.stream, command.name)) events.push(...batch);
  } catch (caught) {
    error = caught;
  }
  await command.done.catch(() => {});
  return { events, error };
}

Deno.test("commandStream() streams the stdout of a command that succeeds", async () => {
  const command = commandStream({
    run: ["sh", "-c", "printf 'volume,slot\\nA1,1\\n'; printf 'A2,2\\n'"],
    timeout: 10,
  });
  const events: SourceEvent[] = [];
  for await (const batch of openSource(CSV, command.stream, command.name)) events.push(...batch);
  await command.done;
  assert.equal(command.name, "sh");
  assert.deepEqual(events.map(show), [
    ["header", 1, ["volume", "slot"]],
    ["record", 2, ["A1", "1"]],
    ["record", 3, ["A2", "2"]],
  ]);
});

const failures = [
  {
    name: "a non-zero exit with the last stderr lines",
    run: [
      "sh",
      "-c",
      "printf 'v,s\\nA1,1\\n'; echo 'ANS1017E Session rejected' >&2; echo 'second line' >&2; exit 11",
    ],
    failure: { kind: "exit", code: 11 },
    exitCode: 11,
    stderr: ["ANS1017E Session rejected", "second line"],
    line: 3,
    events: 2,
    detail:
      'Cannot read the output of command "sh": it exited with code 11; its last error output: ANS1017E ' +
      "Session rejected | second line",
  },
  {
    name: "a command that hangs past its 1 s timeout is killed",
    run: ["sh", "-c", "printf 'v,s\\n'; exec sleep 30"],
    timeout: 1,
    failure: { kind: "timeout", seconds: 1 },
    exitCode: null,
    stderr: [],
    line: 2,
    events: 1,
    detail: 'Cannot read the output of command "sh": it did not finish within 1 s and was stopped',
  },
  {
    name: "a command ended by a signal",
    run: ["sh", "-c", "kill -KILL $$"],
    failure: { kind: "signal", signal: "SIGKILL" },
    exitCode: null,
    stderr: [],
    line: 1,
    events: 0,
    detail: 'Cannot read the output of command "sh": it was ended by signal SIGKILL',
  },
];

Deno.test("commandStream() fails the stream with SourceCommandError when the command fails", async (t) => {
  for (const c of failures) {
    await t.step(c.name, async () => {
      const started = performance.now();
      const { events, error } = await readAll(c.run, c.timeout);
      assert.ok(error instanceof SourceCommandError);
      assert.ok(error instanceof InputRecordError);
      assert.deepEqual(error.failure, c.failure);
      assert.deepEqual(
        [error.command, error.exitCode, error.stderr, error.file, error.line, error.detail],
        ["sh", c.exitCode, c.stderr, "sh", c.line, c.detail],
      );
      assert.equal(events.length, c.events);
      assert.ok(performance.now() - started < 5000, "the timeout is kept");
    });
  }
});

Deno.test("commandStream() rejects done with the error of the stream", async () => {
  const command = commandStream({ run: ["sh", "-c", "exit 3"], timeout: 10 });
  let streamError: unknown;
  try {
    for await (const _ of command.stream) assert.fail("no output expected");
  } catch (error) {
    streamError = error;
  }
  await assert.rejects(command.done, (error: unknown) => {
    assert.ok(error instanceof SourceCommandError);
    assert.equal(error, streamError);
    assert.equal(error.exitCode, 3);
    return true;
  });
});

Deno.test("commandStream() names only the program, never its arguments", async (t) => {
  await t.step("a missing program cannot start", () => {
    assert.throws(
      () => commandStream({ run: ["/nonexistent/bin/dsmadmc", "-password=S3cret!"], timeout: 10 }),
      (error: unknown) => {
        assert.ok(error instanceof SourceCommandError);
        assert.deepEqual(error.failure, { kind: "start", reason: "program not found" });
        assert.equal(error.message, 'dsmadmc:0: Cannot run command "dsmadmc": program not found');
        return true;
      },
    );
  });
  await t.step("a failing command with a secret argument", async () => {
    const { error } = await readAll(["sh", "-c", "exit 2", "-password=S3cret!"]);
    assert.ok(error instanceof SourceCommandError);
    assert.equal(error.message.includes("S3cret"), false);
    assert.equal(error.message, 'sh:1: Cannot read the output of command "sh": it exited with code 2');
  });
});

Deno.test("commandStream() stops the command when the caller stops, without reporting a failure", async (t) => {
  await t.step("the reader stops early", async () => {
    const command = commandStream({ run: ["sh", "-c", "printf 'v\\n1\\n'; exec sleep 30"], timeout: 20 });
    const started = performance.now();
    for await (const batch of openSource(CSV, command.stream, command.name)) {
      assert.deepEqual(batch.map(show), [["header", 1, ["v"]], ["record", 2, ["1"]]]);
      break;
    }
    await command.done;
    assert.ok(performance.now() - started < 5000);
  });
  await t.step("the run is aborted", async () => {
    const controller = new AbortController();
    const command = commandStream({ run: ["sleep", "30"], timeout: 20 }, { signal: controller.signal });
    const started = performance.now();
    controller.abort();
    const chunks = [];
    for await (const chunk of command.stream) chunks.push(chunk);
    await command.done;
    assert.deepEqual(chunks, []);
    assert.ok(performance.now() - started < 5000);
  });
});
