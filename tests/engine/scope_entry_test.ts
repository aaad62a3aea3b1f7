import assert from "node:assert/strict";
import { ScopeEntry, volumeHash } from "../../src/engine/scope_cache.ts";

function entryOf(volumes: string[]): { entry: ScopeEntry; counter: { volumes: number } } {
  const counter = { volumes: 0 };
  const entry = new ScopeEntry("C\x1fM", { customer: "C", media: "M" }, counter);
  for (const volume of volumes) entry.load(volume, `row ${volume}`);
  return { entry, counter };
}

for (
  const [name, order] of [
    ["in volume order (binary search)", ["A1", "A2", "B1", "B10", "B2", "C"]],
    ["out of order (map)", ["B1", "A2", "C", "A1", "B2", "B10"]],
  ] as const
) {
  Deno.test(`ScopeEntry finds every loaded volume and no other, loaded ${name}`, () => {
    const { entry, counter } = entryOf([...order]);
    assert.equal(entry.size, 6);
    assert.equal(counter.volumes, 6);
    for (const volume of order) assert.equal(entry.get(volume), `row ${volume}`, volume);
    for (const missing of ["", "A", "A10", "B", "B3", "C0", "D", "a1"]) {
      assert.equal(entry.get(missing), undefined, missing);
    }

    // A new volume gets a new slot after the loaded ones; its second lookup finds the same slot.
    const slot = entry.slot("B3");
    assert.equal(slot, 6);
    assert.equal(entry.at(slot), undefined);
    entry.setAt(slot, "row B3");
    assert.equal(entry.slot("B3"), slot);
    assert.equal(entry.get("B3"), "row B3");
    assert.equal(counter.volumes, 7);

    // Loaded volumes keep their slots; seen marks and forget work by slot and by name.
    const b1 = entry.slot("B1");
    assert.equal(entry.at(b1), "row B1");
    assert.equal(entry.markSeen(b1), false);
    assert.equal(entry.markSeen(b1), true);
    assert.equal(entry.markSeen(slot), false);
    entry.forget("B1");
    assert.equal(entry.get("B1"), undefined);
    assert.equal(entry.slot("B1"), b1);
    entry.set("B1", "row B1 again");
    assert.equal(entry.get("B1"), "row B1 again");
    assert.equal(entry.size, 7);
  });
}

Deno.test("ScopeEntry takes volumes that sort differently in the store (non-binary collation) through its map", () => {
  // A store collating case-insensitively would deliver "a2" between "A1" and "B1".
  const { entry } = entryOf(["A1", "a2", "B1", "b2"]);
  for (const volume of ["A1", "a2", "B1", "b2"]) assert.equal(entry.get(volume), `row ${volume}`);
  assert.equal(entry.get("A2"), undefined);
  assert.equal(entry.size, 4);
});

Deno.test("ScopeEntry marks seen beyond its first 64 slots", () => {
  const volumes = Array.from({ length: 200 }, (_, i) => `V${String(i).padStart(4, "0")}`);
  const { entry } = entryOf(volumes);
  for (const volume of volumes) assert.equal(entry.markSeen(entry.slot(volume)), false, volume);
  for (const volume of volumes) assert.equal(entry.markSeen(entry.slot(volume)), true, volume);
});

Deno.test("ScopeEntry keeps pending changes by volume and a flag per slot, cleared when taken (with the entry now) or dropped", () => {
  const { entry } = entryOf(["A1", "A2", "A3"]);
  const [a1, a3, b9] = [entry.slot("A1"), entry.slot("A3"), entry.slot("B9")];
  for (const slot of [a1, a3, b9]) assert.equal(entry.hasPending(slot), false);
  entry.addPending(b9, null);
  entry.addPending(a3, "row A3");
  entry.addPending(a1, "row A1");
  assert.deepEqual([entry.hasPending(a1), entry.hasPending(a3), entry.hasPending(b9)], [true, true, true]);
  entry.dropPending(a3);
  assert.equal(entry.hasPending(a3), false);
  assert.equal(entry.markSeen(a1), false, "seen and pending are separate flags");
  entry.setAt(b9, "row B9");
  entry.setAt(a1, "row A1 changed");
  assert.deepEqual(entry.takePending(), [["A1", "row A1", "row A1 changed"], ["B9", null, "row B9"]]);
  assert.deepEqual([entry.hasPending(a1), entry.hasPending(b9), entry.pendingCount], [false, false, 0]);
  assert.equal(entry.markSeen(a1), true);
  assert.equal(entry.hasPending(1000), false, "a slot beyond the flags has no change");
});

/** Two different volumes with the same `volumeHash` (30 bits: found among a few ten thousand names). */
function collidingVolumes(): [string, string] {
  const byHash = new Map<number, string>();
  for (let i = 0;; i++) {
    const volume = `V${i}`;
    const other = byHash.get(volumeHash(volume));
    if (other !== undefined) return [other, volume];
    byHash.set(volumeHash(volume), volume);
  }
}

for (const loaded of [["A1", "B1"], ["B1", "A1"]]) {
  Deno.test(`ScopeEntry keeps volumes with the same hash apart (loaded ${loaded.join(",")})`, () => {
    const [first, second] = collidingVolumes();
    assert.notEqual(first, second);
    assert.equal(volumeHash(first), volumeHash(second));
    const { entry } = entryOf(loaded);
    const a = entry.slot(first);
    assert.equal(entry.get(second), undefined, "the second is not found through the first's hash");
    const b = entry.slot(second);
    assert.notEqual(a, b);
    entry.setAt(a, "row a");
    entry.setAt(b, "row b");
    assert.deepEqual([entry.slot(first), entry.slot(second)], [a, b]);
    assert.deepEqual([entry.get(first), entry.get(second)], ["row a", "row b"]);
    for (const volume of loaded) assert.equal(entry.get(volume), `row ${volume}`);
    entry.addPending(b, null);
    entry.addPending(a, null);
    assert.deepEqual(
      entry.takePending(),
      [first, second].sort().map((v) => [v, null, v === first ? "row a" : "row b"]),
    );
  });
}

Deno.test("ScopeEntry takes a change added again after it was dropped once", () => {
  const { entry } = entryOf(["A1", "A2"]);
  const a1 = entry.slot("A1");
  entry.addPending(a1, "row A1");
  entry.dropPending(a1);
  assert.equal(entry.pendingCount, 0);
  assert.equal(entry.pendingBefore(a1), undefined);
  entry.addPending(a1, "row A1");
  entry.setAt(a1, "row A1 new");
  assert.equal(entry.pendingBefore(a1), "row A1");
  assert.equal(entry.pendingCount, 1);
  assert.deepEqual(entry.takePending(), [["A1", "row A1", "row A1 new"]]);
  assert.deepEqual(entry.takePending(), []);
});
