/**
 * @module
 * Tests of the PostgreSQL inventory: the store contract suite unchanged, each test in a schema of its
 * own, then what only PostgreSQL has: migrations under a lock, several connections writing one scope at
 * once, bulk batches in a fixed number of statements, the location without secrets and an unreachable
 * server. Skipped with the reason when no PostgreSQL is reachable (see `postgres_fixture.ts`).
 */
import assert from "node:assert/strict";
import { postgres } from "../../src/deps/postgres.ts";
import { InventoryUnavailableError } from "../../src/inventory/mod.ts";
import type { Inventory } from "../../src/inventory/mod.ts";
import {
  migratePostgres,
  openPostgresInventory,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
  postgresLocation,
  readPostgresSchemaVersion,
} from "../../src/inventory/postgres/mod.ts";
import { createPgSchema, PG_URL, pgSkipReason, skipPgGroup } from "./postgres_fixture.ts";
import { addBatch, loadAll, migratedAuditSteps, storeContractTests } from "./store_contract.ts";

Deno.test("postgresLocation() drops user, password and query", async (t) => {
  const cases = [
    { url: "postgres://ops:s3cret@db.example:5432/tapesync", want: "postgres://db.example:5432/tapesync" },
    { url: "postgresql://ops@db/tapesync?sslmode=require", want: "postgres://db/tapesync" },
    { url: "postgres://127.0.0.1:25432/x", want: "postgres://127.0.0.1:25432/x" },
  ];
  for (const c of cases) {
    await t.step(c.url.replace(/:[^:@/]*@/, ":***@"), () => assert.equal(postgresLocation(c.url), c.want));
  }
  await t.step("another scheme is a TypeError", () => {
    assert.throws(() => postgresLocation("mysql://db/x"), TypeError);
  });
});

Deno.test("openPostgresInventory() names an unreachable server without the password", async () => {
  const url = "postgres://ops:TopSecret9@127.0.0.1:1/tapesync";
  await assert.rejects(openPostgresInventory(url), (e) => {
    assert.ok(e instanceof InventoryUnavailableError, String(e));
    assert.equal(e.location, "postgres://127.0.0.1:1/tapesync");
    assert.match(e.message, /did not answer \(ECONNREFUSED\)/);
    assert.ok(!e.message.includes("TopSecret9") && !e.message.includes("ops"), e.message);
    return true;
  });
});

if (pgSkipReason !== undefined) {
  skipPgGroup("PostgresInventory store contract and PostgreSQL-only behaviour");
} else {
  const url = PG_URL as string;

  storeContractTests("PostgresInventory", async () => {
    const { schema, drop } = await createPgSchema();
    const inventory = await openPostgresInventory(url, { schema, migrate: true, maxConnections: 3 });
    return {
      inventory,
      cleanup: async () => {
        try {
          await inventory.close();
        } finally {
          await drop();
        }
      },
    };
  });

  Deno.test("openPostgresInventory() migrates once and refuses a schema it cannot use", async (t) => {
    const { schema, drop } = await createPgSchema();
    const admin = postgres(url, { max: 1, onnotice: () => {}, connection: { search_path: schema } });
    try {
      await t.step("an empty schema is refused without --migrate, with the advice", async () => {
        await assert.rejects(
          openPostgresInventory(url, { schema }),
          (e) => e instanceof InventoryUnavailableError && /start once with --migrate/.test(e.message),
        );
      });
      await t.step("three opens with migrate at once apply the migrations once", async () => {
        const opened = await Promise.all(
          [1, 2, 3].map(() => openPostgresInventory(url, { schema, migrate: true, maxConnections: 1 })),
        );
        await Promise.all(opened.map((inventory) => inventory.close()));
        const rows = await admin`SELECT version FROM tapesync_schema_version ORDER BY version`;
        assert.deepEqual(
          rows.map((r) => r.version),
          Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1),
        );
        assert.equal(await readPostgresSchemaVersion(admin), POSTGRES_SCHEMA_VERSION);
      });
      await t.step("a later build adds only its new step", async () => {
        const next = {
          version: POSTGRES_SCHEMA_VERSION + 1,
          name: "test",
          sql: "CREATE TABLE extra (x int)",
        };
        assert.deepEqual(await migratePostgres(admin, 1, [next]), [POSTGRES_SCHEMA_VERSION + 1]);
        assert.deepEqual(await migratePostgres(admin, 2, [next]), []);
      });
      await t.step("a newer schema is refused with advice to upgrade", async () => {
        await assert.rejects(
          openPostgresInventory(url, { schema }),
          (e) =>
            e instanceof InventoryUnavailableError &&
            e.message.includes(`knows up to ${POSTGRES_SCHEMA_VERSION}: upgrade tapesync`),
        );
      });
    } finally {
      await admin.end({ timeout: 1 });
      await drop();
    }
  });

  Deno.test("migration 2 turns per-field audit rows into one row per volume and batch", async (t) => {
    const { schema, drop } = await createPgSchema();
    const admin = postgres(url, { max: 1, onnotice: () => {}, connection: { search_path: schema } });
    let inventory: Inventory | undefined;
    try {
      await migratePostgres(admin, 1, POSTGRES_MIGRATIONS.slice(0, 1));
      // What version 1 wrote for: b1 adds AB0001 (2 fields) and AB0002 (1 field); b2 updates AB0001.
      await admin.unsafe(`
        INSERT INTO scopes (customer, media) VALUES ('ACME', 'LTO7');
        INSERT INTO runs (run_id) VALUES ('run-1'), ('run-2');
        INSERT INTO batches (batch_id, run, scope, applied_at, result)
          VALUES ('b1', 1, 1, 1700000000000, '{}'), ('b2', 2, 1, 1700000001000, '{}');
        INSERT INTO audit (batch, volume, field, old, new) VALUES (1, 'AB0001', 'repository', NULL, 'LIB1'),
          (1, 'AB0001', 'slot', NULL, '7'), (1, 'AB0002', 'slot', NULL, '8'), (2, 'AB0001', 'repository', 'LIB1', 'VAULT');
        INSERT INTO volumes VALUES ('ACME', 'LTO7', 'AB0001', '{"repository":"VAULT","slot":"7"}', 1700000001000),
          ('ACME', 'LTO7', 'AB0002', '{"slot":"8"}', 1700000000000);
      `);
      inventory = await openPostgresInventory(url, { schema, migrate: true });
      const store = inventory;
      await migratedAuditSteps(store, t);
      await t.step("the audit_entries view shows what history() returns", async () => {
        const rows = await admin`SELECT id, volume, field, old, new FROM audit_entries ORDER BY id`;
        const entries = (await store.history({})).entries;
        assert.deepEqual(
          rows.map((r) => [Number(r.id), r.volume, r.field, r.old, r.new]),
          entries.map((e) => [e.id, e.volume, e.field, e.old, e.new]),
        );
      });
    } finally {
      await inventory?.close();
      await admin.end({ timeout: 1 });
      await drop();
    }
  });

  Deno.test("PostgresInventory on several connections: one scope written at once stays consistent", async (t) => {
    const { schema, drop } = await createPgSchema();
    const stores: Inventory[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        stores.push(await openPostgresInventory(url, { schema, migrate: i === 0, maxConnections: 2 }));
      }
      const [a, b, c] = stores;
      await t.step(
        "the same add sent to three connections at once: one adds, two report exists",
        async () => {
          const results = await Promise.all(
            stores.map((s, i) => s.applyBatch(addBatch(`race-${i}`, ["V1", "V2"]))),
          );
          assert.deepEqual(results.map((r) => r.added).sort(), [0, 0, 2]);
          assert.deepEqual(results.map((r) => r.conflicts.length).sort(), [0, 2, 2]);
          assert.equal((await a.history({})).entries.length, 2);
        },
      );
      await t.step("one batch id sent to three connections at once is applied once", async () => {
        const batch = addBatch("once", ["V3", "V4", "V5"]);
        const results = await Promise.all(stores.map((s) => s.applyBatch(batch)));
        assert.deepEqual(results.map((r) => r.replayed).sort(), [false, true, true]);
        assert.ok(results.every((r) => r.added === 3));
        assert.equal((await b.history({ volume: "V3" })).entries.length, 1);
      });
      await t.step("updates from the same old value: exactly one wins, the others conflict", async () => {
        const results = await Promise.all(stores.map((s, i) =>
          s.applyBatch({
            id: `upd-${i}`,
            runId: `run-${i}`,
            customer: "ACME",
            media: "LTO7",
            changes: [{ volume: "V1", op: "update", changes: { slot: { old: "V1", new: `S${i}` } } }],
          })
        ));
        assert.deepEqual(results.map((r) => r.updated).sort(), [0, 0, 1]);
        const winner = results.findIndex((r) => r.updated === 1);
        const rows = await loadAll(c);
        assert.deepEqual(rows[0], { volume: "V1", fields: { slot: `S${winner}` } });
        const losers = results.filter((r) => r.updated === 0).map((r) => r.conflicts[0]);
        assert.deepEqual(
          losers,
          [0, 1].map(() => ({
            volume: "V1",
            field: "slot",
            expected: "V1",
            actual: `S${winner}`,
            reason: "changed",
          })),
        );
      });
    } finally {
      for (const store of stores) await store.close();
      await drop();
    }
  });

  Deno.test("PostgresInventory: batches of one run applied at once keep one audit range each, and history by run pages through all", async () => {
    const { schema, drop } = await createPgSchema();
    // Two instances of one database, several connections each, as behind a load balancer.
    const stores = [
      await openPostgresInventory(url, { schema, migrate: true, maxConnections: 4 }),
      await openPostgresInventory(url, { schema, maxConnections: 4 }),
    ];
    try {
      const batches = Array.from({ length: 24 }, (_, i) => ({
        id: `par-${String(i).padStart(2, "0")}`,
        runId: "run-par",
        customer: "ACME",
        media: `M${i}`,
        changes: Array.from({ length: 25 }, (_, v) => ({
          volume: `V${String(v).padStart(3, "0")}`,
          op: "add" as const,
          changes: { slot: { old: null, new: `S${i}-${v}` } },
        })),
      }));
      const results = await Promise.all(batches.map((b, i) => stores[i % 2].applyBatch(b)));
      assert.ok(results.every((r) => r.added === 25 && !r.replayed));
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const ranges = await sql.unsafe(
          `SELECT first_audit::int AS first, last_audit::int AS last FROM ${schema}.batches
            WHERE run = (SELECT id FROM ${schema}.runs WHERE run_id = 'run-par') ORDER BY first_audit`,
        );
        assert.equal(ranges.length, 24);
        for (let i = 0; i < ranges.length; i++) {
          assert.equal(ranges[i].last - ranges[i].first, 24, "each batch's 25 audit ids are one range");
          if (i > 0) assert.ok(ranges[i].first > ranges[i - 1].last, "ranges never interleave");
        }
      } finally {
        await sql.end();
      }
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await stores[1].history({ runId: "run-par", limit: 7, after });
        seen.push(...result.entries.map((e) => `${e.media}/${e.volume}`));
        if (result.next === undefined) break;
        after = result.next;
      }
      assert.equal(seen.length, 24 * 25);
      assert.equal(new Set(seen).size, 24 * 25, "every audit row once");
    } finally {
      for (const store of stores) await store.close();
      await drop();
    }
  });

  Deno.test("PostgresInventory: a run whose row is gone from under the server is made again", async () => {
    const { schema, drop } = await createPgSchema();
    const inventory = await openPostgresInventory(url, { schema, migrate: true, maxConnections: 2 });
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      assert.equal((await inventory.applyBatch(addBatch("gone-1", ["G1"]))).added, 1);
      // A restore of an older dump under a running server: the run's batches and row are gone.
      await sql.unsafe(
        `DELETE FROM ${schema}.audit; DELETE FROM ${schema}.batches; DELETE FROM ${schema}.runs`,
      );
      const result = await inventory.applyBatch(addBatch("gone-2", ["G2"]));
      assert.equal(result.added, 1);
      assert.deepEqual((await inventory.history({ runId: "run-1" })).entries.map((e) => e.volume), ["G2"]);
    } finally {
      await sql.end();
      await inventory.close();
      await drop();
    }
  });

  Deno.test("PostgresInventory.applyBatch(): a statement that fails rolls the whole batch back", async () => {
    const { schema, drop } = await createPgSchema();
    const inventory = await openPostgresInventory(url, { schema, migrate: true, maxConnections: 1 });
    try {
      // PostgreSQL text cannot hold NUL: the volume INSERT fails after the claim and the read succeeded,
      // with the COMMIT already sent behind it.
      await assert.rejects(inventory.applyBatch(addBatch("b-bad", ["OK1", "BAD\u0000"])));
      assert.deepEqual(await loadAll(inventory), []);
      // The batch id was not kept, and the one connection serves the next batch.
      const result = await inventory.applyBatch(addBatch("b-bad", ["OK1"]));
      assert.deepEqual([result.added, result.replayed], [1, false]);
      assert.deepEqual((await loadAll(inventory)).map((row) => row.volume), ["OK1"]);
    } finally {
      await inventory.close();
      await drop();
    }
  });

  Deno.test("PostgresInventory.applyBatch() writes 20,000 volumes in a fixed number of statements", async (t) => {
    const { schema, drop } = await createPgSchema();
    const statements: string[] = [];
    const inventory = await openPostgresInventory(url, {
      schema,
      migrate: true,
      maxConnections: 1,
      onStatement: (text) => statements.push(text.trim().split(/\s+/)[0]),
    });
    try {
      for (const size of [10, 20_000]) {
        await t.step(`${size} adds`, async () => {
          const volumes = Array.from({ length: size }, (_, i) => `V${size}-${String(i).padStart(6, "0")}`);
          statements.length = 0;
          const result = await inventory.applyBatch(addBatch(`bulk-${size}`, volumes));
          assert.deepEqual([result.added, result.fieldsChanged], [size, size]);
          // begin, claim, volumes, the run's lock, audit rows with the result, commit: the same six for any
          // size (adds are not looked up first); the run's row is made once, by its first batch, before it.
          const run = size === 10 ? ["INSERT"] : [];
          assert.deepEqual(statements, [...run, "begin", "WITH", "INSERT", "SELECT", "WITH", "commit"]);
        });
      }
      await t.step("new volumes by INSERT, stored ones by upsert: one statement more", async () => {
        statements.length = 0;
        const result = await inventory.applyBatch({
          id: "mixed",
          runId: "run-1",
          customer: "ACME",
          media: "LTO7",
          changes: [
            { volume: "V10-000003", op: "update", changes: { slot: { old: "V10-000003", new: "moved" } } },
            { volume: "V10-NEW", op: "add", changes: { slot: { old: null, new: "new" } } },
          ],
        });
        assert.deepEqual([result.added, result.updated, result.conflicts], [1, 1, []]);
        assert.deepEqual(statements, [
          "begin",
          "WITH",
          "SELECT",
          "INSERT",
          "INSERT",
          "SELECT",
          "WITH",
          "commit",
        ]);
        const rows = new Map((await loadAll(inventory)).map((row) => [row.volume, row.fields.slot]));
        assert.deepEqual([rows.get("V10-000003"), rows.get("V10-NEW"), rows.get("V10-000004")], [
          "moved",
          "new",
          "V10-000004",
        ]);
      });
      await t.step(
        "an add of a volume that is there fails on the key and is applied again, reading all",
        async () => {
          statements.length = 0;
          const result = await inventory.applyBatch(addBatch("stale", ["V10-000005", "V10-NEW2"]));
          assert.deepEqual([result.added, result.conflicts.map((c) => [c.volume, c.reason])], [1, [[
            "V10-000005",
            "exists",
          ]]]);
          assert.deepEqual(statements, [
            ...["begin", "WITH", "INSERT", "SELECT", "WITH", "commit", "rollback"],
            ...["begin", "WITH", "SELECT", "INSERT", "SELECT", "WITH", "commit"],
          ]);
          const rows = new Map((await loadAll(inventory)).map((row) => [row.volume, row.fields.slot]));
          assert.deepEqual([rows.get("V10-000005"), rows.get("V10-NEW2")], ["V10-000005", "V10-NEW2"]);
        },
      );
      await t.step(
        "a scope of 20,012 loads its first chunk with one query and the rest through one cursor statement",
        async () => {
          statements.length = 0;
          const volumes = (await loadAll(inventory)).map((row) => row.volume);
          assert.equal(volumes.length, 20_012);
          assert.equal(new Set(volumes).size, 20_012);
          assert.ok(volumes.every((volume, i) => i === 0 || volumes[i - 1] < volume), "in volume order");
          assert.deepEqual(statements, ["SELECT", "SELECT"]);
        },
      );
      await t.step("a scope that fits in one chunk, or an empty one, is one query", async () => {
        statements.length = 0;
        const small = await loadAll(inventory, { customer: "ACME", media: "LTO9-NONE" });
        assert.deepEqual([small.length, statements], [0, ["SELECT"]]);
      });
    } finally {
      await inventory.close();
      await drop();
    }
  });
}
