import assert from "node:assert/strict";
import { SqliteAccountStore } from "../../src/server/mod.ts";
import { alice, bob, sessionSteps } from "./account_store_sessions.ts";

async function withStore(work: (store: SqliteAccountStore, path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-accounts-" });
  const store = new SqliteAccountStore(`${dir}/inventory.db`);
  try {
    await work(store, `${dir}/inventory.db`);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("SqliteAccountStore keeps accounts and lists them without password hashes", async (t) => {
  await withStore(async (store, path) => {
    await t.step("an empty store counts none", async () => assert.equal(await store.count(), 0));
    await t.step("add refuses a second account of one name", async () => {
      assert.equal(await store.add(bob), true);
      assert.equal(await store.add(alice), true);
      assert.equal(await store.add({ ...alice, role: "admin" }), false);
    });
    await t.step("list is ordered by name and has no hash", async () => {
      assert.deepEqual(await store.list(), [
        { name: "alice", role: "sync", customers: ["ACME", "BETA"], createdAt: "2026-11-25T06:00:00.000Z" },
        { name: "bob", role: "read", customers: null, createdAt: "2026-11-25T06:01:00.000Z" },
      ]);
    });
    await t.step("get returns the hash", async () => assert.deepEqual(await store.get("alice"), alice));
    await t.step("a second connection to the file sees the same accounts", async () => {
      const other = new SqliteAccountStore(path);
      try {
        assert.equal(await other.count(), 2);
      } finally {
        await other.close();
      }
    });
  });
});

Deno.test("SqliteAccountStore ends sessions when the password changes or the account goes", async (t) => {
  await withStore(async (store) => await sessionSteps(store, t));
});

Deno.test("SqliteAccountStore counts failures within a window", async (t) => {
  await withStore(async (store) => {
    const cases = [
      { name: "the first failure", at: 1_000, want: { count: 1, lastAt: 1_000 } },
      { name: "a second one inside the window", at: 5_000, want: { count: 2, lastAt: 5_000 } },
      { name: "one after the window starts again", at: 5_000 + 60_001, want: { count: 1, lastAt: 65_001 } },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        assert.deepEqual(await store.recordFailure("user:alice", c.at, 60_000), c.want);
        assert.deepEqual(await store.failures("user:alice"), c.want);
      });
    }
    await t.step("clearFailures forgets the key only", async () => {
      await store.recordFailure("addr:10.0.0.1", 1, 60_000);
      await store.clearFailures("user:alice");
      assert.equal(await store.failures("user:alice"), undefined);
      assert.deepEqual(await store.failures("addr:10.0.0.1"), { count: 1, lastAt: 1 });
    });
  });
});
