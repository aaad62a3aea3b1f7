import assert from "node:assert/strict";
import { planBatch } from "../../src/inventory/change_check.ts";
import type { ChangeBatch, VolumeChange } from "../../src/inventory/mod.ts";

function batchOf(changes: VolumeChange[]): ChangeBatch {
  return { id: "b1", runId: "r1", customer: "ACME", media: "LTO", changes };
}

const add = (volume: string, fields: Record<string, string>): VolumeChange => ({
  volume,
  op: "add",
  changes: Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [field, { old: null, new: value }]),
  ),
});

const update = (volume: string, field: string, old: string | null, value: string | null): VolumeChange => ({
  volume,
  op: "update",
  changes: { [field]: { old, new: value } },
});

Deno.test("planBatch writes each volume once, in volume order, with its last fields, whether it existed and its add's audit row", () => {
  const stored = new Map([["B1", JSON.stringify({ slot: "1" })], ["C1", JSON.stringify({ slot: "7" })]]);
  const plan = planBatch(
    batchOf([
      add("D1", { slot: "4" }),
      update("B1", "slot", "1", "2"),
      add("A1", { slot: "9", repository: "LIB" }),
      update("A1", "slot", "9", "10"), // the add earlier in this batch made A1
      add("E1", {}), // an add that sets no field: written, no audit row
      update("X1", "slot", null, "3"), // missing
      add("C1", { slot: "8" }), // exists
      update("D1", "slot", "5", "6"), // D1 is "4" after its add: a conflict, the add stays
    ]),
    stored,
  );
  assert.deepEqual(plan.volumes.map(({ volume, fields, existed }) => [volume, fields, existed]), [
    ["A1", { slot: "10", repository: "LIB" }, false],
    ["B1", { slot: "2" }, true],
    ["D1", { slot: "4" }, false],
    ["E1", {}, false],
  ]);
  assert.deepEqual(plan.audit.map(({ volume, added }) => [volume, added]), [
    ["A1", true],
    ["A1", false],
    ["B1", false],
    ["D1", true],
  ]);
  assert.deepEqual(plan.volumes.map(({ volume, addRow }) => [volume, addRow]), [
    ["A1", 0],
    ["B1", -1],
    ["D1", 3],
    ["E1", -1],
  ]);
  assert.deepEqual(
    plan.result.conflicts.map(({ volume, field, reason }) => [volume, field, reason]),
    [["C1", "", "exists"], ["D1", "slot", "changed"], ["X1", "", "missing"]],
  );
  assert.deepEqual([plan.result.added, plan.result.updated, plan.result.fieldsChanged], [3, 2, 5]);
});

Deno.test("planBatch checks a volume's next change against the store when its first change conflicted", () => {
  const stored = new Map([["A1", JSON.stringify({ slot: "1" })]]);
  const plan = planBatch(
    batchOf([update("A1", "slot", "0", "2"), update("A1", "slot", "1", "3"), update("A1", "slot", "3", "3")]),
    stored,
  );
  assert.deepEqual(plan.volumes.map(({ volume, fields }) => [volume, fields]), [["A1", { slot: "3" }]]);
  assert.deepEqual(plan.result.conflicts.map(({ expected, actual }) => [expected, actual]), [["0", "1"]]);
  assert.equal(plan.result.updated, 1);
  assert.equal(plan.audit.length, 1);
});
