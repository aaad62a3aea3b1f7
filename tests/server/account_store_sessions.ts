/**
 * @module
 * The session checks every account store must pass (SQLite and PostgreSQL run them unchanged): a live
 * session gives its account in one lookup, an expired or unknown one nothing, and a new password or a
 * removed account ends the sessions.
 */
import assert from "node:assert/strict";
import type { AccountStore, StoredAccount } from "../../src/server/mod.ts";

/** Two accounts the session steps add to an empty store. */
export const alice: StoredAccount = {
  name: "alice",
  role: "sync",
  customers: ["ACME", "BETA"],
  passwordHash: "h1",
  createdAt: "2026-11-25T06:00:00.000Z",
};
export const bob: StoredAccount = {
  name: "bob",
  role: "read",
  customers: null,
  passwordHash: "h2",
  createdAt: "2026-11-25T06:01:00.000Z",
};

/** Run the session steps on an empty store. */
export async function sessionSteps(store: AccountStore, t: Deno.TestContext): Promise<void> {
  await store.add(alice);
  await store.add(bob);
  await store.createSession({ tokenHash: "t-alice", user: "alice", expiresAt: 2_000 });
  await store.createSession({ tokenHash: "t-bob", user: "bob", expiresAt: 2_000 });
  await t.step("a live session gives its account, an expired or unknown one nothing", async () => {
    assert.deepEqual(await store.sessionAccount("t-alice", 1_999), alice);
    assert.deepEqual(await store.sessionAccount("t-bob", 1_999), bob);
    assert.equal(await store.sessionAccount("t-alice", 2_000), undefined);
    assert.equal(await store.sessionAccount("t-nobody", 0), undefined);
  });
  await t.step("setPassword replaces the hash and ends the sessions", async () => {
    assert.equal(await store.setPassword("alice", "h9"), true);
    assert.equal((await store.get("alice"))?.passwordHash, "h9");
    assert.equal(await store.sessionAccount("t-alice", 0), undefined);
    assert.equal(await store.setPassword("nobody", "h9"), false);
  });
  await t.step("remove deletes the account and its sessions", async () => {
    assert.equal(await store.remove("bob"), true);
    assert.equal(await store.get("bob"), undefined);
    assert.equal(await store.sessionAccount("t-bob", 0), undefined);
    assert.equal(await store.remove("bob"), false);
  });
}
