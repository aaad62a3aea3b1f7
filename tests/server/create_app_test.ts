import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { ChangeBatch } from "../../src/inventory/mod.ts";
import { authInit, jsonInit, serverFixture, sqliteStore } from "./server_fixture.ts";
import type { ServerFixture } from "./server_fixture.ts";

const PASSWORD = "correct horse battery staple";
const ACCOUNTS = [
  { name: "syncer", role: "sync" as const, password: PASSWORD },
  { name: "reader", role: "read" as const, password: PASSWORD },
  { name: "acme-only", role: "sync" as const, password: PASSWORD, customers: ["ACME"] },
];

function addBatch(id: string, customer: string, media: string, volumes: string[]): ChangeBatch {
  return {
    id,
    runId: "run-1",
    customer,
    media,
    changes: volumes.map((volume) => ({
      volume,
      op: "add" as const,
      changes: { repository: { old: null, new: "LIBR" }, slot: { old: null, new: volume.slice(-2) } },
    })),
  };
}

async function withServer(work: (f: ServerFixture) => Promise<void>, accounts = ACCOUNTS): Promise<void> {
  const fixture = await serverFixture(undefined, accounts);
  try {
    await work(fixture);
  } finally {
    await fixture.close();
  }
}

async function seed(f: ServerFixture, customer: string, media: string, volumes: string[]): Promise<void> {
  await f.inventory.applyBatch(addBatch(`seed-${customer}-${media}`, customer, media, volumes));
}

Deno.test("createApp() logon gives a session token and refuses a wrong user or password alike", async (t) => {
  await withServer(async (f) => {
    await t.step("the right password gives a token, an expiry, the role and the customers", async () => {
      const res = await f.request(
        "/api/v1/logon",
        jsonInit("POST", undefined, { user: "acme-only", password: PASSWORD }),
      );
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.match(body.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(body.expiresAt, "2026-11-25T08:00:00.000Z");
      assert.deepEqual({ user: body.user, role: body.role, customers: body.customers }, {
        user: "acme-only",
        role: "sync",
        customers: ["ACME"],
      });
    });
    const cases = [
      { name: "a wrong password", user: "syncer", password: "wrong" },
      { name: "an unknown user", user: "nobody", password: PASSWORD },
    ];
    for (const c of cases) {
      await t.step(`${c.name} gets the same 401`, async () => {
        const res = await f.request(
          "/api/v1/logon",
          jsonInit("POST", undefined, { user: c.user, password: c.password }),
          `10.0.0.${c.user.length}`,
        );
        assert.equal(res.status, 401);
        assert.deepEqual(await res.json(), {
          error: {
            code: "bad_credentials",
            message: "Cannot log on: the user name or the password is wrong",
          },
        });
      });
    }
  });
});

Deno.test("createApp() refuses logons and says how to add an account when there is none", async () => {
  await withServer(async (f) => {
    const res = await f.request(
      "/api/v1/logon",
      jsonInit("POST", undefined, { user: "admin", password: PASSWORD }),
    );
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.equal(body.error.code, "no_accounts");
    assert.match(body.error.message, /tapesync users add NAME --role sync/);
    const ready = await f.request("/readyz");
    assert.equal(ready.status, 503);
    assert.equal((await f.request("/healthz")).status, 200);
  }, []);
});

Deno.test("createApp() slows down repeated failed logons per address and per account", async (t) => {
  await withServer(async (f) => {
    const attempt = (user: string, password: string, address: string) =>
      f.request("/api/v1/logon", jsonInit("POST", undefined, { user, password }), address);
    await t.step("three failures are free", async () => {
      for (let i = 0; i < 3; i++) assert.equal((await attempt("syncer", "bad", "10.1.1.1")).status, 401);
    });
    await t.step("the fourth failure makes the next attempt wait one second", async () => {
      assert.equal((await attempt("syncer", "bad", "10.1.1.1")).status, 401);
      const res = await attempt("syncer", PASSWORD, "10.1.1.1");
      assert.equal(res.status, 429);
      assert.equal(res.headers.get("retry-after"), "1");
      assert.equal((await res.json()).error.code, "throttled");
    });
    await t.step("the account is throttled from another address too", async () => {
      assert.equal((await attempt("syncer", PASSWORD, "10.2.2.2")).status, 429);
    });
    await t.step("the address is throttled for another account too", async () => {
      assert.equal((await attempt("reader", PASSWORD, "10.1.1.1")).status, 429);
    });
    await t.step("after the wait a failure doubles the delay", async () => {
      f.clock.advance(1_000);
      assert.equal((await attempt("syncer", "bad", "10.1.1.1")).status, 401);
      f.clock.advance(1_999);
      const res = await attempt("syncer", PASSWORD, "10.1.1.1");
      assert.equal(res.status, 429);
      assert.equal(res.headers.get("retry-after"), "1");
      f.clock.advance(1);
      assert.equal((await attempt("syncer", PASSWORD, "10.3.3.3")).status, 200);
    });
    await t.step("a success clears the account's failures", async () => {
      assert.equal((await attempt("syncer", PASSWORD, "10.4.4.4")).status, 200);
    });
  });
});

Deno.test("createApp() answers 401 without a live session", async (t) => {
  await withServer(async (f) => {
    const token = await f.logon("syncer", PASSWORD);
    const cases: { name: string; init: () => Promise<RequestInit> }[] = [
      { name: "no token", init: () => Promise.resolve({}) },
      { name: "a token nobody issued", init: () => Promise.resolve(authInit("A".repeat(43))) },
      {
        name: "a malformed header",
        init: () => Promise.resolve({ headers: { authorization: "Basic c3luY2VyOng=" } }),
      },
      {
        name: "an expired token",
        init: async () => {
          const old = await f.logon("reader", PASSWORD);
          f.clock.advance(60 * 60_000);
          return authInit(old);
        },
      },
      {
        name: "a token after logoff",
        init: async () => {
          const gone = await f.logon("reader", PASSWORD);
          assert.equal((await f.request("/api/v1/session", authInit(gone, "DELETE"))).status, 204);
          return authInit(gone);
        },
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const res = await f.request("/api/v1/volumes", await c.init());
        assert.equal(res.status, 401);
        assert.equal(res.headers.get("www-authenticate"), "Bearer");
        assert.equal((await res.json()).error.code, "unauthorized");
      });
    }
    await t.step("a fresh token still works", async () => {
      const fresh = await f.logon("syncer", PASSWORD);
      assert.notEqual(fresh, token);
      assert.equal((await f.request("/api/v1/volumes", authInit(fresh))).status, 200);
    });
  });
});

Deno.test("createApp() enforces roles and customer restrictions with 403", async (t) => {
  await withServer(async (f) => {
    await seed(f, "ACME", "LTO", ["A00001"]);
    await seed(f, "BETA", "LTO", ["B00001"]);
    const reader = await f.logon("reader", PASSWORD);
    const acme = await f.logon("acme-only", PASSWORD);
    const batchBody = (customer: string) => {
      const { id: _id, ...body } = addBatch("x", customer, "LTO", ["Z00009"]);
      return body;
    };
    const cases = [
      {
        name: "a read-only account cannot apply a batch",
        token: reader,
        path: "/api/v1/batches/b-1",
        init: (t: string) => jsonInit("PUT", t, batchBody("ACME")),
        status: 403,
      },
      {
        name: "a restricted account cannot load another customer's scope",
        token: acme,
        path: "/api/v1/scopes/BETA/LTO/volumes",
        init: authInit,
        status: 403,
      },
      {
        name: "a restricted account cannot write another customer",
        token: acme,
        path: "/api/v1/batches/b-2",
        init: (t: string) => jsonInit("PUT", t, batchBody("BETA")),
        status: 403,
      },
      {
        name: "a restricted account cannot list another customer",
        token: acme,
        path: "/api/v1/volumes?customer=BETA",
        init: authInit,
        status: 403,
      },
      {
        name: "a restricted account cannot read another customer's history",
        token: acme,
        path: "/api/v1/history?customer=BETA",
        init: authInit,
        status: 403,
      },
      {
        name: "a restricted account loads its own customer's scope",
        token: acme,
        path: "/api/v1/scopes/ACME/LTO/volumes",
        init: authInit,
        status: 200,
      },
      {
        name: "a restricted account writes its own customer",
        token: acme,
        path: "/api/v1/batches/b-3",
        init: (t: string) => jsonInit("PUT", t, batchBody("ACME")),
        status: 200,
      },
      {
        name: "a read-only account loads any scope",
        token: reader,
        path: "/api/v1/scopes/BETA/LTO/volumes",
        init: authInit,
        status: 200,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const res = await f.request(c.path, c.init(c.token));
        assert.equal(res.status, c.status);
        if (c.status === 403) assert.equal((await res.json()).error.code, "forbidden");
        else await res.body?.cancel();
      });
    }
    await t.step("a restricted account listing without a customer sees only its own", async () => {
      const res = await f.request("/api/v1/volumes", authInit(acme));
      const body = await res.json();
      assert.deepEqual(body.volumes.map((v: { volume: string }) => v.volume), ["A00001", "Z00009"]);
    });
    await t.step("nothing was written for the refused batches", async () => {
      const beta = await f.inventory.listVolumes({ customer: "BETA" });
      assert.deepEqual(beta.volumes.map((v) => v.volume), ["B00001"]);
    });
  });
});

Deno.test("createApp() streams a scope as NDJSON chunks with a closing line", async (t) => {
  await withServer(async (f) => {
    await seed(f, "ACME", "LTO", ["A00001", "A00002", "A00003"]);
    const token = await f.logon("reader", PASSWORD);
    const cases = [
      {
        name: "a scope with volumes",
        path: "/api/v1/scopes/ACME/LTO/volumes",
        want: [
          {
            rows: [
              { volume: "A00001", fields: { repository: "LIBR", slot: "01" } },
              { volume: "A00002", fields: { repository: "LIBR", slot: "02" } },
              { volume: "A00003", fields: { repository: "LIBR", slot: "03" } },
            ],
          },
          { end: true, volumes: 3 },
        ],
      },
      { name: "an empty scope", path: "/api/v1/scopes/ACME/LTO9/volumes", want: [{ end: true, volumes: 0 }] },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const res = await f.request(c.path, authInit(token));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-type"), "application/x-ndjson");
        const lines = (await res.text()).split("\n");
        assert.equal(lines.pop(), "");
        assert.deepEqual(lines.map((line) => JSON.parse(line)), c.want);
      });
    }
    await t.step("stored fields go out as the text JSON.stringify gives, escapes and all", async () => {
      const fields = { description: 'say "hi" \\ tab\there', slot: "Größe ✓", repository: "\u0001" };
      await f.inventory.applyBatch({
        id: "odd",
        runId: "run-odd",
        customer: "ACME",
        media: "ODD",
        changes: [
          {
            volume: "Q'1 ü",
            op: "add",
            changes: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { old: null, new: v }])),
          },
        ],
      });
      const res = await f.request(`/api/v1/scopes/ACME/ODD/volumes`, authInit(token));
      const [line] = (await res.text()).split("\n");
      assert.equal(line, JSON.stringify({ rows: [{ volume: "Q'1 ü", fields }] }));
    });
  });
});

Deno.test("createApp() applies a batch once per idempotency key and reports conflicts", async (t) => {
  await withServer(async (f) => {
    await seed(f, "ACME", "LTO", ["A00001"]);
    const token = await f.logon("syncer", PASSWORD);
    const body = {
      runId: "run-2",
      customer: "ACME",
      media: "LTO",
      changes: [
        { volume: "A00001", op: "update", changes: { repository: { old: "LIBR", new: "OFFS" } } },
        { volume: "A00002", op: "add", changes: { repository: { old: null, new: "LIBR" } } },
      ],
    };
    const first = {
      batchId: "run-2-000001",
      added: 1,
      updated: 1,
      fieldsChanged: 2,
      conflicts: [],
      replayed: false,
    };
    await t.step("the first answer", async () => {
      const res = await f.request("/api/v1/batches/run-2-000001", jsonInit("PUT", token, body));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), first);
    });
    await t.step("a repeat answers the same, replayed, and writes nothing", async () => {
      const audit = (await f.inventory.history({ limit: 100 })).entries.length;
      const res = await f.request("/api/v1/batches/run-2-000001", jsonInit("PUT", token, body));
      assert.deepEqual(await res.json(), { ...first, replayed: true });
      assert.equal((await f.inventory.history({ limit: 100 })).entries.length, audit);
    });
    await t.step("the same change under a new key is a conflict", async () => {
      const res = await f.request("/api/v1/batches/run-2-000002", jsonInit("PUT", token, body));
      assert.deepEqual(await res.json(), {
        batchId: "run-2-000002",
        added: 0,
        updated: 0,
        fieldsChanged: 0,
        conflicts: [
          { volume: "A00001", field: "repository", expected: "LIBR", actual: "OFFS", reason: "changed" },
          { volume: "A00002", field: "", expected: null, actual: null, reason: "exists" },
        ],
        replayed: false,
      });
    });
  });
});

Deno.test("createApp() answers /healthz and /readyz without a session", async (t) => {
  await withServer(async (f) => {
    await t.step("healthy and ready with a store and an account", async () => {
      assert.deepEqual(await (await f.request("/healthz")).json(), { status: "ok" });
      const ready = await f.request("/readyz");
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: "ready" });
    });
    await t.step("not ready when the store fails, and the reason names no SQL", async () => {
      const raw = new DatabaseSync(`${f.dir}/inventory.db`);
      raw.exec("DROP TABLE volumes");
      raw.close();
      const res = await f.request("/readyz");
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), {
        status: "not_ready",
        reason: "the inventory store does not answer",
      });
      assert.equal((await f.request("/healthz")).status, 200);
    });
  });
});

Deno.test("createApp() reads a scope from the store only as fast as the client reads the stream", async (t) => {
  let pulled = 0;
  let closed = false;
  const fixture = await serverFixture((dir, clock) => {
    // The server reads a store that has them through the stored rows (each volume's fields as text).
    const store = sqliteStore(dir, clock);
    const loadStoredScope = store.loadStoredScope.bind(store);
    store.loadStoredScope = async function* (scope) {
      try {
        for await (const chunk of loadStoredScope(scope)) {
          pulled++;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    };
    return store;
  }, ACCOUNTS);
  try {
    const volumes = Array.from({ length: 20_000 }, (_, i) => `V${String(i).padStart(6, "0")}`);
    await fixture.inventory.applyBatch(addBatch("big", "ACME", "LTO", volumes));
    const token = await fixture.logon("reader", PASSWORD);
    const res = await fixture.request("/api/v1/scopes/ACME/LTO/volumes", authInit(token));
    const reader = res.body!.getReader();
    await reader.read();
    await t.step("after the first chunk the store has been read a little ahead, not to the end", () => {
      assert.ok(pulled >= 1 && pulled <= 3, `${pulled} chunks pulled`);
    });
    await reader.cancel();
    await t.step("a client that goes away ends the store's read", () => assert.equal(closed, true));
  } finally {
    await fixture.close();
  }
});
