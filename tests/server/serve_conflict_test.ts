import assert from "node:assert/strict";
import { HttpInventory } from "../../src/inventory/http/mod.ts";
import type { VolumeRow } from "../../src/inventory/mod.ts";
import { GatedInventory } from "./counting_inventory.ts";
import { addUser, startServer } from "./server_process.ts";
import { dumpStore, syncInProcess, writeExport } from "./sync_fixture.ts";

const PASSWORD = "Conflict-Passw0rd";

Deno.test("tapesync serve: two interleaved syncs of one scope report conflicts, lose nothing and converge", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-conflict-" });
  const db = `${dir}/server.db`;
  await addUser(db, "agent", "sync", PASSWORD);
  const server = await startServer(db);
  const client = () => new HttpInventory({ url: server.url, user: "agent", password: PASSWORD });
  try {
    await writeExport(`${dir}/base.csv`, 120, 1);
    await writeExport(`${dir}/a.csv`, 120, 1, 1, 2);
    await writeExport(`${dir}/b.csv`, 120, 1, 2, 3);
    await syncInProcess(`${dir}/base.csv`, client());

    let releaseB!: () => void;
    const aDone = new Promise<void>((resolve) => releaseB = resolve);
    const bInventory = new GatedInventory(client(), aDone);
    const aInventory = new GatedInventory(client(), bInventory.loaded);
    const [a, b] = await Promise.all([
      syncInProcess(`${dir}/a.csv`, aInventory).finally(releaseB),
      syncInProcess(`${dir}/b.csv`, bInventory),
    ]);
    await t.step("both read the scope before either wrote", () => {
      assert.equal(aInventory.calls.loadScope, 1);
      assert.equal(bInventory.calls.loadScope, 1);
    });
    await t.step("the first writer applies everything", () => {
      assert.deepEqual([a.volumesUpdated, a.conflicts], [60, 0]);
    });
    await t.step("the second gets a conflict for each volume the first changed under it", () => {
      assert.equal(b.conflicts, 20);
      assert.equal(b.volumesUpdated, 20);
      assert.equal(b.conflictSamples.length, 40);
      assert.deepEqual(b.conflictSamples[0], {
        customer: "C000",
        media: "M0",
        volume: "V000000",
        field: "repository",
        expected: "LIBR",
        actual: "OFFS",
        reason: "changed",
      });
    });
    await t.step("nothing was lost: the first writer's values stand where they conflicted", async () => {
      const rows: VolumeRow[] = [];
      const reader = client();
      await reader.logon();
      for await (const chunk of reader.loadScope({ customer: "C000", media: "M0" })) rows.push(...chunk);
      await reader.close();
      const byVolume = new Map(rows.map((row) => [row.volume, row.fields.description]));
      assert.equal(byVolume.get("V000000"), "variant 1");
      assert.equal(byVolume.get("V000002"), "variant 1");
      assert.equal(byVolume.get("V000003"), "variant 2");
      assert.equal(byVolume.get("V000001"), "set 1");
    });
    await t.step("a re-run of the second converges on its export, then finds nothing to do", async () => {
      // 20 conflicted volumes get their values now; the 40 only the first run changed go back to the export's.
      const again = await syncInProcess(`${dir}/b.csv`, client());
      assert.deepEqual([again.volumesUpdated, again.conflicts], [60, 0]);
      const last = await syncInProcess(`${dir}/b.csv`, client());
      assert.deepEqual([last.volumesUpdated, last.conflicts, last.volumesUnchanged], [0, 0, 120]);
    });
    await server.stop();
    await t.step("the audit holds every applied change once and no refused one", async () => {
      const dump = await dumpStore(db);
      assert.equal(dump.audit.length, 120 * 4 + 60 * 2 + 20 * 2 + 60 * 2);
    });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
