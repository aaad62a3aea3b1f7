/**
 * The bench scripts' command line: `--help` prints the usage, a mistake gives one line and the usage with
 * exit 2, never a stack trace (scripts/bench/bench_args.ts). Each case runs a script in its own process,
 * since a bench exits on a bad argument.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

async function bench(script: string, ...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}scripts/bench/${script}`, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("bench scripts: --help, and one line plus the usage for a bad argument", async (t) => {
  await t.step("--help prints the usage and exits 0", async () => {
    const run = await bench("http.ts", "--help");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: deno run -A scripts\/bench\/http\.ts/);
  });
  const cases = [
    { args: ["--repeat", "0"], message: "bench: --repeat must be a whole number of at least 1" },
    { args: ["--repeat", "two"], message: "bench: --repeat must be a whole number of at least 1" },
    { args: ["--records", "10", "--scopes", "20"], message: "bench: --records and --scopes must be whole" },
    { args: ["extra"], message: 'bench: unexpected argument "extra"' },
  ];
  for (const c of cases) {
    await t.step(`http.ts ${c.args.join(" ")}: exit 2`, async () => {
      const run = await bench("http.ts", ...c.args);
      assert.equal(run.code, 2);
      assert.ok(run.stderr.startsWith(c.message), run.stderr);
      assert.match(run.stderr, /\n\nUsage: /);
      assert.doesNotMatch(run.stderr, /^\s+at /m);
    });
  }
});
