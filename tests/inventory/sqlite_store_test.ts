/**
 * @module
 * Tests of the embedded SQLite inventory: the store contract suite on a real file in a temporary
 * directory, then what only SQLite has: schema version and migrations, read-only opens that leave the
 * file byte-identical, missing, corrupt and foreign files, and a second connection.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { InventoryUnavailableError } from "../../src/inventory/mod.ts";
import {
  APPLICATION_ID,
  migrate,
  MIGRATIONS,
  openSqliteInventory,
  readSchemaVersion,
  SCHEMA_VERSION,
} from "../../src/inventory/sqlite/mod.ts";
import { addBatch, loadAll, migratedAuditSteps, slotBatch, storeContractTests } from "./store_contract.ts";

storeContractTests("SqliteInventory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-store-" });
  const inventory = openSqliteInventory(`${dir}/inventory.db`);
  return {
    inventory,
    cleanup: async () => {
      try {
        await inventory.close();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  };
});

/** A child process that takes the write lock, says so, and holds it for 400 ms. */
const HOLD_LOCK = `
  import { DatabaseSync } from "node:sqlite";
  const db = new DatabaseSync(Deno.args[0], { timeout: 5000 });
  db.exec("BEGIN IMMEDIATE");
  console.log("locked");
  await new Promise((resolve) => setTimeout(resolve, 400));
  db.exec("COMMIT");
  db.close();
`;

/** Run `body` with a temporary directory that is removed afterwards. */
async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-store-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The .db hash and whether -wal and -shm exist. */
async function fileState(path: string): Promise<{ hash: string; wal: boolean; shm: boolean }> {
  return { hash: await sha256(path), wal: exists(`${path}-wal`), shm: exists(`${path}-shm`) };
}

Deno.test("openSqliteInventory() creates a new file with the current schema version", async (t) => {
  await withTempDir(async (dir) => {
    const path = `${dir}/new.db`;
    const inventory = openSqliteInventory(path);
    await inventory.close();
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      await t.step("the version table holds every migration", () => {
        assert.equal(readSchemaVersion(db), SCHEMA_VERSION);
        const rows = db.prepare("SELECT version FROM schema_version ORDER BY version").all();
        assert.deepEqual(rows.map((r) => r.version), Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      });
      await t.step("the file is marked as a tapesync database", () => {
        assert.equal(db.prepare("PRAGMA application_id").get()?.application_id, APPLICATION_ID);
      });
      await t.step("volumes are a WITHOUT ROWID table keyed by the scope's rowid and the volume", () => {
        const sql = String(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'volumes'").get()?.sql);
        assert.match(sql, /PRIMARY KEY \(scope, volume\)\s*\) WITHOUT ROWID/);
      });
      await t.step(
        "history is reachable by run (batches index) and by volume (changes clustered by scope)",
        () => {
          const names = db.prepare(
            "SELECT tbl_name, name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL",
          )
            .all().map((r) => `${r.tbl_name}.${r.name}`);
          assert.deepEqual(names, ["batches.batches_by_run"]);
          const sql = String(
            db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'volume_changes'").get()?.sql,
          );
          assert.match(sql, /PRIMARY KEY \(scope, volume, first_audit\)\s*\) WITHOUT ROWID/);
        },
      );
    } finally {
      db.close();
    }
  });
});

Deno.test("openSqliteInventory() adopts a file that holds only the server's account tables", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/accounts-first.db`;
    const accounts = new DatabaseSync(path);
    accounts.exec(
      "CREATE TABLE server_accounts (name TEXT PRIMARY KEY); INSERT INTO server_accounts VALUES ('ops')",
    );
    accounts.close();
    const inventory = openSqliteInventory(path);
    try {
      assert.equal((await inventory.applyBatch(addBatch("b1", ["AB0001"]))).added, 1);
    } finally {
      await inventory.close();
    }
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      assert.equal(readSchemaVersion(db), SCHEMA_VERSION);
      assert.deepEqual(db.prepare("SELECT name FROM server_accounts").all().map((r) => r.name), ["ops"]);
    } finally {
      db.close();
    }
  });
});

Deno.test("migrate() applies only the steps newer than the stored version, in order", async (t) => {
  await withTempDir(async (dir) => {
    const db = new DatabaseSync(`${dir}/m.db`);
    try {
      const steps = [
        { version: 1, name: "one", sql: "CREATE TABLE a (x)" },
        { version: 2, name: "two", sql: "CREATE TABLE b (x)" },
      ];
      await t.step("a new file gets every step", () => {
        assert.deepEqual(migrate(db, 1000, steps.slice(0, 1)), [1]);
        assert.equal(readSchemaVersion(db), 1);
      });
      await t.step("a later build adds the new step only", () => {
        assert.deepEqual(migrate(db, 2000, steps), [2]);
        assert.deepEqual(
          db.prepare("SELECT version, name, applied_at FROM schema_version").all().map((r) => ({ ...r })),
          [
            { version: 1, name: "one", applied_at: 1000 },
            { version: 2, name: "two", applied_at: 2000 },
          ],
        );
      });
      await t.step("a current file is left alone", () => {
        assert.deepEqual(migrate(db, 3000, steps), []);
      });
      await t.step("an older build refuses a newer file and rolls back", () => {
        assert.throws(() => migrate(db, 4000, steps.slice(0, 1)), RangeError);
        assert.equal(db.isTransaction, false);
      });
      await t.step("a failing step leaves the version where it was", () => {
        assert.throws(() =>
          migrate(db, 5000, [...steps, { version: 3, name: "bad", sql: "CREATE TABLE a (x)" }])
        );
        assert.equal(readSchemaVersion(db), 2);
      });
    } finally {
      db.close();
    }
  });
});

Deno.test("migration 2 turns per-field audit rows into one row per volume and batch", async (t) => {
  await withTempDir(async (dir) => {
    const path = `${dir}/v1.db`;
    const db = new DatabaseSync(path);
    migrate(db, 1000, MIGRATIONS.slice(0, 1));
    // What version 1 wrote for: b1 adds AB0001 (2 fields) and AB0002 (1 field); b2 updates AB0001.
    db.exec(`
      INSERT INTO scopes VALUES (1, 'ACME', 'LTO7');
      INSERT INTO runs VALUES (1, 'run-1'), (2, 'run-2');
      INSERT INTO batches VALUES (1, 'b1', 1, 1, 1700000000000, 1, 3, '{}'), (2, 'b2', 2, 1, 1700000001000, 4, 4, '{}');
      INSERT INTO audit VALUES (1, 1, 'AB0001', 'repository', NULL, 'LIB1'), (2, 1, 'AB0001', 'slot', NULL, '7'),
        (3, 1, 'AB0002', 'slot', NULL, '8'), (4, 2, 'AB0001', 'repository', 'LIB1', 'VAULT');
      INSERT INTO volume_changes VALUES (1, 'AB0001', 1, 2), (1, 'AB0002', 3, 3), (1, 'AB0001', 4, 4);
      INSERT INTO volumes VALUES ('ACME', 'LTO7', 'AB0001', '{"repository":"VAULT","slot":"7"}', 1700000001000),
        ('ACME', 'LTO7', 'AB0002', '{"slot":"8"}', 1700000000000);
    `);
    db.close();
    const inventory = openSqliteInventory(path);
    try {
      await migratedAuditSteps(inventory, t);
    } finally {
      await inventory.close();
    }
  });
});

Deno.test("migration 3 keys volumes by their scope's rowid and keeps every volume", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/v2.db`;
    const db = new DatabaseSync(path);
    migrate(db, 1000, MIGRATIONS.slice(0, 2));
    // Version 2 rows of two scopes; the second has no scopes row (written by no batch).
    db.exec(`
      INSERT INTO scopes VALUES (1, 'ACME', 'LTO7');
      INSERT INTO volumes VALUES ('ACME', 'LTO7', 'AB0002', '{"slot":"8"}', 1700000000000),
        ('ACME', 'LTO7', 'AB0001', '{"repository":"VAULT","slot":"7"}', 1700000001000),
        ('ACME', 'LTO8', 'CD0001', '{"slot":"1"}', 1700000002000);
    `);
    db.close();
    const inventory = openSqliteInventory(path);
    try {
      assert.deepEqual(await loadAll(inventory, { customer: "ACME", media: "LTO7" }), [
        { volume: "AB0001", fields: { repository: "VAULT", slot: "7" } },
        { volume: "AB0002", fields: { slot: "8" } },
      ]);
      assert.deepEqual(await loadAll(inventory, { customer: "ACME", media: "LTO8" }), [
        { volume: "CD0001", fields: { slot: "1" } },
      ]);
      const listed = (await inventory.listVolumes({})).volumes;
      assert.deepEqual(listed.map((v) => [v.media, v.volume, v.updatedAt]), [
        ["LTO7", "AB0001", "2023-11-14T22:13:21.000Z"],
        ["LTO7", "AB0002", "2023-11-14T22:13:20.000Z"],
        ["LTO8", "CD0001", "2023-11-14T22:13:22.000Z"],
      ]);
    } finally {
      await inventory.close();
    }
  });
});

Deno.test("an add keeps its audit row on the volume; only later changes write volume_changes rows", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/inventory.db`;
    const inventory = openSqliteInventory(path);
    try {
      await inventory.applyBatch(addBatch("b1", ["AB0001", "AB0002"]));
      await inventory.applyBatch(slotBatch("b2", "AB0001", "AB0001", "S9"));
      const history = (await inventory.history({ volume: "AB0001" })).entries;
      assert.deepEqual(history.map((e) => [e.batchId, e.field, e.old, e.new]), [
        ["b1", "slot", null, "AB0001"],
        ["b2", "slot", "AB0001", "S9"],
      ]);
      assert.deepEqual((await inventory.history({ volume: "AB0002" })).entries.map((e) => e.batchId), ["b1"]);
    } finally {
      await inventory.close();
    }
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const changes = db.prepare("SELECT volume FROM volume_changes").all().map((row) => row.volume);
      assert.deepEqual(changes, ["AB0001"]);
      const added = db.prepare("SELECT volume FROM volumes WHERE added_audit IS NOT NULL ORDER BY volume")
        .all();
      assert.deepEqual(added.map((row) => row.volume), ["AB0001", "AB0002"]);
    } finally {
      db.close();
    }
  });
});

Deno.test("openSqliteInventory() with readOnly leaves the file byte-identical and cannot write", async (t) => {
  await withTempDir(async (dir) => {
    const path = `${dir}/inventory.db`;
    const writer = openSqliteInventory(path);
    await writer.applyBatch(addBatch("b1", ["AB0001", "AB0002"]));
    await writer.close();

    const readSession = async () => {
      const reader = openSqliteInventory(path, { readOnly: true });
      try {
        assert.equal(reader.readOnly, true);
        const rows = await loadAll(reader);
        await reader.listVolumes({ customer: "ACME" });
        await reader.history({ volume: "AB0001" });
        await assert.rejects(reader.applyBatch(addBatch("b2", ["AB0003"])), TypeError);
        return rows.map((r) => r.volume);
      } finally {
        await reader.close();
      }
    };

    await t.step("after a clean close no -wal or -shm file is left and none is created", async () => {
      const before = await fileState(path);
      assert.deepEqual([before.wal, before.shm], [false, false]);
      assert.deepEqual(await readSession(), ["AB0001", "AB0002"]);
      assert.deepEqual(await fileState(path), before);
    });

    await t.step("with a WAL left by a writer that did not close, the reader sees its data", async () => {
      // A second handle keeps the file in WAL mode and holds the latest commit in the -wal file.
      const crashed = openSqliteInventory(path);
      await crashed.applyBatch(addBatch("b3", ["AB0009"]));
      const before = await fileState(path);
      assert.deepEqual([before.wal, before.shm], [true, true]);
      assert.deepEqual(await readSession(), ["AB0001", "AB0002", "AB0009"]);
      assert.deepEqual(await fileState(path), before);
      await crashed.close();
    });

    await t.step("a node:sqlite read-only handle, as the store opens, refuses writes itself", () => {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        assert.throws(() => db.exec("DELETE FROM volumes"), /readonly/);
      } finally {
        db.close();
      }
    });
  });
});

Deno.test("openSqliteInventory() refuses files it cannot use with InventoryUnavailableError", async (t) => {
  await withTempDir(async (dir) => {
    const foreign = new DatabaseSync(`${dir}/foreign.db`);
    foreign.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
    foreign.close();
    const newer = openSqliteInventory(`${dir}/newer.db`);
    await newer.close();
    const raw = new DatabaseSync(`${dir}/newer.db`);
    raw.exec(`INSERT INTO schema_version VALUES (${SCHEMA_VERSION + 1}, 'future', 0)`);
    raw.close();
    const corrupt = new Uint8Array(8192).fill(0x5a);
    await Deno.writeFile(`${dir}/corrupt.db`, corrupt);
    const truncated = openSqliteInventory(`${dir}/truncated.db`);
    await truncated.applyBatch(addBatch("b1", ["AB0001"]));
    await truncated.close();
    const whole = await Deno.readFile(`${dir}/truncated.db`);
    const damaged = whole.slice();
    damaged.fill(0xff, 100, whole.length);
    await Deno.writeFile(`${dir}/damaged.db`, damaged);
    await Deno.mkdir(`${dir}/folder.db`);
    await Deno.writeFile(`${dir}/empty.db`, new Uint8Array());

    const cases = [
      {
        name: "missing file, read-only",
        file: "missing.db",
        readOnly: true,
        want: /does not exist: check the path/,
      },
      { name: "not an SQLite file", file: "corrupt.db", readOnly: false, want: /not an SQLite database/ },
      {
        name: "not an SQLite file, read-only",
        file: "corrupt.db",
        readOnly: true,
        want: /not an SQLite database/,
      },
      {
        name: "damaged pages",
        file: "damaged.db",
        readOnly: true,
        want: /corrupt, restore it from a backup/,
      },
      { name: "another program's database", file: "foreign.db", readOnly: false, want: /another program/ },
      {
        name: "a newer schema",
        file: "newer.db",
        readOnly: true,
        want: new RegExp(
          `schema version ${SCHEMA_VERSION + 1} but this tapesync knows up to ${SCHEMA_VERSION}: upgrade`,
        ),
      },
      { name: "a directory", file: "folder.db", readOnly: false, want: /not a file/ },
      {
        name: "an empty file, read-only",
        file: "empty.db",
        readOnly: true,
        want: /holds no tapesync inventory yet/,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, () => {
        const path = `${dir}/${c.file}`;
        try {
          openSqliteInventory(path, { readOnly: c.readOnly });
          assert.fail("opened");
        } catch (e) {
          assert.ok(e instanceof InventoryUnavailableError, String(e));
          assert.equal(e.location, path);
          assert.match(e.message, c.want);
          assert.ok(e.message.startsWith(`Cannot open the inventory at "${path}": `), e.message);
          assert.equal(e.file, true);
        }
      });
    }
    await t.step("a read-only open of a missing file creates nothing", () => {
      assert.equal(exists(`${dir}/missing.db`), false);
    });
  });
});

Deno.test("SqliteInventory on two connections: the second sees committed data and replays", async (t) => {
  await withTempDir(async (dir) => {
    const path = `${dir}/shared.db`;
    const first = openSqliteInventory(path);
    const second = openSqliteInventory(path, { busyTimeoutMs: 2000 });
    const reader = openSqliteInventory(path, { readOnly: true });
    try {
      await first.applyBatch(addBatch("b1", ["AB0001"]));
      await t.step("a committed batch is visible to the other handles", async () => {
        assert.deepEqual((await loadAll(second)).map((r) => r.volume), ["AB0001"]);
        assert.deepEqual((await loadAll(reader)).map((r) => r.volume), ["AB0001"]);
      });
      await t.step("a batch id applied on one handle is a replay on the other", async () => {
        const again = await second.applyBatch(addBatch("b1", ["AB0001"]));
        assert.equal(again.replayed, true);
      });
      await t.step("a write waits for another process's transaction instead of failing", async () => {
        const holder = new Deno.Command(Deno.execPath(), {
          args: ["eval", HOLD_LOCK, path],
          stdout: "piped",
          stderr: "inherit",
        }).spawn();
        const lines = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
        assert.equal((await lines.read()).value?.trim(), "locked");
        const started = performance.now();
        const result = await second.applyBatch(addBatch("b2", ["AB0002"]));
        const waited = performance.now() - started;
        await lines.cancel();
        assert.equal((await holder.status).code, 0);
        assert.equal(result.added, 1);
        assert.ok(waited >= 200, `waited ${waited} ms`);
        assert.deepEqual((await loadAll(first)).map((r) => r.volume), ["AB0001", "AB0002"]);
      });
      await t.step("past the busy timeout the write fails with InventoryUnavailableError", async () => {
        const raw = new DatabaseSync(path);
        const impatient = openSqliteInventory(path, { busyTimeoutMs: 50 });
        try {
          raw.exec("BEGIN IMMEDIATE");
          await assert.rejects(
            impatient.applyBatch(addBatch("b3", ["AB0003"])),
            (e) =>
              e instanceof InventoryUnavailableError &&
              /another process kept the database locked/.test(e.message),
          );
        } finally {
          raw.exec("ROLLBACK");
          raw.close();
          await impatient.close();
        }
      });
    } finally {
      await reader.close();
      await second.close();
      await first.close();
    }
  });
});

Deno.test("SqliteInventory.applyBatch() is all or nothing and writes in volume order", async (t) => {
  await withTempDir(async (dir) => {
    const path = `${dir}/atomic.db`;
    const inventory = openSqliteInventory(path);
    try {
      await t.step(
        "a batch failing on its last audit row leaves no volume, audit row or batch record",
        async () => {
          // A trigger fails the last audit insert, after the volume rows were written.
          const raw = new DatabaseSync(path);
          raw.exec(`CREATE TRIGGER fail_last BEFORE INSERT ON audit WHEN NEW.volume = 'AB0003'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
          try {
            await assert.rejects(
              inventory.applyBatch(addBatch("b1", ["AB0001", "AB0002", "AB0003"])),
              /injected failure/,
            );
          } finally {
            raw.exec("DROP TRIGGER fail_last");
            raw.close();
          }
          assert.deepEqual(await loadAll(inventory), []);
          assert.deepEqual((await inventory.history({})).entries, []);
        },
      );
      await t.step("the same batch id applies afterwards, as it was never recorded", async () => {
        const result = await inventory.applyBatch(addBatch("b1", ["AB0003", "AB0001", "AB0002"]));
        assert.deepEqual([result.added, result.replayed], [3, false]);
      });
      await t.step("audit ids follow volume order, not input order", async () => {
        const entries = (await inventory.history({})).entries;
        assert.deepEqual(entries.map((e) => e.volume), ["AB0001", "AB0002", "AB0003"]);
      });
      await t.step("a volume named twice in one batch: the second change sees the first", async () => {
        const result = await inventory.applyBatch({
          id: "b2",
          runId: "run-1",
          customer: "ACME",
          media: "LTO7",
          changes: [
            { volume: "AB0001", op: "update", changes: { slot: { old: "AB0001", new: "X" } } },
            { volume: "AB0001", op: "update", changes: { slot: { old: "X", new: "Y" } } },
          ],
        });
        assert.deepEqual([result.updated, result.fieldsChanged, result.conflicts], [2, 2, []]);
        assert.deepEqual((await loadAll(inventory))[0], { volume: "AB0001", fields: { slot: "Y" } });
        const history = await inventory.history({ volume: "AB0001", runId: "run-1" });
        assert.deepEqual(history.entries.map((e) => [e.old, e.new]), [[null, "AB0001"], ["AB0001", "X"], [
          "X",
          "Y",
        ]]);
      });
    } finally {
      await inventory.close();
    }
  });
});

Deno.test("the audit_entries view shows the audit rows as history() returns them", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/view.db`;
    const inventory = openSqliteInventory(path);
    try {
      await inventory.applyBatch(addBatch("b1", ["AB0001", "AB0002"]));
      await inventory.applyBatch(slotBatch("b2", "AB0002", "AB0002", null));
      const entries = (await inventory.history({})).entries;
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        const rows = db.prepare("SELECT * FROM audit_entries ORDER BY id").all().map((r) => ({ ...r }));
        assert.deepEqual(
          rows,
          entries.map((e) => ({
            id: e.id,
            at: e.at,
            run_id: e.runId,
            batch_id: e.batchId,
            customer: e.customer,
            media: e.media,
            volume: e.volume,
            field: e.field,
            old: e.old,
            new: e.new,
          })),
        );
        assert.equal(rows.length, 3);
      } finally {
        db.close();
      }
    } finally {
      await inventory.close();
    }
  });
});

Deno.test("SqliteInventory.listVolumes() and history() reject a bad limit or a foreign cursor", async (t) => {
  await withTempDir(async (dir) => {
    const inventory = openSqliteInventory(`${dir}/paging.db`);
    try {
      await inventory.applyBatch(addBatch("b1", ["AB0001", "AB0002"]));
      const volumeCursor = (await inventory.listVolumes({ limit: 1 })).next;
      const historyCursor = (await inventory.history({ limit: 1 })).next;
      const cases = [
        {
          name: "zero limit",
          call: () => inventory.listVolumes({ limit: 0 }),
          want: /"limit" must be a positive integer/,
        },
        {
          name: "fractional limit",
          call: () => inventory.history({ limit: 1.5 }),
          want: /"limit" must be a positive/,
        },
        {
          name: "garbage cursor",
          call: () => inventory.listVolumes({ after: "%%%" }),
          want: /"after" must be the "next"/,
        },
        {
          name: "history cursor for volumes",
          call: () => inventory.listVolumes({ after: historyCursor }),
          want: /"after"/,
        },
        {
          name: "volume cursor for history",
          call: () => inventory.history({ after: volumeCursor }),
          want: /"after"/,
        },
      ];
      for (const c of cases) {
        await t.step(c.name, async () => {
          await assert.rejects(c.call(), (e) => e instanceof RangeError && c.want.test(e.message));
        });
      }
      await t.step("a limit above 10,000 is lowered, not refused", async () => {
        assert.equal((await inventory.listVolumes({ limit: 1_000_000 })).volumes.length, 2);
      });
    } finally {
      await inventory.close();
    }
  });
});
