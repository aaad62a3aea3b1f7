/**
 * @module
 * Alerts on a ready definition: the Backup Exec definition with `repository` in alert mode, where the
 * inventory and the export disagree on library and vault in both directions.
 */
import assert from "node:assert/strict";
import { runCli } from "../../src/cli/main.ts";
import type { AlertEntry } from "../../src/engine/mod.ts";
import { repoPath, testIo } from "../cli/_test_io.ts";

const header =
  `"Label","MediaType","MediaSet","Location","Slot","MediaStatus","AllocatedDate","LastWrittenDate",` +
  `"OverwriteProtectedUntil","AppendableUntil","AvailableGB","Description"\r\n`;

/** One Get-BEMedia row in the sample's layout; an empty slot with a vault name means "at the vault". */
function row(label: string, location: string, slot: string, written: string): string {
  return `"${label}","LTO-6","Weekly","${location}","${slot}","Allocated","","${written}","","","0.00",""\r\n`;
}

Deno.test("ready definition backupexec-bemedia in alert mode reports library/vault disagreements both ways and writes neither", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-ready-alerts-" });
  try {
    const db = `${dir}/i.db`;
    const before = `${dir}/before.csv`;
    const after = `${dir}/after.csv`;
    // Inventory: BE0001L6 in the library (slot 1), BE0002L6 at the vault.
    await Deno.writeTextFile(
      before,
      header + row("BE0001L6", "HPE MSL2024 1", "1", "01/11/2025 02:00:00") +
        row("BE0002L6", "Iron Mountain", "", "01/11/2025 02:00:00"),
    );
    // Export: the opposite for both, and a new last-written time for BE0001L6.
    await Deno.writeTextFile(
      after,
      header + row("BE0001L6", "Iron Mountain", "", "03/11/2025 04:30:00") +
        row("BE0002L6", "HPE MSL2024 1", "2", "01/11/2025 02:00:00"),
    );
    const seed = testIo();
    const seedArgs = ["sync", "-d", "builtin:backupexec-bemedia", "-i", before, "--db", db];
    assert.equal(
      await runCli([...seedArgs, "--set", "customer=ACME", "--add-volumes"], seed),
      0,
      seed.stderr,
    );
    const variant = await Deno.readTextFile(repoPath("tests/fixtures/golden/backupexec-bemedia-alert.yaml"));
    assert.match(variant, /repository: .*mode: alert \}/, "the variant must put repository in alert mode");
    const alertsFile = `${dir}/alerts.json`;
    const args = [
      "sync",
      "-d",
      repoPath("tests/fixtures/golden/backupexec-bemedia-alert.yaml"),
      "--set",
      "customer=ACME",
      "-i",
      after,
      "--db",
      db,
      "--alerts-json",
      alertsFile,
    ];
    await t.step(
      "both directions are listed with volume, field, inventory and source value; exit 0",
      async () => {
        const run = testIo();
        assert.equal(await runCli(args, run), 0, run.stderr);
        const alerts = JSON.parse(await Deno.readTextFile(alertsFile)) as AlertEntry[];
        assert.deepEqual(
          alerts.map((a) => [a.volume, a.field, a.inventoryValue, a.sourceValue]),
          [["BE0001L6", "repository", "LIBR", "OFFS"], ["BE0002L6", "repository", "OFFS", "LIBR"]],
        );
      },
    );
    await t.step(
      "the repository keeps the inventory's value while the other fields are written",
      async () => {
        const list = testIo();
        assert.equal(await runCli(["volumes", "--db", db, "--format", "json"], list), 0);
        const volumes = JSON.parse(list.stdout) as { volume: string; fields: Record<string, string> }[];
        const byVolume = Object.fromEntries(volumes.map((v) => [v.volume, v.fields]));
        assert.equal(byVolume.BE0001L6.repository, "LIBR");
        assert.equal(byVolume.BE0001L6.writeTime, "2025-11-03 04:30");
        assert.equal(byVolume.BE0002L6.repository, "OFFS");
        assert.equal(byVolume.BE0002L6.slot, "2");
      },
    );
    await t.step("with --fail-on-alert the same disagreement exits 1", async () => {
      const run = testIo();
      assert.equal(await runCli([...args, "--fail-on-alert"], run), 1, run.stderr);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
