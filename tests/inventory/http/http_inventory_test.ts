import assert from "node:assert/strict";
import { AuthError, InventoryUnavailableError } from "../../../src/inventory/mod.ts";
import type { ChangeBatch, VolumeRow } from "../../../src/inventory/mod.ts";
import { backoffDelay, fullRetryPolicy, HttpInventory } from "../../../src/inventory/http/mod.ts";
import type { HttpInventoryOptions } from "../../../src/inventory/http/mod.ts";
import { serverFixture, sqliteStore } from "../../server/server_fixture.ts";
import type { ServerFixture } from "../../server/server_fixture.ts";
import { CountingStore } from "../../server/counting_inventory.ts";

const PASSWORD = "pa55-Word-for-tests";
const URL_BASE = "http://inventory.test:8700";

function batch(id: string, volumes: string[], repository = "LIBR"): ChangeBatch {
  return {
    id,
    runId: "run-1",
    customer: "ACME",
    media: "LTO",
    changes: volumes.map((volume) => ({
      volume,
      op: "add" as const,
      changes: { repository: { old: null, new: repository } },
    })),
  };
}

interface Harness {
  f: ServerFixture;
  requests: string[];
  sleeps: number[];
  client(
    options?: Partial<HttpInventoryOptions>,
    fetchOverride?: (req: Request) => Promise<Response>,
  ): HttpInventory;
}

async function withHarness(work: (h: Harness) => Promise<void>): Promise<void> {
  const f = await serverFixture((dir, clock) => new CountingStore(sqliteStore(dir, clock)), [
    { name: "syncer", role: "sync", password: PASSWORD },
    { name: "reader", role: "read", password: PASSWORD },
  ]);
  const requests: string[] = [];
  const sleeps: number[] = [];
  const clients: HttpInventory[] = [];
  try {
    await work({
      f,
      requests,
      sleeps,
      client(options = {}, fetchOverride) {
        const inventory = new HttpInventory({
          url: URL_BASE,
          user: "syncer",
          password: PASSWORD,
          fetch: fetchOverride ?? (async (req) => {
            requests.push(`${req.method} ${new URL(req.url).pathname}`);
            return await f.app.fetch(req, { remoteAddress: "127.0.0.1" });
          }),
          clock: f.clock,
          sleep: (ms) => {
            sleeps.push(ms);
            f.clock.advance(ms);
            return Promise.resolve();
          },
          random: () => 0.5,
          ...options,
        });
        clients.push(inventory);
        return inventory;
      },
    });
  } finally {
    for (const client of clients) await client.close();
    await f.close();
  }
}

async function collect(rows: AsyncIterable<VolumeRow[]>): Promise<VolumeRow[][]> {
  const chunks: VolumeRow[][] = [];
  for await (const chunk of rows) chunks.push(chunk);
  return chunks;
}

Deno.test("HttpInventory implements Inventory against the server: scope, batch, listing, history", async (t) => {
  await withHarness(async (h) => {
    const inventory = h.client();
    await inventory.logon();
    await t.step("a batch is applied", async () => {
      assert.deepEqual(await inventory.applyBatch(batch("run-1-000001", ["A00001", "A00002", "A00003"])), {
        batchId: "run-1-000001",
        added: 3,
        updated: 0,
        fieldsChanged: 3,
        conflicts: [],
        replayed: false,
      });
    });
    await t.step("the scope streams back in the store's chunks", async () => {
      assert.deepEqual(await collect(inventory.loadScope({ customer: "ACME", media: "LTO" })), [
        [
          { volume: "A00001", fields: { repository: "LIBR" } },
          { volume: "A00002", fields: { repository: "LIBR" } },
          { volume: "A00003", fields: { repository: "LIBR" } },
        ],
      ]);
    });
    await t.step("listing pages through the volumes", async () => {
      const page = await inventory.listVolumes({ customer: "ACME", limit: 2 });
      assert.deepEqual(page.volumes.map((v) => v.volume), ["A00001", "A00002"]);
      assert.equal(typeof page.next, "string");
      const last = await inventory.listVolumes({ customer: "ACME", limit: 2, after: page.next });
      assert.deepEqual(last, {
        volumes: [{
          customer: "ACME",
          media: "LTO",
          volume: "A00003",
          fields: { repository: "LIBR" },
          updatedAt: "2026-11-25T07:00:00.000Z",
        }],
      });
    });
    await t.step("history names the batch", async () => {
      const page = await inventory.history({ volume: "A00002" });
      assert.deepEqual(page.entries.map((e) => [e.batchId, e.field, e.old, e.new]), [[
        "run-1-000001",
        "repository",
        null,
        "LIBR",
      ]]);
    });
    await t.step("one logon served every call", () => {
      assert.equal(h.requests.filter((r) => r === "POST /api/v1/logon").length, 1);
    });
  });
});

Deno.test("HttpInventory retries connection errors and 5xx with full-jitter backoff", async (t) => {
  await t.step("backoffDelay() grows exponentially up to the cap and scales by the random draw", () => {
    const policy = fullRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, 0.5)), [
      50,
      100,
      200,
      400,
      500,
      500,
    ]);
    assert.equal(backoffDelay(policy, 3, 0), 0);
    assert.equal(backoffDelay(policy, 3, 0.999), 399);
  });
  await withHarness(async (h) => {
    let failures = 0;
    const flaky = async (req: Request) => {
      h.requests.push(`${req.method} ${new URL(req.url).pathname}`);
      if (failures < 2) {
        failures++;
        throw new TypeError("error sending request: Connection refused (os error 111)");
      }
      if (failures < 3) {
        failures++;
        return new Response(JSON.stringify({ error: { code: "unavailable", message: "later" } }), {
          status: 503,
        });
      }
      return await h.f.app.fetch(req, { remoteAddress: "127.0.0.1" });
    };
    const inventory = h.client({ retry: { baseDelayMs: 100, maxDelayMs: 1_000 } }, flaky);
    await t.step("the call succeeds after two refusals and one 503", async () => {
      await inventory.logon();
      assert.deepEqual(h.requests, Array(4).fill("POST /api/v1/logon"));
      assert.deepEqual(h.sleeps, [50, 100, 200]);
    });
  });
});

Deno.test("HttpInventory gives up at the deadline with InventoryUnavailableError", async () => {
  await withHarness(async (h) => {
    const inventory = h.client(
      {
        url: `http://syncer:${PASSWORD}@inventory.test:8700/`,
        retry: { deadlineMs: 10_000, baseDelayMs: 1_000, maxDelayMs: 4_000 },
      },
      () => Promise.reject(new TypeError("error sending request: Connection refused (os error 111)")),
    );
    const error = await inventory.logon().then(() => undefined, (e) => e);
    assert.ok(error instanceof InventoryUnavailableError);
    assert.equal(error.location, URL_BASE);
    assert.equal(error.attempts, 7);
    assert.deepEqual(h.sleeps, [500, 1_000, 2_000, 2_000, 2_000, 2_000]);
    assert.equal(
      error.message,
      `Cannot reach the inventory at "${URL_BASE}" after 7 attempt(s): cannot log on: error sending request: Connection refused (os error 111)`,
    );
    assert.equal(error.message.includes(PASSWORD), false);
  });
});

Deno.test("HttpInventory stops retrying at once when the run is interrupted", async () => {
  await withHarness(async (h) => {
    const controller = new AbortController();
    let attempts = 0;
    const inventory = h.client({ signal: controller.signal }, () => {
      attempts++;
      controller.abort();
      return Promise.reject(new TypeError("error sending request: Connection refused (os error 111)"));
    });
    const error = await inventory.logon().then(() => undefined, (e) => e);
    assert.ok(error instanceof InventoryUnavailableError);
    assert.equal(error.attempts, 1);
    assert.match(error.message, /\(not retried: the run was interrupted\)$/);
    assert.deepEqual([attempts, h.sleeps.length], [1, 0]);
  });
});

Deno.test("HttpInventory applies a batch once when its first answer is lost", async () => {
  await withHarness(async (h) => {
    let lose = true;
    const lossy = async (req: Request) => {
      const res = await h.f.app.fetch(req, { remoteAddress: "127.0.0.1" });
      if (lose && req.method === "PUT") {
        lose = false;
        await res.body?.cancel();
        throw new TypeError("error reading a body from connection: connection reset");
      }
      return res;
    };
    const inventory = h.client({}, lossy);
    const result = await inventory.applyBatch(batch("run-1-000001", ["A00001", "A00002"]));
    assert.deepEqual(result, {
      batchId: "run-1-000001",
      added: 2,
      updated: 0,
      fieldsChanged: 2,
      conflicts: [],
      replayed: true,
    });
    assert.equal((await h.f.inventory.history({})).entries.length, 2);
    assert.equal((h.f.inventory as CountingStore).calls.applyBatch, 2);
  });
});

Deno.test("HttpInventory renews its session before it expires and after a 401", async (t) => {
  await withHarness(async (h) => {
    const inventory = h.client({ renewBeforeMs: 60_000 });
    const logons = () => h.requests.filter((r) => r === "POST /api/v1/logon").length;
    await inventory.logon();
    await t.step("a call well inside the session reuses it", async () => {
      h.f.clock.advance(30 * 60_000);
      await inventory.listVolumes({});
      assert.equal(logons(), 1);
    });
    await t.step("a call in the last minute logs on again first", async () => {
      h.f.clock.advance(29 * 60_000 + 1);
      await inventory.listVolumes({});
      assert.equal(logons(), 2);
    });
    await t.step("a short session is renewed in its last quarter, not on every call", async () => {
      const short = await serverFixture(undefined, [{ name: "syncer", role: "sync", password: PASSWORD }], {
        sessionTtlMs: 60_000,
      });
      let logonCount = 0;
      const client = new HttpInventory({
        url: URL_BASE,
        user: "syncer",
        password: PASSWORD,
        clock: short.clock,
        fetch: async (req) => {
          if (new URL(req.url).pathname === "/api/v1/logon") logonCount++;
          return await short.app.fetch(req, { remoteAddress: "127.0.0.1" });
        },
      });
      try {
        await client.listVolumes({});
        short.clock.advance(44_000);
        await client.listVolumes({});
        assert.equal(logonCount, 1);
        short.clock.advance(1_000);
        await client.listVolumes({});
        assert.equal(logonCount, 2);
      } finally {
        await client.close();
        await short.close();
      }
    });
    await t.step("calls made at once when the session is due share one logon", async () => {
      h.f.clock.advance(60 * 60_000);
      await Promise.all([
        inventory.listVolumes({}),
        inventory.history({}),
        collect(inventory.loadScope({ customer: "ACME", media: "LTO" })),
        collect(inventory.loadScope({ customer: "ACME", media: "LTO9" })),
      ]);
      assert.equal(logons(), 3);
    });
    await t.step("calls made at once with a session the server dropped share one new logon", async () => {
      await h.f.accounts.purgeSessions(Number.MAX_SAFE_INTEGER);
      await Promise.all([inventory.listVolumes({}), inventory.history({}), inventory.listVolumes({})]);
      assert.equal(logons(), 4);
    });
    await t.step("a session the server dropped is replaced once", async () => {
      await h.f.accounts.purgeSessions(Number.MAX_SAFE_INTEGER);
      await inventory.listVolumes({});
      assert.equal(logons(), 5);
      assert.deepEqual(h.requests.slice(-3), [
        "GET /api/v1/volumes",
        "POST /api/v1/logon",
        "GET /api/v1/volumes",
      ]);
    });
  });
});

Deno.test("HttpInventory raises AuthError with server and user but never the password", async (t) => {
  await withHarness(async (h) => {
    const cases = [
      {
        name: "a wrong password",
        run: () => h.client({ password: "not-the-password" }).logon(),
        detail: "Cannot log on: the user name or the password is wrong",
        user: "syncer",
      },
      {
        name: "a read-only account applying a batch",
        run: () => h.client({ user: "reader" }).applyBatch(batch("b-1", ["A00001"])),
        detail:
          'Cannot serve the request: the account "reader" has the role "read" and the call needs "sync"',
        user: "reader",
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const error = await c.run().then(() => undefined, (e) => e);
        assert.ok(error instanceof AuthError);
        assert.equal(error.server, URL_BASE);
        assert.equal(error.user, c.user);
        assert.equal(error.message, `Cannot log on to "${URL_BASE}" as "${c.user}": ${c.detail}`);
        assert.equal(error.message.includes(PASSWORD), false);
      });
    }
  });
});

Deno.test("HttpInventory resumes a scope stream that breaks off, after the last volume, on the next server", async (t) => {
  await withHarness(async (h) => {
    const volumes = ["A00001", "A00002", "A00003", "A00004", "A00005"];
    await h.f.inventory.applyBatch(batch("seed", volumes));
    const seen: string[] = [];
    // The first server sends the first two volumes and drops the connection; the second answers.
    const cutFirst = async (req: Request) => {
      const url = new URL(req.url);
      seen.push(`${url.host} ${req.method} ${url.pathname}${url.search}`);
      const res = await h.f.app.fetch(req, { remoteAddress: "127.0.0.1" });
      if (!url.pathname.startsWith("/api/v1/scopes/") || url.host !== "inventory.test:8700") return res;
      const { rows } = JSON.parse((await res.text()).split("\n")[0]) as { rows: VolumeRow[] };
      return new Response(`${JSON.stringify({ rows: rows.slice(0, 2) })}\n`, {
        status: 200,
        headers: res.headers,
      });
    };
    const inventory = h.client({ fallbackUrls: ["http://other.test:8700"] }, cutFirst);
    const chunks = await collect(inventory.loadScope({ customer: "ACME", media: "LTO" }));
    await t.step("every volume arrives once, in order", () => {
      assert.deepEqual(chunks.flat().map((row) => row.volume), volumes);
      assert.deepEqual(chunks.map((chunk) => chunk.length), [2, 3]);
    });
    await t.step("the second request asks the other server for what follows the last volume", () => {
      const loads = seen.filter((line) => line.includes("/scopes/"));
      assert.deepEqual(loads, [
        "inventory.test:8700 GET /api/v1/scopes/ACME/LTO/volumes",
        "other.test:8700 GET /api/v1/scopes/ACME/LTO/volumes?after=A00002",
      ]);
    });
  });
});

Deno.test("HttpInventory gives up on a scope stream that keeps breaking off without delivering volumes", async () => {
  await withHarness(async (h) => {
    await h.f.inventory.applyBatch(batch("seed", ["A00001", "A00002", "A00003"]));
    let loads = 0;
    const cutAll = async (req: Request) => {
      const res = await h.f.app.fetch(req, { remoteAddress: "127.0.0.1" });
      if (!new URL(req.url).pathname.startsWith("/api/v1/scopes/")) return res;
      // The first answer carries the volumes but no closing line; every later one is empty.
      const text = await res.text();
      return new Response(loads++ === 0 ? text.split("\n")[0] + "\n" : "", {
        status: 200,
        headers: res.headers,
      });
    };
    const inventory = h.client({ fallbackUrls: ["http://other.test:8700"] }, cutAll);
    const chunks: VolumeRow[][] = [];
    const error = await (async () => {
      for await (const chunk of inventory.loadScope({ customer: "ACME", media: "LTO" })) chunks.push(chunk);
    })().then(() => undefined, (e) => e);
    assert.ok(error instanceof InventoryUnavailableError, String(error));
    assert.equal(
      error.message,
      `Cannot reach the inventory at "${URL_BASE},http://other.test:8700" after 3 attempt(s): cannot load scope "ACME/LTO": the stream ended early after 3 volume(s)`,
    );
    assert.deepEqual([chunks.length, loads], [1, 3]);
  });
});

Deno.test("HttpInventory resends a batch whose answer timed out and it is applied once", async () => {
  await withHarness(async (h) => {
    let stall = true;
    const slow = async (req: Request) => {
      const res = await h.f.app.fetch(req, { remoteAddress: "127.0.0.1" });
      if (stall && req.method === "PUT") {
        stall = false;
        await res.body?.cancel();
        // The server applied the batch but the answer never comes: wait for the client's timeout.
        await new Promise((_, reject) =>
          req.signal.addEventListener("abort", () => reject(req.signal.reason))
        );
      }
      return res;
    };
    const inventory = h.client({ retry: { attemptTimeoutMs: 50 } }, slow);
    const result = await inventory.applyBatch(batch("run-1-000007", ["A00001", "A00002", "A00003"]));
    assert.deepEqual([result.added, result.fieldsChanged, result.replayed], [3, 3, true]);
    assert.equal((await h.f.inventory.history({})).entries.length, 3);
    assert.equal((h.f.inventory as CountingStore).calls.applyBatch, 2);
    assert.equal(h.sleeps.length, 1);
  });
});

Deno.test("HttpInventory moves two batches in flight to the next server once, not back to the one that is down", async () => {
  await withHarness(async (h) => {
    const seen: string[] = [];
    let down = false;
    // The first server goes down after the logon; the second answers.
    const firstDown = async (req: Request) => {
      const url = new URL(req.url);
      if (req.method === "PUT") seen.push(`${url.host} ${url.pathname}`);
      if (down && url.host === "inventory.test:8700") throw new TypeError("connection refused");
      return await h.f.app.fetch(req, { remoteAddress: "127.0.0.1" });
    };
    const inventory = h.client({ fallbackUrls: ["http://other.test:8700"] }, firstDown);
    await inventory.logon();
    down = true;
    const results = await Promise.all([
      inventory.applyBatch(batch("run-1-000001", ["A00001"])),
      inventory.applyBatch({ ...batch("run-1-000002", ["B00001"]), media: "LTO8" }),
    ]);
    assert.deepEqual(results.map((r) => [r.added, r.replayed]), [[1, false], [1, false]]);
    // Each batch tried the dead server once: the second failure does not move back to it.
    assert.equal(seen.filter((line) => line.startsWith("inventory.test")).length, 2);
    assert.equal(seen.filter((line) => line.startsWith("other.test")).length, 2);
    assert.equal(h.sleeps.length, 0, "no backoff: the other server was there all along");
    await inventory.applyBatch({ ...batch("run-1-000003", ["C00001"]), media: "LTO9" });
    assert.equal(seen.at(-1), "other.test:8700 /api/v1/batches/run-1-000003");
  });
});
