/**
 * @module
 * Golden test of a ready definition on its shared sample: sync into a new embedded store with adding on,
 * then compare the inventory, the skip reasons and the record errors with a fixture written by reading
 * the sample, and check that every line of the sample is accounted for.
 */
import assert from "node:assert/strict";
import { runCli } from "../../src/cli/main.ts";
import type { SyncStats } from "../../src/engine/mod.ts";
import { repoPath, sample, testIo } from "../cli/_test_io.ts";

interface Golden {
  sample: string;
  lines: number;
  skipped: Record<string, number>;
  errors: number[];
  volumes: Record<string, Record<string, string>>;
}

/** Register the golden test of one ready definition. */
export function goldenTest(name: string): void {
  Deno.test(`ready definition ${name} syncs its sample to the expected inventory, every line accounted for`, async (t) => {
    const golden = JSON.parse(
      await Deno.readTextFile(repoPath(`tests/fixtures/golden/${name}.json`)),
    ) as Golden;
    const input = sample(golden.sample);
    const dir = await Deno.makeTempDir({ prefix: `tapesync-golden-${name}-` });
    try {
      const db = `${dir}/i.db`;
      const io = testIo();
      const args = ["--definition", `builtin:${name}`, "--input", input, "--db", db];
      const code = await runCli([
        "sync",
        ...args,
        "--set",
        "customer=ACME",
        "--add-volumes",
        "--stats-json",
        "-",
      ], io);
      assert.equal(code, 0, io.stderr);
      const stats = JSON.parse(io.stdout) as SyncStats;
      await t.step("every line is a record, a header or a counted skip", () => {
        assert.equal(stats.linesRead, golden.lines);
        assert.equal((Deno.readTextFileSync(input).match(/\n/g) ?? []).length, golden.lines);
      });
      await t.step("skip reasons and record errors", () => {
        assert.deepEqual(stats.recordsSkipped.byReason, golden.skipped);
        assert.deepEqual(stats.errorSamples.map((error) => error.line), golden.errors);
      });
      await t.step("the inventory holds exactly the expected volumes and fields", async () => {
        const list = testIo();
        assert.equal(await runCli(["volumes", "--db", db, "--format", "json"], list), 0);
        const volumes = JSON.parse(list.stdout) as {
          customer: string;
          media: string;
          volume: string;
          fields: Record<string, string>;
        }[];
        const actual = Object.fromEntries(
          volumes.map((v) => [`${v.customer}/${v.media}/${v.volume}`, v.fields]),
        );
        assert.deepEqual(actual, golden.volumes);
      });
      await t.step("without the customer parameter: exit 2 naming it", async () => {
        const missing = testIo();
        assert.equal(await runCli(["sync", ...args, "--dry-run"], missing), 2);
        assert.match(missing.stderr, /customer/);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
