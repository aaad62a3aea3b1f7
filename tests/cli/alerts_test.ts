import assert from "node:assert/strict";
import { runCli } from "../../src/cli/main.ts";
import type { AlertEntry } from "../../src/engine/mod.ts";
import { repoPath, testIo } from "./_test_io.ts";

/**
 * The library/vault classic: the inventory holds one location, the backup product says the other. With
 * `repository` in alert mode both directions are reported and nothing is written for that field.
 */
Deno.test("tapesync sync reports library/vault disagreements in both directions as alerts and writes nothing for them", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-alerts-" });
  try {
    const db = `${dir}/i.db`;
    const base = await Deno.readTextFile(repoPath("tests/fixtures/integration/tsm-drmedia.yaml"));
    const alerting = `${dir}/alert.yaml`;
    await Deno.writeTextFile(
      alerting,
      base.replace(
        "  repository: { column: state, steps: [trim, { translate: states }] }",
        "  repository: { column: state, steps: [trim, { translate: states }], mode: alert }",
      ),
    );
    assert.notEqual(
      await Deno.readTextFile(alerting),
      base,
      "the fixture must switch repository to alert mode",
    );
    const write = (name: string, text: string) =>
      Deno.writeTextFile(`${dir}/${name}`, text).then(() => `${dir}/${name}`);
    // The inventory as it was: TA0001L7 in the library, TA0002L7 at the vault.
    const before = await write(
      "before.csv",
      "TA0001L7,MOUNTABLE,2025-11-01 06:00:00.000000,,P,LIB,CopyStgPool\n" +
        "TA0002L7,VAULT,2025-11-01 06:00:00.000000,IRONMOUNTAIN,P,,CopyStgPool\n",
    );
    const io = testIo();
    assert.equal(
      await runCli([
        "sync",
        "-d",
        repoPath("tests/fixtures/integration/tsm-drmedia.yaml"),
        "-i",
        before,
        "--db",
        db,
      ], io),
      0,
      io.stderr,
    );
    // The export now says the opposite for both, and a new write time for TA0001L7.
    const after = await write(
      "after.csv",
      "TA0001L7,VAULT,2025-11-03 06:00:00.000000,IRONMOUNTAIN,P,,CopyStgPool\n" +
        "TA0002L7,MOUNTABLE,2025-11-01 06:00:00.000000,,P,LIB,CopyStgPool\n",
    );
    const args = [
      "sync",
      "-d",
      alerting,
      "-i",
      after,
      "--db",
      db,
      "--alerts-json",
      `${dir}/alerts.json`,
    ];
    await t.step("both directions are reported, exit 0 without --fail-on-alert", async () => {
      const run = testIo();
      assert.equal(await runCli(args, run), 0, run.stderr);
      const alerts = JSON.parse(await Deno.readTextFile(`${dir}/alerts.json`)) as AlertEntry[];
      assert.deepEqual(
        alerts.map((a) => [a.volume, a.field, a.inventoryValue, a.sourceValue]),
        [["TA0001L7", "repository", "LIBR", "OFFS"], ["TA0002L7", "repository", "OFFS", "LIBR"]],
      );
      assert.match(run.stderr, /alerts\s+2\n/);
      assert.match(run.stderr, /alert ACME\/LTO7\/TA0001L7 repository: inventory "LIBR", source "OFFS"/);
    });
    await t.step("the alerted field is not written; other fields still are", async () => {
      const list = testIo();
      assert.equal(await runCli(["volumes", "--db", db, "--format", "json"], list), 0);
      const volumes = JSON.parse(list.stdout) as { volume: string; fields: Record<string, string> }[];
      const byVolume = Object.fromEntries(volumes.map((v) => [v.volume, v.fields]));
      assert.equal(byVolume.TA0001L7.repository, "LIBR");
      assert.equal(byVolume.TA0001L7.writeTime, "2025-11-03 06:00");
      assert.equal(byVolume.TA0002L7.repository, "OFFS");
    });
    await t.step("--fail-on-alert makes the same run exit 1", async () => {
      const run = testIo();
      assert.equal(await runCli([...args, "--fail-on-alert"], run), 1);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
