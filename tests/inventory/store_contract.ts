/**
 * @module
 * The behaviour every `Inventory` store must show, as a reusable suite: the SQLite store runs it, and
 * the HTTP client and the PostgreSQL store run it unchanged. It uses only the `Inventory` interface.
 */
import assert from "node:assert/strict";
import type {
  AuditEntry,
  BatchResult,
  ChangeBatch,
  FieldValues,
  HistoryQuery,
  Inventory,
  ScopeKey,
  Volume,
  VolumeChange,
  VolumeRow,
} from "../../src/inventory/mod.ts";

/** A fresh, empty store and how to dispose of it. */
export interface StoreUnderTest {
  inventory: Inventory;
  cleanup: () => Promise<void>;
}

const ACME_LTO7: ScopeKey = { customer: "ACME", media: "LTO7" };
const ACME_LTO8: ScopeKey = { customer: "ACME", media: "LTO8" };
const BETA_LTO7: ScopeKey = { customer: "BETA", media: "LTO7" };

/**
 * Register the store contract tests with `Deno.test`.
 * @param name the store's name, prefixed to every test name
 * @param makeStore returns a new empty store for each test
 * @example
 * ```ts
 * storeContractTests("SqliteInventory", async () => { ... return { inventory, cleanup }; });
 * ```
 */
export function storeContractTests(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  const test = (title: string, body: (inventory: Inventory, t: Deno.TestContext) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async (t) => {
      const store = await makeStore();
      try {
        await store.inventory.logon();
        await body(store.inventory, t);
      } finally {
        await store.cleanup();
      }
    });

  test("applyBatch() adds volumes and loadScope() returns them ordered by volume", async (inventory, t) => {
    await t.step("an empty scope loads no rows", async () => {
      assert.deepEqual(await loadAll(inventory, ACME_LTO7), []);
    });
    await t.step("adds report counts and write every field", async () => {
      const result = await inventory.applyBatch(batch("b-add", ACME_LTO7, [
        add("AB0002", { repository: "VAULT", slot: "12" }),
        add("AB0001", { repository: "LIB1", description: "daily" }),
        add("AB0003", {}),
      ]));
      assert.deepEqual(result, {
        batchId: "b-add",
        added: 3,
        updated: 0,
        fieldsChanged: 4,
        conflicts: [],
        replayed: false,
      });
    });
    await t.step("the scope load returns each volume once, sorted", async () => {
      assert.deepEqual(await loadAll(inventory, ACME_LTO7), [
        { volume: "AB0001", fields: { repository: "LIB1", description: "daily" } },
        { volume: "AB0002", fields: { repository: "VAULT", slot: "12" } },
        { volume: "AB0003", fields: {} },
      ]);
    });
    await t.step("another scope stays empty", async () => {
      assert.deepEqual(await loadAll(inventory, ACME_LTO8), []);
    });
  });

  test("applyBatch() update changes only the named fields", async (inventory, t) => {
    await inventory.applyBatch(batch("b1", ACME_LTO7, [
      add("AB0001", { repository: "LIB1", slot: "1", description: "keep me" }),
      add("AB0002", { repository: "LIB1", slot: "2" }),
    ]));
    const result = await inventory.applyBatch(batch("b2", ACME_LTO7, [
      update("AB0001", { repository: ["LIB1", "VAULT"], moveDate: [null, "2024-03-01"] }),
    ]));
    await t.step("counts one volume and two fields", () => {
      assert.deepEqual(result, {
        batchId: "b2",
        added: 0,
        updated: 1,
        fieldsChanged: 2,
        conflicts: [],
        replayed: false,
      });
    });
    await t.step("unnamed fields and other volumes are untouched", async () => {
      assert.deepEqual(await loadAll(inventory, ACME_LTO7), [
        {
          volume: "AB0001",
          fields: { repository: "VAULT", slot: "1", description: "keep me", moveDate: "2024-03-01" },
        },
        { volume: "AB0002", fields: { repository: "LIB1", slot: "2" } },
      ]);
    });
  });

  test("applyBatch() removes a value when the new value is null", async (inventory, t) => {
    await inventory.applyBatch(batch("b1", ACME_LTO7, [add("AB0001", { repository: "LIB1", slot: "7" })]));
    const result = await inventory.applyBatch(
      batch("b2", ACME_LTO7, [update("AB0001", { slot: ["7", null] })], "run-2"),
    );
    await t.step("the field is absent afterwards", async () => {
      assert.equal(result.fieldsChanged, 1);
      assert.deepEqual(await loadAll(inventory, ACME_LTO7), [{
        volume: "AB0001",
        fields: { repository: "LIB1" },
      }]);
    });
    await t.step("the audit row records the removal", async () => {
      const entries = (await inventory.history({ volume: "AB0001", runId: "run-2" })).entries;
      assert.deepEqual(entries.map(auditFacts), [[
        "run-2",
        "b2",
        "ACME",
        "LTO7",
        "AB0001",
        "slot",
        "7",
        null,
      ]]);
    });
  });

  test(
    "applyBatch() reports each kind of conflict and writes nothing for that volume",
    async (inventory, t) => {
      await inventory.applyBatch(batch("b1", ACME_LTO7, [
        add("AB0001", { repository: "LIB1", slot: "1" }),
        add("AB0002", { repository: "LIB1", slot: "2" }),
      ]));
      const before = await loadAll(inventory, ACME_LTO7);
      const auditBefore = (await inventory.history({})).entries.length;
      const cases: { name: string; change: VolumeChange; conflicts: BatchResult["conflicts"] }[] = [
        {
          name: "update of a missing volume",
          change: update("ZZ9999", { repository: [null, "LIB1"] }),
          conflicts: [{ volume: "ZZ9999", field: "", expected: null, actual: null, reason: "missing" }],
        },
        {
          name: "add of an existing volume",
          change: add("AB0001", { repository: "VAULT" }),
          conflicts: [{ volume: "AB0001", field: "", expected: null, actual: null, reason: "exists" }],
        },
        {
          name: "one field changed underneath, the other field of the change is not written either",
          change: update("AB0001", { repository: ["LIB1", "VAULT"], slot: ["9", "10"] }),
          conflicts: [{ volume: "AB0001", field: "slot", expected: "9", actual: "1", reason: "changed" }],
        },
        {
          name: "a value expected absent is present",
          change: update("AB0002", { repository: [null, "VAULT"] }),
          conflicts: [{
            volume: "AB0002",
            field: "repository",
            expected: null,
            actual: "LIB1",
            reason: "changed",
          }],
        },
        {
          name: "a value expected present is absent",
          change: update("AB0002", { description: ["old text", "new text"] }),
          conflicts: [{
            volume: "AB0002",
            field: "description",
            expected: "old text",
            actual: null,
            reason: "changed",
          }],
        },
      ];
      for (const [index, c] of cases.entries()) {
        await t.step(c.name, async () => {
          const result = await inventory.applyBatch(batch(`c${index}`, ACME_LTO7, [c.change]));
          assert.deepEqual(result.conflicts, c.conflicts);
          assert.deepEqual([result.added, result.updated, result.fieldsChanged], [0, 0, 0]);
          assert.deepEqual(await loadAll(inventory, ACME_LTO7), before);
          assert.equal((await inventory.history({})).entries.length, auditBefore);
        });
      }
      await t.step("every differing field is reported", async () => {
        const result = await inventory.applyBatch(batch("c-all", ACME_LTO7, [
          update("AB0002", { repository: ["X", "Y"], slot: ["Z", "3"] }),
        ]));
        assert.deepEqual(result.conflicts, [
          { volume: "AB0002", field: "repository", expected: "X", actual: "LIB1", reason: "changed" },
          { volume: "AB0002", field: "slot", expected: "Z", actual: "2", reason: "changed" },
        ]);
      });
      await t.step("the other volumes of a batch with a conflict are applied", async () => {
        const result = await inventory.applyBatch(batch("c-mixed", ACME_LTO7, [
          update("AB0001", { slot: ["wrong", "5"] }),
          update("AB0002", { slot: ["2", "6"] }),
          add("AB0003", { slot: "7" }),
        ]));
        assert.deepEqual(
          { added: result.added, updated: result.updated, conflicts: result.conflicts.map((c) => c.volume) },
          { added: 1, updated: 1, conflicts: ["AB0001"] },
        );
        assert.deepEqual(await loadAll(inventory, ACME_LTO7), [
          { volume: "AB0001", fields: { repository: "LIB1", slot: "1" } },
          { volume: "AB0002", fields: { repository: "LIB1", slot: "6" } },
          { volume: "AB0003", fields: { slot: "7" } },
        ]);
      });
    },
  );

  test(
    "applyBatch() answers a replayed batch id with the first result and writes nothing",
    async (inventory, t) => {
      const first = await inventory.applyBatch(batch("b-once", ACME_LTO7, [
        add("AB0001", { repository: "LIB1" }),
        update("AB0009", { repository: ["LIB1", "VAULT"] }),
      ]));
      const audit = (await inventory.history({})).entries;
      await t.step("the same batch again", async () => {
        const again = await inventory.applyBatch(batch("b-once", ACME_LTO7, [
          add("AB0001", { repository: "LIB1" }),
          update("AB0009", { repository: ["LIB1", "VAULT"] }),
        ]));
        assert.deepEqual(again, { ...first, replayed: true });
      });
      await t.step("the same id with other content", async () => {
        const again = await inventory.applyBatch(
          batch("b-once", ACME_LTO7, [add("AB0002", { repository: "X" })]),
        );
        assert.deepEqual(again, { ...first, replayed: true });
      });
      await t.step("no duplicate audit rows and no new volumes", async () => {
        assert.deepEqual((await inventory.history({})).entries, audit);
        assert.deepEqual(await loadAll(inventory, ACME_LTO7), [{
          volume: "AB0001",
          fields: { repository: "LIB1" },
        }]);
      });
    },
  );

  test("applyBatch() writes one audit row per changed field", async (inventory, t) => {
    const start = Date.now();
    await inventory.applyBatch(
      batch("b1", ACME_LTO7, [add("AB0001", { repository: "LIB1", slot: "3" })], "run-1"),
    );
    await inventory.applyBatch(
      batch("b2", ACME_LTO7, [update("AB0001", { repository: ["LIB1", "VAULT"] })], "run-2"),
    );
    const end = Date.now();
    const entries = (await inventory.history({ customer: "ACME", media: "LTO7", volume: "AB0001" })).entries;
    await t.step("rows in the order written, with run, batch, scope, field, old and new", () => {
      assert.deepEqual(entries.map(auditFacts), [
        ["run-1", "b1", "ACME", "LTO7", "AB0001", "repository", null, "LIB1"],
        ["run-1", "b1", "ACME", "LTO7", "AB0001", "slot", null, "3"],
        ["run-2", "b2", "ACME", "LTO7", "AB0001", "repository", "LIB1", "VAULT"],
      ]);
    });
    await t.step("ids increase", () => {
      assert.ok(entries[0].id < entries[1].id && entries[1].id < entries[2].id, JSON.stringify(entries));
    });
    await t.step("times are ISO 8601 and within the test", () => {
      for (const entry of entries) {
        assert.equal(new Date(entry.at).toISOString(), entry.at);
        const at = Date.parse(entry.at);
        assert.ok(at >= start - 1000 && at <= end + 1000, entry.at);
      }
    });
    await t.step("the listing carries the time of the last change", async () => {
      const [volume] = (await inventory.listVolumes({ volume: "AB0001" })).volumes;
      assert.equal(volume.updatedAt, entries[2].at);
    });
  });

  test("applyBatch() keeps scopes apart when a volume ID is in two scopes", async (inventory, t) => {
    await inventory.applyBatch(batch("b1", ACME_LTO7, [add("AB0001", { slot: "1" })]));
    await inventory.applyBatch(batch("b2", BETA_LTO7, [add("AB0001", { slot: "2" })]));
    await t.step("the add in the second scope is no conflict", async () => {
      assert.deepEqual(await loadAll(inventory, BETA_LTO7), [{ volume: "AB0001", fields: { slot: "2" } }]);
    });
    await t.step("an update in one scope leaves the other alone", async () => {
      const result = await inventory.applyBatch(
        batch("b3", BETA_LTO7, [update("AB0001", { slot: ["2", "3"] })]),
      );
      assert.equal(result.updated, 1);
      assert.deepEqual(await loadAll(inventory, ACME_LTO7), [{ volume: "AB0001", fields: { slot: "1" } }]);
      assert.deepEqual(await loadAll(inventory, BETA_LTO7), [{ volume: "AB0001", fields: { slot: "3" } }]);
    });
    await t.step("an update expecting the other scope's value conflicts", async () => {
      const result = await inventory.applyBatch(
        batch("b4", ACME_LTO7, [update("AB0001", { slot: ["3", "4"] })]),
      );
      assert.deepEqual(result.conflicts, [
        { volume: "AB0001", field: "slot", expected: "3", actual: "1", reason: "changed" },
      ]);
    });
    await t.step("history of the volume is per scope when a customer is named", async () => {
      const beta = (await inventory.history({ customer: "BETA", volume: "AB0001" })).entries;
      assert.deepEqual(beta.map((e) => [e.customer, e.old, e.new]), [["BETA", null, "2"], [
        "BETA",
        "2",
        "3",
      ]]);
      const all = (await inventory.history({ volume: "AB0001" })).entries;
      assert.deepEqual(all.map((e) => e.customer), ["ACME", "BETA", "BETA"]);
    });
  });

  test("loadScope() streams a large scope completely and in order", async (inventory, t) => {
    const volumes = Array.from({ length: 5_500 }, (_, i) => `V${String(i).padStart(5, "0")}`);
    for (let start = 0; start < volumes.length; start += 1000) {
      const slice = volumes.slice(start, start + 1000);
      await inventory.applyBatch(batch(`big-${start}`, ACME_LTO7, slice.map((v) => add(v, { slot: v }))));
    }
    await t.step("every volume once, ordered, fields intact", async () => {
      const rows = await loadAll(inventory, ACME_LTO7);
      assert.deepEqual(rows.map((r) => r.volume), volumes);
      assert.ok(rows.every((r) => r.fields.slot === r.volume));
    });
    await t.step("after a volume: only the volumes ordered after it (a broken stream resumes)", async () => {
      const rows: VolumeRow[] = [];
      for await (const chunk of inventory.loadScope(ACME_LTO7, "V02999")) rows.push(...chunk);
      assert.deepEqual(rows.map((r) => r.volume), volumes.slice(3000));
      const none: VolumeRow[] = [];
      for await (const chunk of inventory.loadScope(ACME_LTO7, "V99999")) none.push(...chunk);
      assert.deepEqual(none, []);
    });
    await t.step("stopping after the first chunk leaves the store usable", async () => {
      for await (const chunk of inventory.loadScope(ACME_LTO7)) {
        assert.ok(chunk.length > 0);
        break;
      }
      const result = await inventory.applyBatch(batch("after-break", ACME_LTO7, [add("W00001", {})]));
      assert.equal(result.added, 1);
    });
  });

  test("listVolumes() filters, orders and pages", async (inventory, t) => {
    await inventory.applyBatch(
      batch("b1", ACME_LTO7, [add("AB0002", { slot: "2" }), add("AB0001", { slot: "1" })]),
    );
    await inventory.applyBatch(batch("b2", ACME_LTO8, [add("AB0003", {}), add("XY0001", {})]));
    await inventory.applyBatch(batch("b3", BETA_LTO7, [add("AB0001", {}), add("ab0005", {})]));
    const key = (v: Volume) => `${v.customer}/${v.media}/${v.volume}`;
    const cases = [
      {
        name: "no filter lists every volume by customer, media, volume",
        query: {},
        want: [
          "ACME/LTO7/AB0001",
          "ACME/LTO7/AB0002",
          "ACME/LTO8/AB0003",
          "ACME/LTO8/XY0001",
          "BETA/LTO7/AB0001",
          "BETA/LTO7/ab0005",
        ],
      },
      { name: "customer", query: { customer: "BETA" }, want: ["BETA/LTO7/AB0001", "BETA/LTO7/ab0005"] },
      { name: "media", query: { media: "LTO8" }, want: ["ACME/LTO8/AB0003", "ACME/LTO8/XY0001"] },
      {
        name: "customer and media",
        query: { customer: "ACME", media: "LTO7" },
        want: ["ACME/LTO7/AB0001", "ACME/LTO7/AB0002"],
      },
      { name: "exact volume", query: { volume: "AB0001" }, want: ["ACME/LTO7/AB0001", "BETA/LTO7/AB0001"] },
      { name: "exact volume does not match a prefix", query: { volume: "AB000" }, want: [] },
      {
        name: "prefix is case-sensitive",
        query: { volume: "AB*" },
        want: ["ACME/LTO7/AB0001", "ACME/LTO7/AB0002", "ACME/LTO8/AB0003", "BETA/LTO7/AB0001"],
      },
      { name: "prefix with scope", query: { customer: "ACME", volume: "X*" }, want: ["ACME/LTO8/XY0001"] },
      { name: "full ID as prefix", query: { volume: "AB0002*" }, want: ["ACME/LTO7/AB0002"] },
      { name: "unknown customer", query: { customer: "NONE" }, want: [] },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const page = await inventory.listVolumes(c.query);
        assert.deepEqual(page.volumes.map(key), c.want);
        assert.equal(page.next, undefined);
      });
    }
    await t.step("fields come with the volume", async () => {
      const page = await inventory.listVolumes({ customer: "ACME", media: "LTO7", volume: "AB0002" });
      assert.deepEqual(page.volumes.map((v) => v.fields), [{ slot: "2" }]);
    });
    await t.step("pages of two cover everything once, in order, and the last has no cursor", async () => {
      const pages: string[][] = [];
      let after: string | undefined;
      do {
        const page = await inventory.listVolumes({ limit: 2, after });
        pages.push(page.volumes.map(key));
        after = page.next;
      } while (after !== undefined && pages.length < 10);
      assert.deepEqual(pages, [
        ["ACME/LTO7/AB0001", "ACME/LTO7/AB0002"],
        ["ACME/LTO8/AB0003", "ACME/LTO8/XY0001"],
        ["BETA/LTO7/AB0001", "BETA/LTO7/ab0005"],
      ]);
    });
    await t.step("paging keeps the filter", async () => {
      const first = await inventory.listVolumes({ volume: "AB*", limit: 3 });
      assert.deepEqual(first.volumes.map(key), ["ACME/LTO7/AB0001", "ACME/LTO7/AB0002", "ACME/LTO8/AB0003"]);
      const second = await inventory.listVolumes({ volume: "AB*", limit: 3, after: first.next });
      assert.deepEqual(second.volumes.map(key), ["BETA/LTO7/AB0001"]);
      assert.equal(second.next, undefined);
    });
  });

  test("history() filters by run, scope and volume and pages by id", async (inventory, t) => {
    await inventory.applyBatch(
      batch("b1", ACME_LTO7, [add("AB0001", { slot: "1" }), add("AB0002", { slot: "2" })], "run-1"),
    );
    await inventory.applyBatch(batch("b2", BETA_LTO7, [add("AB0001", { slot: "9" })], "run-1"));
    await inventory.applyBatch(batch("b3", ACME_LTO7, [update("AB0001", { slot: ["1", "5"] })], "run-2"));
    await inventory.applyBatch(batch("b4", ACME_LTO8, [add("CD0001", { slot: "3" })], "run-2"));
    const short = (e: AuditEntry) => `${e.batchId}:${e.customer}/${e.media}/${e.volume}`;
    const cases = [
      {
        name: "no filter returns every row in the order written",
        query: {},
        want: [
          "b1:ACME/LTO7/AB0001",
          "b1:ACME/LTO7/AB0002",
          "b2:BETA/LTO7/AB0001",
          "b3:ACME/LTO7/AB0001",
          "b4:ACME/LTO8/CD0001",
        ],
      },
      { name: "run", query: { runId: "run-2" }, want: ["b3:ACME/LTO7/AB0001", "b4:ACME/LTO8/CD0001"] },
      {
        name: "run and customer",
        query: { runId: "run-1", customer: "BETA" },
        want: ["b2:BETA/LTO7/AB0001"],
      },
      {
        name: "run and volume",
        query: { runId: "run-1", volume: "AB0001" },
        want: ["b1:ACME/LTO7/AB0001", "b2:BETA/LTO7/AB0001"],
      },
      {
        name: "customer",
        query: { customer: "ACME" },
        want: ["b1:ACME/LTO7/AB0001", "b1:ACME/LTO7/AB0002", "b3:ACME/LTO7/AB0001", "b4:ACME/LTO8/CD0001"],
      },
      { name: "media", query: { media: "LTO8" }, want: ["b4:ACME/LTO8/CD0001"] },
      {
        name: "volume in every scope",
        query: { volume: "AB0001" },
        want: ["b1:ACME/LTO7/AB0001", "b2:BETA/LTO7/AB0001", "b3:ACME/LTO7/AB0001"],
      },
      {
        name: "volume and scope",
        query: { customer: "ACME", media: "LTO7", volume: "AB0001" },
        want: ["b1:ACME/LTO7/AB0001", "b3:ACME/LTO7/AB0001"],
      },
      { name: "volume prefix", query: { volume: "CD*" }, want: ["b4:ACME/LTO8/CD0001"] },
      { name: "unknown run", query: { runId: "run-9" }, want: [] },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const page = await inventory.history(c.query);
        assert.deepEqual(page.entries.map(short), c.want);
        assert.equal(page.next, undefined);
      });
    }
    await t.step("pages of two cover everything once and the last has no cursor", async () => {
      const pages: string[][] = [];
      let after: string | undefined;
      do {
        const page = await inventory.history({ limit: 2, after });
        pages.push(page.entries.map(short));
        after = page.next;
      } while (after !== undefined && pages.length < 10);
      assert.deepEqual(pages, [
        ["b1:ACME/LTO7/AB0001", "b1:ACME/LTO7/AB0002"],
        ["b2:BETA/LTO7/AB0001", "b3:ACME/LTO7/AB0001"],
        ["b4:ACME/LTO8/CD0001"],
      ]);
    });
    await t.step("pages of one by run cross from batch to batch", async () => {
      const seen = (await historyInPages(inventory, { runId: "run-1", limit: 1 }, 10)).map(short);
      assert.deepEqual(seen, ["b1:ACME/LTO7/AB0001", "b1:ACME/LTO7/AB0002", "b2:BETA/LTO7/AB0001"]);
    });
    await t.step("paging keeps the filter", async () => {
      const first = await inventory.history({ volume: "AB0001", limit: 2 });
      const second = await inventory.history({ volume: "AB0001", limit: 2, after: first.next });
      assert.deepEqual([first.entries.map(short), second.entries.map(short), second.next], [
        ["b1:ACME/LTO7/AB0001", "b2:BETA/LTO7/AB0001"],
        ["b3:ACME/LTO7/AB0001"],
        undefined,
      ]);
    });
  });
  test("history by volume finds a volume's add and each change once", async (inventory, t) => {
    // One batch adds AB0001 and changes it (two audit rows of one volume), a later one changes it again.
    await inventory.applyBatch(batch("b1", ACME_LTO7, [
      add("AB0001", { slot: "1" }),
      update("AB0001", { slot: ["1", "2"] }),
      add("AB0002", { slot: "7" }),
    ]));
    await inventory.applyBatch(batch("b2", BETA_LTO7, [add("AB0001", { slot: "5" })]));
    await inventory.applyBatch(batch("b3", ACME_LTO7, [update("AB0001", { slot: ["2", "3"] })], "run-2"));
    const changes = (e: AuditEntry) => `${e.batchId}:${e.customer}/${e.volume}:${e.old}->${e.new}`;
    const cases = [
      {
        name: "exact volume",
        query: { volume: "AB0001" },
        want: [
          "b1:ACME/AB0001:null->1",
          "b1:ACME/AB0001:1->2",
          "b2:BETA/AB0001:null->5",
          "b3:ACME/AB0001:2->3",
        ],
      },
      {
        name: "volume and customer",
        query: { customer: "ACME", volume: "AB0001" },
        want: ["b1:ACME/AB0001:null->1", "b1:ACME/AB0001:1->2", "b3:ACME/AB0001:2->3"],
      },
      {
        name: "volume prefix",
        query: { customer: "ACME", volume: "AB*" },
        want: [
          "b1:ACME/AB0001:null->1",
          "b1:ACME/AB0001:1->2",
          "b1:ACME/AB0002:null->7",
          "b3:ACME/AB0001:2->3",
        ],
      },
      { name: "volume and run", query: { runId: "run-2", volume: "AB0001" }, want: ["b3:ACME/AB0001:2->3"] },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        assert.deepEqual((await inventory.history(c.query)).entries.map(changes), c.want);
      });
    }
    await t.step("pages of one cover the volume's entries once", async () => {
      const seen = (await historyInPages(inventory, { volume: "AB0001", limit: 1 }, 10)).map(changes);
      assert.deepEqual(seen, cases[0].want);
    });
  });
  test("history by run pages through batches of one run applied two at a time", async (inventory, t) => {
    // An agent keeps two batches of different scopes in flight: the store may apply them at once.
    const volumes = (prefix: string) =>
      Array.from({ length: 40 }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);
    const expected: string[] = [];
    for (let pair = 0; pair < 6; pair++) {
      const scopes = [{ customer: "ACME", media: `M${pair}A` }, { customer: "ACME", media: `M${pair}B` }];
      await Promise.all(scopes.map((scope, i) => {
        const names = volumes(`P${pair}${i}`);
        expected.push(...names.map((volume) => `${scope.media}/${volume}`));
        return inventory.applyBatch({
          id: `pair-${pair}-${i}`,
          runId: "run-2x",
          ...scope,
          changes: names.map((volume) => ({
            volume,
            op: "add",
            changes: { slot: { old: null, new: volume } },
          })),
        });
      }));
    }
    await t.step("pages of 7 give every entry once, ids increasing", async () => {
      const seen: string[] = [];
      const ids: number[] = [];
      let after: string | undefined;
      do {
        const page = await inventory.history({ runId: "run-2x", limit: 7, after });
        seen.push(...page.entries.map((e) => `${e.media}/${e.volume}`));
        ids.push(...page.entries.map((e) => Number(e.id)));
        after = page.next;
      } while (after !== undefined && seen.length <= expected.length);
      assert.deepEqual([...seen].sort(), [...expected].sort());
      assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), "ids increase across pages");
    });
  });
}

/** Every row of a scope (default ACME/LTO7), chunks joined. */
export async function loadAll(inventory: Inventory, scope: ScopeKey = ACME_LTO7): Promise<VolumeRow[]> {
  const rows: VolumeRow[] = [];
  for await (const chunk of inventory.loadScope(scope)) rows.push(...chunk);
  return rows;
}

/**
 * Every entry of a history query, walked page by page through the cursors.
 * @param most stop after this many entries (a cursor that never ends fails the test instead of hanging)
 */
async function historyInPages(
  inventory: Inventory,
  query: HistoryQuery,
  most: number,
): Promise<AuditEntry[]> {
  const seen: AuditEntry[] = [];
  let after: string | undefined;
  do {
    const page = await inventory.history({ ...query, after });
    seen.push(...page.entries);
    after = page.next;
  } while (after !== undefined && seen.length < most);
  return seen;
}

/** A batch adding `volumes` to ACME/LTO7, each with its own name as the slot. */
export function addBatch(id: string, volumes: string[], runId = "run-1"): ChangeBatch {
  return batch(id, ACME_LTO7, volumes.map((volume) => add(volume, { slot: volume })), runId);
}

/** A batch of run-2 changing the slot of one ACME/LTO7 volume from `old` to `wanted`. */
export function slotBatch(
  id: string,
  volume: string,
  old: string | null,
  wanted: string | null,
): ChangeBatch {
  return batch(id, ACME_LTO7, [update(volume, { slot: [old, wanted] })], "run-2");
}

function batch(id: string, scope: ScopeKey, changes: VolumeChange[], runId = "run-1"): ChangeBatch {
  return { id, runId, customer: scope.customer, media: scope.media, changes };
}

function add(volume: string, fields: FieldValues): VolumeChange {
  const changes: VolumeChange["changes"] = {};
  for (const [field, value] of Object.entries(fields)) changes[field] = { old: null, new: value };
  return { volume, op: "add", changes };
}

function update(volume: string, fields: Record<string, [string | null, string | null]>): VolumeChange {
  const changes: VolumeChange["changes"] = {};
  for (const [field, [old, value]] of Object.entries(fields)) changes[field] = { old, new: value };
  return { volume, op: "update", changes };
}

/** The facts of an audit row that do not depend on the store (not its id or time). */
function auditFacts(entry: AuditEntry): (string | null)[] {
  return [
    entry.runId,
    entry.batchId,
    entry.customer,
    entry.media,
    entry.volume,
    entry.field,
    entry.old,
    entry.new,
  ];
}

/**
 * Checks of an audit migrated from version 1 (one row per field), run by both stores' migration tests on
 * the same data: b1 (run-1) added AB0001 with repository LIB1 and slot 7 and AB0002 with slot 8; b2
 * (run-2) moved AB0001 from LIB1 to VAULT. Each store adds the checks of its own query paths.
 */
export async function migratedAuditSteps(inventory: Inventory, t: Deno.TestContext): Promise<void> {
  const facts = (entries: AuditEntry[]) => entries.map((e) => [e.runId, e.volume, e.field, e.old, e.new]);
  await t.step("history reads the same entries, in the same order", async () => {
    assert.deepEqual(facts((await inventory.history({})).entries), [
      ["run-1", "AB0001", "repository", null, "LIB1"],
      ["run-1", "AB0001", "slot", null, "7"],
      ["run-1", "AB0002", "slot", null, "8"],
      ["run-2", "AB0001", "repository", "LIB1", "VAULT"],
    ]);
  });
  await t.step("by volume and by run", async () => {
    assert.deepEqual(facts((await inventory.history({ customer: "ACME", volume: "AB0001" })).entries), [
      ["run-1", "AB0001", "repository", null, "LIB1"],
      ["run-1", "AB0001", "slot", null, "7"],
      ["run-2", "AB0001", "repository", "LIB1", "VAULT"],
    ]);
    const fields = facts((await inventory.history({ runId: "run-1" })).entries).map((f) => f[2]);
    assert.deepEqual(fields, ["repository", "slot", "slot"]);
  });
  await t.step("pages of one entry walk through a row's fields", async () => {
    const entries = await historyInPages(inventory, { volume: "AB0001", customer: "ACME", limit: 1 }, 10);
    assert.deepEqual(entries.map((e) => `${e.field}:${e.new}`), [
      "repository:LIB1",
      "slot:7",
      "repository:VAULT",
    ]);
  });
  await t.step("new batches go on after the migrated rows", async () => {
    await inventory.applyBatch(batch("b3", ACME_LTO7, [add("AB0003", { slot: "AB0003" })], "run-3"));
    const entries = (await inventory.history({})).entries;
    assert.deepEqual(facts(entries.slice(4)), [["run-3", "AB0003", "slot", null, "AB0003"]]);
    assert.ok(entries[3].id < entries[4].id);
  });
}
