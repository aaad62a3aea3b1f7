import assert from "node:assert/strict";
import { command, VERSION, versionInfo } from "../../src/cli/commands/version.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";

function captureIo(): CliIo & { output: string[] } {
  const output: string[] = [];
  return {
    output,
    stdin: new ReadableStream(),
    stdinIsTerminal: false,
    out: (text) => output.push(text),
    err: (text) => output.push(text),
    stderrIsTerminal: false,
    env: () => undefined,
    now: () => 0,
    cwd: "/",
    signal: new AbortController().signal,
  };
}

Deno.test("VERSION matches the version in deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(VERSION, config.version);
});

Deno.test("tapesync version prints version, Deno version and build target", async (t) => {
  await t.step("text", async () => {
    const io = captureIo();
    assert.equal(await command.run([], io), 0);
    assert.equal(
      io.output.join(""),
      `tapesync ${VERSION}\ndeno ${Deno.version.deno} (v8 ${Deno.version.v8}, typescript ${Deno.version.typescript})\ntarget ${Deno.build.target}\n`,
    );
  });
  await t.step("--json", async () => {
    const io = captureIo();
    assert.equal(await command.run(["--json"], io), 0);
    assert.deepEqual(JSON.parse(io.output.join("")), versionInfo());
    assert.equal(versionInfo().target, Deno.build.target);
  });
});
