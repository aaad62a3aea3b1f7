import assert from "node:assert/strict";
import { BatchSender, MAX_IN_FLIGHT } from "../../src/engine/batch_sender.ts";
import { emptyStats, ScopeEntry } from "../../src/engine/mod.ts";
import type { BatchResult, ChangeBatch, Inventory, VolumeChange } from "../../src/inventory/mod.ts";

/** An inventory whose batches stay unanswered until the test answers them. */
class HeldInventory {
  readonly held: { batch: ChangeBatch; answer: () => void; fail: (error: Error) => void }[] = [];
  readonly order: string[] = [];
  inFlight = 0;
  maxInFlight = 0;

  applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    this.order.push(`${batch.customer}:${batch.id}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      const done = () => this.inFlight--;
      this.held.push({
        batch,
        answer: () => {
          done();
          resolve({
            batchId: batch.id,
            added: batch.changes.length,
            updated: 0,
            fieldsChanged: 0,
            conflicts: [],
            replayed: false,
          });
        },
        fail: (error) => {
          done();
          reject(error);
        },
      });
    });
  }

  /** Answer the oldest unanswered batch of a customer. */
  answer(customer: string): void {
    const at = this.held.findIndex((held) => held.batch.customer === customer);
    assert.ok(at >= 0, `no batch of ${customer} in flight`);
    this.held.splice(at, 1)[0].answer();
  }
}

function entry(customer: string): ScopeEntry {
  return new ScopeEntry(`${customer}\x1fM`, { customer, media: "M" }, { volumes: 0 });
}

const change: VolumeChange[] = [{ volume: "V1", op: "add", changes: {} }];

/** Let every settled promise run its reactions. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function senderOver(inventory: HeldInventory): { sender: BatchSender; stats: ReturnType<typeof emptyStats> } {
  const stats = emptyStats("run", false);
  return { sender: new BatchSender(inventory as unknown as Inventory, "run", stats), stats };
}

Deno.test("BatchSender keeps two batches of different scopes in flight, and waits for a free place", async () => {
  assert.equal(MAX_IN_FLIGHT, 2);
  const inventory = new HeldInventory();
  const { sender, stats } = senderOver(inventory);
  await sender.send(entry("A"), change);
  await sender.send(entry("B"), change);
  assert.equal(inventory.inFlight, 2);
  let third = false;
  const sending = sender.send(entry("C"), change).then(() => third = true);
  await tick();
  assert.equal(third, false, "a third batch waits while two are in flight");
  inventory.answer("B");
  await sending;
  assert.equal(inventory.inFlight, 2);
  inventory.answer("A");
  inventory.answer("C");
  await sender.drain();
  assert.equal(inventory.maxInFlight, 2);
  assert.equal(stats.batchesApplied, 3);
  assert.equal(stats.volumesAdded, 3);
  assert.deepEqual(inventory.order, ["A:run-000001", "B:run-000002", "C:run-000003"]);
});

Deno.test("BatchSender never has two batches of one scope in flight, even from a reloaded scope entry", async () => {
  const inventory = new HeldInventory();
  const { sender } = senderOver(inventory);
  await sender.send(entry("A"), change);
  let second = false;
  const sending = sender.send(entry("A"), change).then(() => second = true);
  await tick();
  assert.equal(second, false, "the scope's second batch waits for its first");
  assert.equal(inventory.inFlight, 1);
  inventory.answer("A");
  await sending;
  assert.equal(inventory.inFlight, 1);
  inventory.answer("A");
  await sender.drain();
  assert.equal(inventory.maxInFlight, 1);
});

Deno.test("BatchSender rethrows a failed batch once, from the next send or drain, and sends nothing after it", async () => {
  const inventory = new HeldInventory();
  const { sender, stats } = senderOver(inventory);
  await sender.send(entry("A"), change);
  await sender.send(entry("B"), change);
  inventory.held.splice(0, 1)[0].fail(new Error("server down"));
  await tick();
  await assert.rejects(sender.send(entry("C"), change), /server down/);
  assert.equal(inventory.order.length, 2, "no batch is sent after a failure");
  inventory.answer("B");
  await sender.drain();
  assert.equal(stats.batchesApplied, 1);

  const again = senderOver(new HeldInventory());
  await again.sender.send(entry("A"), change);
  const held = (again.sender.inventory as unknown as HeldInventory).held;
  held[0].fail(new Error("bad password"));
  await assert.rejects(again.sender.drain(), /bad password/);
  await again.sender.drain();
});
