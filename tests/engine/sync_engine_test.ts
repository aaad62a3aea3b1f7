import assert from "node:assert/strict";
import { ChangeLimitError, runEngine, RunStoppedError } from "../../src/engine/mod.ts";
import type {
  BatchResult,
  ChangeBatch,
  Inventory,
  ScopeKey,
  Volume,
  VolumeRow,
} from "../../src/inventory/mod.ts";
import { openSqliteInventory, type SqliteInventory } from "../../src/inventory/sqlite/mod.ts";
import { CountingInventory } from "../server/counting_inventory.ts";
import { arraySource, directDefinition, engineOptions, shuffled } from "./_engine_fixtures.ts";
import type { CompiledDefinition } from "../../src/transform/mod.ts";

/** Run `fn` on a new embedded store in a temporary directory; the store is closed and removed after. */
async function withStore(fn: (store: SqliteInventory) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-engine-" });
  const store = openSqliteInventory(`${dir}/inventory.db`);
  try {
    await fn(store);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function allVolumes(inventory: Inventory): Promise<Volume[]> {
  const result: Volume[] = [];
  let after: string | undefined;
  do {
    const page = await inventory.listVolumes({ limit: 1000, after });
    result.push(...page.volumes);
    after = page.next;
  } while (after !== undefined);
  return result.map((volume) => ({ ...volume, updatedAt: "" }));
}

const FIELDS = ["repository", "slot"];

/** 10 scopes x 20 volumes. */
function tenScopes(): string[][] {
  const records: string[][] = [];
  for (let s = 0; s < 10; s++) {
    for (let v = 0; v < 20; v++) {
      records.push([
        `C${s % 5}`,
        `M${Math.floor(s / 5)}`,
        `V${String(v).padStart(4, "0")}`,
        `R${v % 3}`,
        String(v),
      ]);
    }
  }
  return records;
}

Deno.test("runEngine() adds, then finds everything unchanged, then updates exactly the changed field", async (t) => {
  await withStore(async (store) => {
    const definition = directDefinition(FIELDS);
    const records = [
      ["ACME", "LTO7", "A00001", "LIBR", "1"],
      ["ACME", "LTO7", "A00002", "OFFS", ""],
      ["ACME", "LTO8", "B00001", "LIBR", "7"],
    ];
    await t.step("first run adds every volume", async () => {
      const stats = await runEngine(arraySource(records), definition, store, engineOptions());
      assert.equal(stats.recordsRead, 3);
      assert.equal(stats.volumesAdded, 3);
      assert.equal(stats.volumesUpdated, 0);
      assert.equal(stats.scopesLoaded, 2);
      assert.equal(stats.batchesApplied, 2);
      assert.deepEqual(stats.fieldsUpdated, { repository: 3, slot: 2 });
    });
    await t.step("second run changes nothing and sends no batch", async () => {
      const stats = await runEngine(
        arraySource(records),
        definition,
        store,
        engineOptions({ runId: "run-2" }),
      );
      assert.equal(stats.volumesUnchanged, 3);
      assert.equal(stats.volumesUpdated, 0);
      assert.equal(stats.batchesApplied, 0);
    });
    await t.step("one changed field gives one update and one audit row", async () => {
      const changed = records.map((r) => (r[2] === "A00002" ? [...r.slice(0, 3), "LIBR", ""] : r));
      const stats = await runEngine(
        arraySource(changed),
        definition,
        store,
        engineOptions({ runId: "run-3" }),
      );
      assert.equal(stats.volumesUpdated, 1);
      assert.equal(stats.volumesUnchanged, 2);
      assert.deepEqual(stats.fieldsUpdated, { repository: 1 });
      const history = await store.history({ runId: "run-3" });
      assert.equal(history.entries.length, 1);
      assert.equal(history.entries[0].volume, "A00002");
      assert.equal(history.entries[0].field, "repository");
      assert.equal(history.entries[0].old, "OFFS");
      assert.equal(history.entries[0].new, "LIBR");
    });
    await t.step("a field not given is neither compared nor written", async () => {
      const page = await store.listVolumes({ volume: "A00002" });
      assert.deepEqual(page.volumes[0].fields, { repository: "LIBR" });
    });
  });
});

Deno.test("runEngine() loads each scope once when input is shuffled, and still converges on a small budget", async (t) => {
  const records = tenScopes();
  const definition = directDefinition(FIELDS);
  let expected: Volume[] = [];
  await t.step("sorted input: 10 scopes, 10 loads", async () => {
    await withStore(async (sqlite) => {
      const store = new CountingInventory(sqlite);
      const stats = await runEngine(arraySource(records), definition, store, engineOptions());
      assert.equal(stats.scopesLoaded, 10);
      assert.equal(store.calls.loadScope, 10);
      expected = await allVolumes(store);
      assert.equal(expected.length, 200);
    });
  });
  await t.step("shuffled input: still 10 loads, same inventory", async () => {
    await withStore(async (sqlite) => {
      const store = new CountingInventory(sqlite);
      const stats = await runEngine(arraySource(shuffled(records), 7), definition, store, engineOptions());
      assert.equal(stats.scopesLoaded, 10);
      assert.equal(new Set(store.scopes).size, 10);
      assert.deepEqual(await allVolumes(store), expected);
    });
  });
  await t.step("budget of 2 scopes: more loads, same inventory, nothing lost", async () => {
    await withStore(async (sqlite) => {
      const store = new CountingInventory(sqlite);
      const stats = await runEngine(
        arraySource(shuffled(records), 7),
        definition,
        store,
        engineOptions({ cacheVolumes: 40, groupRecords: 8 }),
      );
      assert.ok(stats.scopesLoaded > 10, `expected reloads, got ${stats.scopesLoaded}`);
      assert.ok(stats.scopeEvictions > 0);
      assert.equal(stats.volumesAdded, 200);
      assert.deepEqual(await allVolumes(store), expected);
      const again = await runEngine(
        arraySource(shuffled(records, 3), 7),
        definition,
        store,
        engineOptions({ cacheVolumes: 40, runId: "again", groupRecords: 8 }),
      );
      assert.equal(again.volumesUnchanged, 200);
      assert.equal(again.batchesApplied, 0);
    });
  });
});

Deno.test("runEngine() counts duplicates and lets the last record win", async () => {
  await withStore(async (store) => {
    const stats = await runEngine(
      arraySource([
        ["ACME", "LTO7", "A1", "LIBR", "1"],
        ["ACME", "LTO7", "A1", "OFFS", "2"],
        ["ACME", "LTO7", "A2", "LIBR", "3"],
      ]),
      directDefinition(FIELDS),
      store,
      engineOptions(),
    );
    assert.equal(stats.duplicates, 1);
    assert.deepEqual(stats.duplicateSamples, ["ACME/LTO7/A1@2"]);
    assert.equal(stats.volumesAdded, 2);
    const page = await store.listVolumes({ volume: "A1" });
    assert.deepEqual(page.volumes[0].fields, { repository: "OFFS", slot: "2" });
  });
});

Deno.test("runEngine() reports missing volumes when adding is off, skips and bad records by reason", async () => {
  await withStore(async (store) => {
    const stats = await runEngine(
      arraySource([
        ["ACME", "LTO7", "A1", "LIBR", "1"],
        ["#", "", "", "", ""],
        ["ACME", "LTO7", "A2", "!bad", "1"],
      ]),
      directDefinition(FIELDS),
      store,
      engineOptions({ addVolumes: false }),
    );
    assert.equal(stats.volumesNotFound, 1);
    assert.deepEqual(stats.notFoundSamples, ["ACME/LTO7/A1"]);
    assert.deepEqual(stats.recordsSkipped, { total: 1, byReason: { "comment record": 1 } });
    assert.equal(stats.errors, 1);
    assert.equal(stats.errorSamples[0].line, 3);
    assert.equal(stats.errorSamples[0].field, "repository");
    assert.equal((await store.listVolumes({})).volumes.length, 0);
  });
});

Deno.test("runEngine() under policy stop ends at the first bad record without writing pending changes", async () => {
  await withStore(async (store) => {
    await assert.rejects(
      runEngine(
        arraySource([["ACME", "LTO7", "A1", "LIBR", "1"], ["ACME", "LTO7", "A2", "!bad", "1"]]),
        directDefinition(FIELDS),
        store,
        engineOptions({ onBadRecord: "stop" }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof RunStoppedError);
        assert.equal(error.pendingDiscarded, 1);
        assert.equal(error.stats.errors, 1);
        return true;
      },
    );
    assert.equal((await store.listVolumes({})).volumes.length, 0);
  });
});

Deno.test("runEngine() with maxChanges refuses a run over the limit and writes nothing", async () => {
  await withStore(async (store) => {
    const records = tenScopes();
    await assert.rejects(
      runEngine(
        arraySource(records),
        directDefinition(FIELDS),
        store,
        engineOptions({ maxChanges: 50, batchSize: 10 }),
      ),
      (error: unknown) => error instanceof ChangeLimitError && error.limit === 50 && error.found === 51,
    );
    assert.equal((await store.listVolumes({})).volumes.length, 0);
    const stats = await runEngine(
      arraySource(records),
      directDefinition(FIELDS),
      store,
      engineOptions({ maxChanges: 200, batchSize: 10 }),
    );
    assert.equal(stats.volumesAdded, 200);
    assert.equal(stats.batchesApplied, 20);
  });
});

Deno.test("runEngine() dry run plans every change and sends nothing", async () => {
  await withStore(async (sqlite) => {
    const store = new CountingInventory(sqlite);
    await runEngine(
      arraySource([["ACME", "LTO7", "A1", "LIBR", "1"]]),
      directDefinition(FIELDS),
      store,
      engineOptions(),
    );
    const plan: string[] = [];
    const stats = await runEngine(
      arraySource([["ACME", "LTO7", "A1", "OFFS", "1"], ["ACME", "LTO7", "A2", "LIBR", ""]]),
      directDefinition(FIELDS),
      store,
      engineOptions({
        dryRun: true,
        runId: "dry",
        onPlan: (entry) => plan.push(`${entry.op} ${entry.volume} ${JSON.stringify(entry.changes)}`),
      }),
    );
    assert.deepEqual(plan, [
      'update A1 {"repository":{"old":"LIBR","new":"OFFS"}}',
      'add A2 {"repository":{"old":null,"new":"LIBR"}}',
    ]);
    assert.equal(stats.volumesUpdated, 1);
    assert.equal(stats.volumesAdded, 1);
    assert.equal(stats.batchesApplied, 0);
    assert.equal(store.calls.applyBatch, 1);
    assert.equal((await store.history({ runId: "dry" })).entries.length, 0);
  });
});

Deno.test("runEngine() reports a field in alert mode and does not write it", async () => {
  await withStore(async (store) => {
    const definition = directDefinition(FIELDS, { repository: "alert" });
    await runEngine(
      arraySource([["ACME", "LTO7", "A1", "LIBR", "1"]]),
      directDefinition(FIELDS),
      store,
      engineOptions(),
    );
    const alerts: string[] = [];
    const stats = await runEngine(
      arraySource([["ACME", "LTO7", "A1", "OFFS", "2"]]),
      definition,
      store,
      engineOptions({
        onAlert: (a) => alerts.push(`${a.volume} ${a.field} ${a.inventoryValue}->${a.sourceValue}`),
      }),
    );
    assert.deepEqual(alerts, ["A1 repository LIBR->OFFS"]);
    assert.equal(stats.alerts, 1);
    assert.deepEqual(stats.fieldsUpdated, { slot: 1 });
    assert.deepEqual((await store.listVolumes({ volume: "A1" })).volumes[0].fields, {
      repository: "LIBR",
      slot: "2",
    });
  });
});

Deno.test("runEngine() reports a conflict when a volume changed under the run, and a re-run converges", async () => {
  await withStore(async (store) => {
    const definition = directDefinition(FIELDS);
    await runEngine(arraySource([["ACME", "LTO7", "A1", "LIBR", "1"]]), definition, store, engineOptions());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async function* () {
      yield [{ kind: "record" as const, line: 1, values: ["ACME", "LTO7", "A1", "OFFS", "1"] }];
      await gate;
    };
    const first = runEngine(slow(), definition, store, engineOptions({ runId: "slow", groupRecords: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await runEngine(
      arraySource([["ACME", "LTO7", "A1", "VAUL", "1"]]),
      definition,
      store,
      engineOptions({ runId: "fast" }),
    );
    assert.equal(second.volumesUpdated, 1);
    release();
    const stats = await first;
    assert.equal(stats.conflicts, 1);
    assert.equal(stats.volumesUpdated, 0);
    assert.deepEqual(stats.conflictSamples[0], {
      customer: "ACME",
      media: "LTO7",
      volume: "A1",
      field: "repository",
      expected: "LIBR",
      actual: "VAUL",
      reason: "changed",
    });
    assert.deepEqual((await store.listVolumes({ volume: "A1" })).volumes[0].fields, {
      repository: "VAUL",
      slot: "1",
    });
    const rerun = await runEngine(
      arraySource([["ACME", "LTO7", "A1", "OFFS", "1"]]),
      definition,
      store,
      engineOptions({ runId: "rerun" }),
    );
    assert.equal(rerun.volumesUpdated, 1);
    assert.deepEqual((await store.listVolumes({ volume: "A1" })).volumes[0].fields, {
      repository: "OFFS",
      slot: "1",
    });
  });
});

Deno.test("runEngine() lets a repository skip rule veto a volume's update, using the stored current repository", async () => {
  await withStore(async (store) => {
    await store.applyBatch({
      id: "seed",
      runId: "seed",
      customer: "ACME",
      media: "LTO7",
      changes: [
        {
          volume: "D1",
          op: "add",
          changes: { repository: { old: null, new: "DEST" }, slot: { old: null, new: "1" } },
        },
        {
          volume: "M1",
          op: "add",
          changes: {
            repository: { old: null, new: "OFFS" },
            currentRepository: { old: null, new: "DEST" },
          },
        },
        { volume: "L1", op: "add", changes: { repository: { old: null, new: "OFFS" } } },
      ],
    });
    const definition = {
      ...directDefinition(FIELDS),
      repositorySkips: [{
        reason: "never out of DEST",
        matches: (_proposed: string, _target: string | null, current: string | null) => current === "DEST",
      }],
    };
    const stats = await runEngine(
      arraySource([["ACME", "LTO7", "D1", "LIBR", "9"], ["ACME", "LTO7", "M1", "LIBR", ""], [
        "ACME",
        "LTO7",
        "L1",
        "LIBR",
        "",
      ]]),
      definition,
      store,
      engineOptions(),
    );
    assert.deepEqual(stats.recordsSkipped, { total: 2, byReason: { "never out of DEST": 2 } });
    assert.equal(stats.volumesUpdated, 1);
    const fields = Object.fromEntries(
      (await store.listVolumes({})).volumes.map((v) => [v.volume, v.fields]),
    );
    assert.deepEqual(fields, {
      D1: { repository: "DEST", slot: "1" },
      L1: { repository: "LIBR" },
      M1: { repository: "OFFS", currentRepository: "DEST" },
    });
  });
});

Deno.test("runEngine() compares each set field exactly with the cached volume", async (t) => {
  // Stored: repository LIB1, slot absent. Each case is one record against that state.
  const cases: { name: string; record: string[]; updated: number }[] = [
    { name: "the same values", record: ["LIB1", ""], updated: 0 },
    { name: "a field the record leaves unset", record: ["", ""], updated: 0 },
    { name: "clearing a field that has no value", record: ["LIB1", "-"], updated: 0 },
    { name: "a prefix of the stored value", record: ["LIB", ""], updated: 1 },
    { name: "the stored value plus a character", record: ["LIB12", ""], updated: 1 },
    { name: "clearing a field that has a value", record: ["-", ""], updated: 1 },
    { name: "a value where there was none", record: ["LIB1", "4"], updated: 1 },
    { name: "a value equal to the next field's text", record: ["", "LIB1"], updated: 1 },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withStore(async (store) => {
        const definition = directDefinition(FIELDS);
        await runEngine(
          arraySource([["ACME", "LTO7", "A00001", "LIB1", ""]]),
          definition,
          store,
          engineOptions(),
        );
        const stats = await runEngine(
          arraySource([["ACME", "LTO7", "A00001", ...c.record]]),
          definition,
          store,
          engineOptions({ runId: "run-2" }),
        );
        assert.deepEqual([stats.volumesUpdated, stats.volumesUnchanged], [c.updated, 1 - c.updated]);
      });
    });
  }
});

Deno.test("runEngine() takes values for the active fields only, and never touches an inactive field", async () => {
  await withStore(async (store) => {
    // Three fields; the input lacks the column of `slot`, so intents carry [repository, description].
    const full = directDefinition(["repository", "slot", "description"]);
    const compact: CompiledDefinition = {
      ...full,
      activeFields: () => [true, false, true],
      apply(values, line) {
        const result = full.apply(values, line);
        if (result.kind === "volume") result.values = [result.values[0], result.values[2]];
        return result;
      },
    };
    await runEngine(
      arraySource([["ACME", "LTO7", "A00001", "LIBR", "9", "weekly"]]),
      full,
      store,
      engineOptions(),
    );
    const stats = await runEngine(
      arraySource([["ACME", "LTO7", "A00001", "OFFS", "ignored", "weekly"]]),
      compact,
      store,
      engineOptions(),
    );
    assert.deepEqual([stats.volumesUpdated, stats.fieldsUpdated], [1, { repository: 1 }]);
    const page = await store.listVolumes({ volume: "A00001" });
    assert.deepEqual(page.volumes[0].fields, { repository: "OFFS", slot: "9", description: "weekly" });
  });
});

/**
 * The embedded store as if it were across a network: each load and batch takes `delayMs` first, loads may
 * be started `loadsAhead` at a time, and what happens is logged in order.
 */
class RemoteLikeInventory extends CountingInventory {
  readonly events: string[] = [];
  loadsNow = 0;
  mostLoadsAtOnce = 0;

  constructor(
    inner: Inventory,
    readonly loadsAhead: number,
    readonly delayMs = 5,
    readonly failScope?: string,
  ) {
    super(inner);
  }

  override get scopeLoadsAhead(): number {
    return this.loadsAhead;
  }

  override async *loadScope(scope: ScopeKey, after?: string): AsyncIterable<VolumeRow[]> {
    const name = `${scope.customer}/${scope.media}`;
    this.events.push(`load ${name}`);
    this.mostLoadsAtOnce = Math.max(this.mostLoadsAtOnce, ++this.loadsNow);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (name === this.failScope) throw new Error(`cannot load ${name}: connection reset`);
      yield* super.loadScope(scope, after);
    } finally {
      this.loadsNow--;
    }
  }

  override async applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const result = await super.applyBatch(batch);
    this.events.push(`applied ${batch.customer}/${batch.media}`);
    return result;
  }
}

Deno.test("runEngine() loads the next scopes while it works on one when the inventory is remote", async (t) => {
  const records = tenScopes();
  const definition = directDefinition(FIELDS);
  let expected: Volume[] = [];
  await withStore(async (store) => {
    await runEngine(arraySource(records), definition, store, engineOptions());
    expected = await allVolumes(store);
  });
  for (const c of [{ loadsAhead: 0, most: 1 }, { loadsAhead: 2, most: 2 }]) {
    await t.step(
      `${c.loadsAhead} ahead: at most ${c.most} loads at once, each scope loaded once`,
      async () => {
        await withStore(async (sqlite) => {
          const store = new RemoteLikeInventory(sqlite, c.loadsAhead);
          const stats = await runEngine(
            arraySource(shuffled(records), 7),
            definition,
            store,
            engineOptions({ groupRecords: 50 }),
          );
          // The scope in use was loaded before the next ones are started.
          assert.equal(store.mostLoadsAtOnce, c.most);
          assert.equal(stats.scopesLoaded, 10);
          assert.equal(store.calls.loadScope, 10);
          assert.deepEqual(await allVolumes(store), expected);
        });
      },
    );
  }
  await t.step("a budget of 2 scopes: loads ahead only while there is room, same inventory", async () => {
    await withStore(async (sqlite) => {
      const store = new RemoteLikeInventory(sqlite, 2);
      const stats = await runEngine(
        arraySource(shuffled(records), 7),
        definition,
        store,
        engineOptions({ cacheVolumes: 40, groupRecords: 8 }),
      );
      assert.ok(stats.scopeEvictions > 0);
      assert.equal(stats.volumesAdded, 200);
      assert.deepEqual(await allVolumes(store), expected);
    });
  });
  await t.step("a load started ahead that fails ends the run with its error", async () => {
    await withStore(async (sqlite) => {
      const store = new RemoteLikeInventory(sqlite, 2, 5, "C3/M0");
      await assert.rejects(
        runEngine(arraySource(records), definition, store, engineOptions({ groupRecords: 1000 })),
        /cannot load C3\/M0: connection reset/,
      );
      assert.equal(store.loadsNow, 0, "no load left running");
    });
  });
});

Deno.test("runEngine() loads an evicted scope again only after its batch in flight is applied", async () => {
  // A budget of one scope: B's load evicts A, whose changes go out as a batch; A comes back before the
  // batch is answered, and must be read with the batch applied.
  const definition = directDefinition(FIELDS);
  const volumes = (n: number) => Array.from({ length: n }, (_, i) => `V${String(i).padStart(4, "0")}`);
  const records = [
    ...volumes(20).map((v) => ["ACME", "A", v, "LIBR", "1"]),
    ...volumes(20).map((v) => ["ACME", "B", v, "LIBR", "1"]),
    ["ACME", "A", "V0000", "VAULT", "1"],
  ];
  await withStore(async (sqlite) => {
    const store = new RemoteLikeInventory(sqlite, 2, 20);
    const stats = await runEngine(
      arraySource(records, 10),
      definition,
      store,
      engineOptions({ cacheVolumes: 20, groupRecords: 10 }),
    );
    const secondLoad = store.events.lastIndexOf("load ACME/A");
    assert.ok(secondLoad > store.events.indexOf("load ACME/A"), store.events.join(", "));
    assert.ok(store.events.indexOf("applied ACME/A") < secondLoad, store.events.join(", "));
    // Read before its batch was applied, A would lack V0000, and the run would add it again: a conflict.
    assert.equal(stats.conflicts, 0);
    const [first] = await allVolumes(store);
    assert.deepEqual([first.media, first.volume, first.fields.repository], ["A", "V0000", "VAULT"]);
  });
});
